"""LLM faults, end to end through the dev server (lambda_lex -> emulator -> lambda_chatgpt -> fake LLM),
with a 2 s turn deadline (LLM_DEADLINE_SECONDS) so the slow cases stay quick.

Each case: a good fallback turn, then the faulty one, then another good one on the same session.
The faulty turn answers 200 with the friendly message in the user's language, within the deadline;
the next turn works, and the fake LLM's echo proves the memory: it received exactly the remembered
turns (a failed turn is not remembered, a recovered or oversized answer is).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from devserver.process import DevServerProcess
from lambda_chatgpt.texts import say
from tests.fakes.openai_server import Behaviour
from tests.robustness.support.devserver_support import llm_env
from tests.robustness.support.llm_fakes import FaultyOpenAIServer, echo_reply, parse_echo

DEADLINE_SECONDS = 2.0
# Lex, the emulator, the dev server and the response around the LLM call: well under a second here.
OVERHEAD_SECONDS = 1.5
LOCALE = "en_US"


@pytest.fixture(scope="module")
def faulty_llm() -> Iterator[FaultyOpenAIServer]:
    with FaultyOpenAIServer(reply=echo_reply) as llm:
        yield llm


@pytest.fixture(scope="module")
def server(faulty_llm: FaultyOpenAIServer) -> Iterator[DevServerProcess]:
    with DevServerProcess(env=llm_env(faulty_llm, LLM_DEADLINE_SECONDS=str(DEADLINE_SECONDS))) as process:
        yield process


@pytest.fixture
def llm(faulty_llm: FaultyOpenAIServer) -> Iterator[FaultyOpenAIServer]:
    faulty_llm.reset()
    faulty_llm.clear_faults()
    yield faulty_llm
    faulty_llm.reset()
    faulty_llm.clear_faults()


def turn(
    server: DevServerProcess, session: str, text: str, *, source: str = "llm"
) -> tuple[dict[str, Any], float]:
    started = time.perf_counter()
    response = requests.post(
        server.url + "/chat", json={"text": text, "sessionId": session, "locale": LOCALE}, timeout=30
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["source"] == source, body
    assert body["intentState"] == "Fulfilled"
    return body, elapsed


def set_hang(llm: FaultyOpenAIServer) -> None:
    llm.default = Behaviour.slow(DEADLINE_SECONDS + 4.0)


def set_trickle(llm: FaultyOpenAIServer) -> None:
    llm.trickle_next(1, interval=0.3)  # ~30 pieces: every read is quick, the whole answer takes ~9 s


def set_429_forever(llm: FaultyOpenAIServer) -> None:
    llm.default = Behaviour.rate_limited(retry_after=0.3)


def set_500_then_200(llm: FaultyOpenAIServer) -> None:
    llm.script(Behaviour.server_error())


def set_reset_forever(llm: FaultyOpenAIServer) -> None:
    llm.reset_always = True


def set_reset_once(llm: FaultyOpenAIServer) -> None:
    llm.reset_next(1)


def set_malformed(llm: FaultyOpenAIServer) -> None:
    llm.default = Behaviour.malformed()


def set_empty(llm: FaultyOpenAIServer) -> None:
    llm.default = Behaviour.empty()


def set_200_kb(llm: FaultyOpenAIServer) -> None:
    llm.script(Behaviour.big(200_000))


# fault, what the faulty turn says (a friendly message kind, or None: the model's answer)
FAULTS = [
    pytest.param(set_hang, "timeout", id="hangs-past-the-deadline"),
    pytest.param(set_trickle, "timeout", id="trickles-past-the-deadline"),
    pytest.param(set_429_forever, "rate_limited", id="429-forever"),
    pytest.param(set_500_then_200, None, id="500-then-200"),
    pytest.param(set_reset_forever, "unavailable", id="connection-reset-every-time"),
    pytest.param(set_reset_once, None, id="connection-reset-once"),
    pytest.param(set_malformed, "bad_response", id="malformed-json"),
    pytest.param(set_empty, "bad_response", id="empty-answer"),
    pytest.param(set_200_kb, "big", id="200-kb-answer"),
]


@pytest.mark.parametrize(("fault", "says"), FAULTS)
def test_a_faulty_llm_turn_answers_kindly_in_time_and_the_next_turn_remembers(
    server: DevServerProcess,
    llm: FaultyOpenAIServer,
    fault: Callable[[FaultyOpenAIServer], None],
    says: str | None,
) -> None:
    """The fallback's own message for a failed LLM call is a `notice`, and like every turn it joins the
    conversation memory (question and notice), so the next question is asked with it."""
    session = f"fault-{uuid.uuid4()}"
    first, _ = turn(server, session, "First question: what is alpha?")
    assert parse_echo(first["msg"])["n"] == 2  # system prompt + this question

    fault(llm)
    notice = says not in (None, "big")
    faulty, elapsed = turn(
        server, session, "Second question: what is beta?", source="notice" if notice else "llm"
    )
    assert elapsed < DEADLINE_SECONDS + OVERHEAD_SECONDS, f"{elapsed:.2f} s"
    if says is None:
        echo = parse_echo(faulty["msg"])
        assert echo["q"] == "Second question: what is beta?"
        assert echo["n"] == 4
    elif says == "big":
        assert 2 <= len(faulty["messages"]) <= 10
        assert all(1 <= len(m["content"]) <= 1024 for m in faulty["messages"])
        assert faulty["messages"][-1]["content"].endswith(say("truncated", LOCALE))
    else:
        assert faulty["msg"] == say(says, LOCALE)
        assert len(faulty["messages"]) == 1

    llm.reset()
    llm.clear_faults()
    third, _ = turn(server, session, "Third question: what is gamma?")
    echo = parse_echo(third["msg"])
    assert echo["earlier"] == ["First question: what is alpha?", "Second question: what is beta?"]
    assert echo["n"] == 2 * 2 + 2  # system, two remembered exchanges, this question
    assert "Traceback" not in server.stderr
