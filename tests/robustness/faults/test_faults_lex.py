"""Lex (here the emulator) failing under /chat: the handler answers the documented status at once and
the conversation goes on where it was once Lex is back.

Two ways to make Lex fail: a proxy in front of the emulator that answers in its place with Lex's
errors (ThrottlingException, DependencyFailedException, BadGatewayException, InternalServerException),
and the emulator itself with a misbehaving fallback code hook (raises, or overruns the hook timeout)
on a bot without post-fulfillment failure/timeout responses, where Lex answers
DependencyFailedException. An unreachable endpoint is the last case.
(tests/integration/lambdas covers the status mapping against a scripted fake; here the faults hit a
running dialog.)
"""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lex_emulator import LexEmulator, RunningEmulator
from tests.robustness.support.lex_fault_proxy import (
    BAD_GATEWAY,
    DEPENDENCY_FAILED,
    INTERNAL,
    THROTTLED,
    LexFault,
    LexFaultProxy,
)
from tests.robustness.support.local_stack import (
    BOT_JSON,
    ChatAnswer,
    point_chat_handler_at,
    post_chat,
    served_emulator,
)

# The handler retries a throttled call once after at most 0.4 s, and nothing else: well under this.
PROMPT_SECONDS = 1.5


@pytest.fixture(scope="module")
def proxy(stub_emulator: tuple[LexEmulator, RunningEmulator]) -> Iterator[LexFaultProxy]:
    with LexFaultProxy(stub_emulator[1].url) as running:
        yield running


@pytest.fixture
def via_proxy(proxy: LexFaultProxy, offline: None, monkeypatch: pytest.MonkeyPatch) -> LexFaultProxy:
    point_chat_handler_at(monkeypatch, proxy.url)
    proxy.received.clear()
    return proxy


def say(text: str, session: str) -> tuple[ChatAnswer, float]:
    started = time.perf_counter()
    answer = post_chat({"text": text, "sessionId": session, "locale": "en_US"})
    return answer, time.perf_counter() - started


def start_dialog() -> str:
    session = f"lex-fault-{uuid.uuid4()}"
    greeting, _ = say("Hello", session)
    assert (greeting.status, greeting.body["dialogAction"]) == (200, "ElicitSlot")
    return session


def assert_dialog_goes_on(session: str) -> None:
    """The name answer is taken where the dialog stood: the failed turn changed nothing."""
    named, _ = say("Tom", session)
    assert named.status == 200
    assert named.body["dialogAction"] == "ConfirmIntent"
    assert named.body["msg"] == "Is your name Tom?"


@pytest.mark.parametrize(
    ("fault", "status", "code"),
    [
        pytest.param(DEPENDENCY_FAILED, 502, "upstream_failed", id="dependency-failed"),
        pytest.param(BAD_GATEWAY, 502, "upstream_failed", id="bad-gateway"),
        pytest.param(INTERNAL, 502, "upstream_failed", id="internal-server-error"),
    ],
)
def test_a_lex_failure_is_answered_at_once_not_retried_and_the_dialog_goes_on(
    via_proxy: LexFaultProxy, fault: LexFault, status: int, code: str
) -> None:
    session = start_dialog()
    via_proxy.fail(fault)
    answer, elapsed = say("Tom", session)
    assert (answer.status, answer.code) == (status, code)
    assert elapsed < PROMPT_SECONDS
    assert via_proxy.received[-1] == fault.error_type  # asked once: the turn may have run
    assert_dialog_goes_on(session)


def test_throttling_twice_is_429_with_retry_after_promptly(via_proxy: LexFaultProxy) -> None:
    session = start_dialog()
    via_proxy.fail(THROTTLED, THROTTLED)
    answer, elapsed = say("Tom", session)
    assert (answer.status, answer.code) == (429, "throttled")
    assert answer.headers["Retry-After"] == "3"
    assert elapsed < PROMPT_SECONDS
    assert via_proxy.received[-2:] == ["ThrottlingException", "ThrottlingException"]
    assert_dialog_goes_on(session)


