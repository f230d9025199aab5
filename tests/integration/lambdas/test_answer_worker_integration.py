"""The streamed fallback end to end against the streaming fake OpenAI server on 127.0.0.1: the code
hook's placeholder, the worker Lambda's handler writing the answer into the embedded answer store,
Stop during the first token (the fake sees the client go), a stream that dies, goes silent or sends
a malformed chunk (the partial answer kept and marked), a duplicated event, budgets, and the memory
of the next turn byte-identical to the synchronous path's."""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

import lambda_chatgpt.handler as fallback_handler
import lambda_chatgpt.worker as worker
import usage_store.port
from answer_store import Answer, AnswerStore, from_env, reset_shared_store
from conversation_memory import ATTRIBUTE, PENDING_ATTRIBUTE, fold_pending, load_history
from lambda_chatgpt.texts import say
from tests.fakes.openai_server import Behaviour, FakeOpenAIServer
from tests.integration.lambdas.codehook_contract import assert_fallback_close, texts
from tests.integration.lambdas.lambda_support import FakeLambdaContext, LogCapture, load_event

pytestmark = pytest.mark.usefixtures("fallback_env")
TOKEN = "integration-answer-token-" + "q" * 20
PIECES = ("Streaming ", "keeps ", "the ", "answer ", "coming ", "piece ", "by ", "piece.")