def test_throttling_once_is_absorbed_and_the_turn_runs_exactly_once(via_proxy: LexFaultProxy) -> None:
    session = start_dialog()
    via_proxy.fail(THROTTLED)
    answer, elapsed = say("Tom", session)
    assert answer.status == 200
    assert answer.body["msg"] == "Is your name Tom?"
    assert elapsed < PROMPT_SECONDS
    # The refused turn, the retried turn, then the PutSession that adds it to the conversation memory.
    assert via_proxy.received[-3:] == ["ThrottlingException", "forwarded", "forwarded"]


def test_an_unreachable_endpoint_is_502_promptly(offline: None, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as placeholder:  # a port that was free a moment ago: nothing listens there
        placeholder.bind(("127.0.0.1", 0))
        port = placeholder.getsockname()[1]
    point_chat_handler_at(monkeypatch, f"http://127.0.0.1:{port}")
    started = time.perf_counter()
    answer = post_chat({"text": "Hello", "locale": "en_US"})
    assert (answer.status, answer.code) == (502, "upstream_failed")
    assert time.perf_counter() - started < PROMPT_SECONDS


def without_failure_responses(tmp_path: Path) -> Path:
    """The frozen HelloWorld bot with FallbackIntent's post-fulfillment responses removed: hook trouble
    is then DependencyFailedException, as in Lex."""
    definition: dict[str, Any] = json.loads(BOT_JSON.read_text(encoding="utf-8"))
    for locale in definition["BotLocales"]:
        for intent in locale["Intents"]:
            if intent["Name"] == "FallbackIntent":
                del intent["FulfillmentCodeHook"]["PostFulfillmentStatusSpecification"]
    path = tmp_path / "bot-without-failure-responses.json"
    path.write_text(json.dumps(definition, ensure_ascii=False), encoding="utf-8")
    return path


RELEASE = threading.Event()


def misbehaving_hook(event: dict[str, Any], context: Any) -> dict[str, Any]:
    text = event["inputTranscript"]
    if text.startswith("crash"):
        raise RuntimeError("the hook fails on purpose")
    if text.startswith("stall"):
        RELEASE.wait(5)
    return {
        "sessionState": {
            "dialogAction": {"type": "Close"},
            "intent": {"name": event["sessionState"]["intent"]["name"], "state": "Fulfilled"},
        },
        "messages": [{"contentType": "PlainText", "content": "the hook is fine again"}],
    }


@pytest.fixture
def broken_hook_bot(
    tmp_path: Path, offline: None, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[None]:
    definition = (
        BOT_JSON if request.param == "with-failure-responses" else without_failure_responses(tmp_path)
    )
    RELEASE.clear()
    with served_emulator(hook=misbehaving_hook, definition=definition, hook_timeout_seconds=0.5) as (
        _,
        running,
    ):
        point_chat_handler_at(monkeypatch, running.url)
        yield
        RELEASE.set()


@pytest.mark.parametrize("broken_hook_bot", ["without-failure-responses"], indirect=True)
@pytest.mark.parametrize("trouble", ["crash: tell me a joke", "stall: tell me a story"])
@pytest.mark.usefixtures("broken_hook_bot")
def test_a_failing_hook_without_failure_responses_is_502_and_the_next_turn_works(trouble: str) -> None:
    session = f"hook-fault-{uuid.uuid4()}"
    answer, elapsed = say(trouble, session)
    assert (answer.status, answer.code) == (502, "upstream_failed")
    assert elapsed < 0.5 + PROMPT_SECONDS
    again, _ = say("what is the capital of France", session)
    assert again.status == 200
    assert again.body["msg"] == "the hook is fine again"


@pytest.mark.parametrize("broken_hook_bot", ["with-failure-responses"], indirect=True)
@pytest.mark.parametrize(
    ("trouble", "message"),
    [
        ("crash: tell me a joke", "Sorry, I can't answer that right now. Please try again in a moment."),
        ("stall: tell me a story", "Sorry, that answer took too long. Please ask me again."),
    ],
)
@pytest.mark.usefixtures("broken_hook_bot")
def test_with_the_bots_failure_responses_the_user_gets_them_as_a_200(trouble: str, message: str) -> None:
    answer, _ = say(trouble, f"hook-fault-{uuid.uuid4()}")
    assert answer.status == 200
    assert answer.body["source"] == "lex"  # the bot's own failure/timeout response, played by Lex
    assert answer.body["msg"] == message