@pytest.fixture
def llm(fake_llm: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAIServer]:
    fake_llm.reply = "".join(PIECES)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-streaming")
    monkeypatch.setenv("LLM_MODEL", "fake-model")
    for name in (
        "ANSWER_WORKER_FUNCTION",
        "ANSWER_WORKER_MODE",
        "ANSWER_DEADLINE_SECONDS",
        "ANSWER_IDLE_SECONDS",
        "ANSWER_TABLE_NAME",
        "CONVERSATION_TTL_SECONDS",
        "LLM_TOKENS_PER_CONVERSATION",
        "LLM_TOKENS_PER_CLIENT_DAY",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(usage_store.port, "_shared_memory_store", None)
    worker.reset_container()
    yield fake_llm
    worker.reset_container()


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch) -> Iterator[AnswerStore]:
    monkeypatch.setenv("ANSWER_STORE", "embedded")
    reset_shared_store()
    shared = from_env()
    assert shared is not None
    yield shared
    reset_shared_store()


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The answers the code hook handed to the worker (the test runs the worker itself)."""
    ids: list[str] = []
    monkeypatch.setattr(fallback_handler, "invoke_worker", ids.append)
    return ids


@pytest.fixture
def worker_logs() -> Iterator[LogCapture]:
    handler: Any = worker.logger.registered_handler
    capture = LogCapture()
    previous = handler.setStream(capture.stream)
    try:
        yield capture
    finally:
        handler.setStream(previous)


def turn(
    text: str,
    *,
    attributes: dict[str, str] | None = None,
    stream: bool = True,
    locale: str = "en_US",
    session: str = "web-stream-session",
    turn_id: str = "turn-1",
) -> dict[str, Any]:
    event = copy.deepcopy(load_event(f"lex_codehook_fallback_{locale}.json"))
    event["sessionId"] = session
    event["inputTranscript"] = text
    event["sessionState"]["sessionAttributes"] = dict(attributes or {})
    event["requestAttributes"] = {"x-chatbot-turn": turn_id, "x-chatbot-client": "client-1"}
    if stream:
        event["requestAttributes"].update({"x-chatbot-stream": "1", "x-chatbot-answer-token": TOKEN})
    response = fallback_handler.handler(event, FakeLambdaContext(25_000))
    assert_fallback_close(response)
    return response


def attributes_of(response: dict[str, Any]) -> dict[str, str]:
    attributes: dict[str, str] = response["sessionState"]["sessionAttributes"]
    return attributes


def ended(store: AnswerStore, answer_id: str, timeout: float = 10.0) -> Answer:
    """The answer once it has ended (fails the test if it does not end in time)."""
    give_up = time.monotonic() + timeout
    while time.monotonic() < give_up:
        answer = store.get(answer_id)
        assert answer is not None
        if answer.status in ("done", "stopped", "failed"):
            return answer
        time.sleep(0.01)
    pytest.fail(f"answer {answer_id} did not end within {timeout} s")


def run_worker(answer_id: str) -> dict[str, Any]:
    return worker.handler({"answerId": answer_id}, FakeLambdaContext(900_000))


def test_a_streamed_turn_is_answered_whole_by_the_worker_thread(
    llm: FakeOpenAIServer, store: AnswerStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANSWER_WORKER_MODE", "thread")
    llm.script(Behaviour.streamed(PIECES, chunk_pause=0.01))

    placeholder = turn("How does streaming work?")

    assert texts(placeholder) == [say("streaming", "en_US")]
    answer_id = attributes_of(placeholder)[PENDING_ATTRIBUTE]
    answer = ended(store, answer_id)
    assert (answer.status, answer.text, answer.finish_reason) == ("done", "".join(PIECES), "stop")
    request = llm.requests[-1]
    assert request.streamed
    assert request.body is not None
    assert request.body["messages"][-1] == {"role": "user", "content": "How does streaming work?"}


def test_stop_during_the_first_token_silences_the_answer_and_closes_the_llm_request(
    llm: FakeOpenAIServer, store: AnswerStore, started: list[str]
) -> None:
    llm.script(Behaviour.streamed(PIECES, first_token_delay=20.0))
    turn("Take your time")
    result: list[dict[str, Any]] = []
    thread = threading.Thread(target=lambda: result.append(run_worker(started[0])), daemon=True)
    thread.start()
    give_up = time.monotonic() + 5
    while not llm.requests and time.monotonic() < give_up:
        time.sleep(0.01)
    assert llm.requests, "the worker never asked the LLM"
    time.sleep(0.1)

    asked = time.monotonic()
    assert store.request_stop(started[0])
    answer = ended(store, started[0], timeout=2.0)
    stopped_after = time.monotonic() - asked
    assert llm.requests[-1].client_gone.wait(2.0)
    gone_after = time.monotonic() - asked
    thread.join(2)

    assert (answer.status, answer.text) == ("stopped", "")
    assert stopped_after < 0.5
    assert gone_after < 0.5
    assert llm.requests[-1].chunks_sent == 0
    assert result == [{"answerId": started[0], "status": "stopped"}]


@pytest.mark.parametrize(
    ("behaviour", "kind"),
    [
        (Behaviour.stream_dies(after=3, chunks=PIECES), "unavailable"),
        (Behaviour.stream_malformed(after=3, chunks=PIECES), "bad_response"),
        (Behaviour.stream_silent(after=3, seconds=5.0, chunks=PIECES), "timeout"),
    ],
    ids=["dies", "malformed", "silent"],
)
def test_a_broken_stream_keeps_the_partial_answer_marked_and_the_next_turn_works(
    llm: FakeOpenAIServer,
    store: AnswerStore,
    started: list[str],
    monkeypatch: pytest.MonkeyPatch,
    behaviour: Behaviour,
    kind: str,
) -> None:
    monkeypatch.setenv("ANSWER_IDLE_SECONDS", "0.5")
    llm.script(behaviour)
    placeholder = turn("Tell me about streams")

    began = time.monotonic()
    assert run_worker(started[0])["status"] == "failed"
    assert time.monotonic() - began < 3.0

    answer = ended(store, started[0])
    assert (answer.error_kind, answer.text) == (kind, "".join(PIECES[:3]))
    if kind == "timeout":
        assert llm.requests[-1].client_gone.wait(1.0)
    llm.reply = "Here is a fresh answer."
    after = turn("Try again", attributes=attributes_of(placeholder), stream=False, turn_id="turn-2")
    assert texts(after) == ["Here is a fresh answer."]
    history, _ = load_history(attributes_of(after))
    assert [m.content for m in history] == [
        "Tell me about streams",
        "Streaming keeps the (interrupted)",
        "Try again",
        "Here is a fresh answer.",
    ]


def test_a_duplicated_event_is_ignored(llm: FakeOpenAIServer, store: AnswerStore, started: list[str]) -> None:
    turn("Once only")

    first = run_worker(started[0])
    second = run_worker(started[0])

    assert first == {"answerId": started[0], "status": "done"}
    assert second == {"answerId": started[0], "status": "skipped"}
    assert len(llm.requests) == 1


@pytest.mark.parametrize("event", [{}, None, {"answerId": 5}, {"answerId": ""}, "text"])
def test_a_malformed_event_is_logged_never_raised(
    llm: FakeOpenAIServer, store: AnswerStore, event: Any, worker_logs: LogCapture
) -> None:
    assert worker.handler(event, None)["status"] == "skipped"
    assert "without an answerId" in worker_logs.text()


def test_a_misconfigured_worker_fails_the_answer_instead_of_leaving_it_running(
    llm: FakeOpenAIServer, store: AnswerStore, started: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANSWER_DEADLINE_SECONDS", "forever")
    turn("Anything")

    assert run_worker(started[0])["status"] == "failed"

    answer = ended(store, started[0])
    assert answer.error_kind == "misconfigured"
    assert llm.requests == []


# The fake's usage chunk counts 1 prompt token and 1 completion token per piece: 9 for PIECES, far
# below what the prompt and answer would be estimated at, so the budgets below tell the two apart.
USAGE_TOKENS = 1 + len(PIECES)


def test_the_worker_spends_the_budget_and_the_next_streamed_turn_gets_the_notice(
    llm: FakeOpenAIServer, store: AnswerStore, started: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLM_TOKENS_PER_CONVERSATION", str(USAGE_TOKENS))
    fallback_handler.reset_container()
    placeholder = turn("Spend my tokens", locale="ko_KR")
    run_worker(started[0])
    ended(store, started[0])

    refused = turn("More please", attributes=attributes_of(placeholder), locale="ko_KR", turn_id="turn-2")

    assert texts(refused) == [say("budget_conversation", "ko_KR")]
    assert len(started) == 1
    assert len(llm.requests) == 1


def test_the_worker_charges_the_usage_the_llm_reported_not_an_estimate(
    llm: FakeOpenAIServer,
    store: AnswerStore,
    started: list[str],
    monkeypatch: pytest.MonkeyPatch,
    worker_logs: LogCapture,
) -> None:
    monkeypatch.setenv("LLM_TOKENS_PER_CONVERSATION", str(USAGE_TOKENS + 1))
    fallback_handler.reset_container()
    placeholder = turn("Count my tokens exactly")
    run_worker(started[0])
    ended(store, started[0])

    again = turn("And again", attributes=attributes_of(placeholder), turn_id="turn-2")

    assert texts(again) == [say("streaming", "en_US")]
    assert len(started) == 2
    body = llm.requests[0].body
    assert body is not None
    assert body["stream_options"] == {"include_usage": True}
    [line] = [entry for entry in worker_logs.lines() if entry["message"] == "streamed answer"]
    assert (line["tokens"], line["tokens_counted"]) == (USAGE_TOKENS, "usage")


def test_the_worker_log_line_has_the_outcome_and_never_the_text(
    llm: FakeOpenAIServer, store: AnswerStore, started: list[str], worker_logs: LogCapture
) -> None:
    turn("Private question")
    run_worker(started[0])

    [line] = [entry for entry in worker_logs.lines() if entry["message"] == "streamed answer"]
    assert line["outcome"] == "done"
    assert line["answer_id"] == started[0]
    assert line["answer_chars"] == len("".join(PIECES))
    assert line["first_token_ms"] <= line["llm_ms"]
    assert "Private question" not in worker_logs.text()
    assert "Streaming keeps" not in worker_logs.text()


SCRIPT = (
    ("What is Amazon Lex?", "  Amazon Lex builds conversational interfaces.\n"),
    ("한국어도 되나요?", "네, 한국어(ko_KR)도 지원해요. 😀 "),
    ("Write a lot", "Long answer sentence. " * 80),
    ("Thanks", "You're welcome!"),
)


def test_memory_is_byte_identical_whether_the_answers_streamed_or_not(
    llm: FakeOpenAIServer, store: AnswerStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    replies = dict(SCRIPT)
    llm.reply = lambda body: replies[body["messages"][-1]["content"]]

    synchronous: dict[str, str] = {}
    for number, (question, _) in enumerate(SCRIPT):
        response = turn(question, attributes=synchronous, stream=False, session="sync", turn_id=f"s{number}")
        synchronous = attributes_of(response)

    monkeypatch.setenv("ANSWER_WORKER_MODE", "thread")
    streamed: dict[str, str] = {}
    for number, (question, _) in enumerate(SCRIPT):
        response = turn(question, attributes=streamed, session="streamed", turn_id=f"t{number}")
        streamed = attributes_of(response)
        ended(store, streamed[PENDING_ATTRIBUTE])
    streamed = fold_pending(streamed, store, "en_US")

    assert [r.streamed for r in llm.requests] == [False] * len(SCRIPT) + [True] * len(SCRIPT)
    assert streamed[ATTRIBUTE] == synchronous[ATTRIBUTE]
    assert len(load_history(streamed)[0]) == 2 * len(SCRIPT)
    # What the LLM was asked on each turn was the same too.
    sync_asked = [r.body for r in llm.requests[: len(SCRIPT)]]
    streamed_asked = [r.body for r in llm.requests[len(SCRIPT) :]]
    assert [b["messages"] for b in sync_asked if b] == [b["messages"] for b in streamed_asked if b]
