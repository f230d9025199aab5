"""The fallback code hook's streamed path (x-chatbot-stream + an answer store): the placeholder Close
(valid for Lex, marked llm-pending), the job it leaves for the worker, the notices instead of an
answer (busy session, spent budget, no worker), and the synchronous path left exactly as it was."""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

import lambda_chatgpt.handler as fallback_handler
import usage_store.port
from answer_store import AnswerStore, from_env, reset_shared_store
from conversation_memory import ATTRIBUTE, PENDING_ATTRIBUTE, remember
from lambda_chatgpt.ask import ask_llm
from lambda_chatgpt.budget import BudgetLimits, TokenBudget
from lambda_chatgpt.container import LlmParts
from lambda_chatgpt.deadline import Deadline
from lambda_chatgpt.fallback import prompt_messages
from lambda_chatgpt.llm import Message
from lambda_chatgpt.memory import load_history
from lambda_chatgpt.settings import Settings
from lambda_chatgpt.texts import say
from lambda_chatgpt.worker_invoke import WorkerUnavailableError
from tests.integration.lambdas.codehook_contract import assert_fallback_close, texts
from tests.integration.lambdas.lambda_support import FakeLambdaContext, load_event

TOKEN = "answer-token-" + "z" * 31
EARLIER = remember({}, [], "Hi", "Hello! Ask me anything.", max_messages=10)


class RecordingProvider:
    name = "openai"
    model = "recording-model"

    def __init__(self) -> None:
        self.calls: list[list[Message]] = []

    def complete(self, messages: Sequence[Message], deadline: Deadline) -> str:
        self.calls.append(list(messages))
        return "A synchronous answer."

    def complete_stream(self, messages: Sequence[Message], deadline: Deadline) -> Iterator[str]:
        raise AssertionError("the code hook never streams itself")


@pytest.fixture
def provider(monkeypatch: pytest.MonkeyPatch) -> RecordingProvider:
    for name in ("LLM_TOKENS_PER_CONVERSATION", "LLM_TOKENS_PER_CLIENT_DAY", "CONVERSATION_TTL_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(usage_store.port, "_shared_memory_store", None)
    recording = RecordingProvider()
    settings = Settings.from_env({"LLM_HISTORY_MESSAGES": "6"})
    budget = TokenBudget(BudgetLimits(per_conversation=5_000))
    parts = LlmParts(settings, recording, budget)
    monkeypatch.setattr(fallback_handler, "container", lambda: parts)
    return recording


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch) -> Iterator[AnswerStore]:
    monkeypatch.setenv("ANSWER_STORE", "embedded")
    monkeypatch.delenv("ANSWER_TABLE_NAME", raising=False)
    reset_shared_store()
    shared = from_env()
    assert shared is not None
    yield shared
    reset_shared_store()


@pytest.fixture
def invoked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    started: list[str] = []
    monkeypatch.setattr(fallback_handler, "invoke_worker", started.append)
    return started


def event(
    locale: str = "en_US",
    *,
    stream: bool = True,
    text: str | None = None,
    attributes: dict[str, str] | None = None,
    turn: str = "turn-7",
) -> dict[str, Any]:
    lex_event = copy.deepcopy(load_event(f"lex_codehook_fallback_{locale}.json"))
    lex_event["requestAttributes"] = {"x-chatbot-turn": turn, "x-chatbot-client": "client-9"}
    if stream:
        lex_event["requestAttributes"].update({"x-chatbot-stream": "1", "x-chatbot-answer-token": TOKEN})
    if text is not None:
        lex_event["inputTranscript"] = text
    lex_event["sessionState"]["sessionAttributes"] = dict(EARLIER if attributes is None else attributes)
    return lex_event


def answer(lex_event: dict[str, Any]) -> dict[str, Any]:
    response = fallback_handler.handler(lex_event, FakeLambdaContext(25_000))
    assert_fallback_close(response)
    return response


def attributes_of(response: dict[str, Any]) -> dict[str, str]:
    attributes: dict[str, str] = response["sessionState"]["sessionAttributes"]
    return attributes


@pytest.mark.parametrize("locale", ["en_US", "ko_KR"])
def test_a_streamed_turn_closes_with_one_placeholder_marked_llm_pending(
    provider: RecordingProvider, store: AnswerStore, invoked: list[str], locale: str
) -> None:
    response = answer(event(locale))

    assert texts(response) == [say("streaming", locale)]
    [answer_id] = invoked
    attributes = attributes_of(response)
    assert attributes["x-chatbot-answered-by"] == f"turn-7:llm-pending:{answer_id}"
    assert attributes[PENDING_ATTRIBUTE] == answer_id
    assert attributes[ATTRIBUTE] == EARLIER[ATTRIBUTE]  # remembered only once the answer has ended
    assert provider.calls == []
    assert store.active_answer(load_event(f"lex_codehook_fallback_{locale}.json")["sessionId"]) == answer_id


def test_the_job_holds_exactly_what_the_synchronous_turn_would_ask(
    provider: RecordingProvider, store: AnswerStore, invoked: list[str]
) -> None:
    lex_event = event(text="  How long can an answer take?  ")
    answer(lex_event)
    record = store.get(invoked[0])
    assert record is not None
    assert record.status == "pending"
    assert store.check_token(invoked[0], TOKEN)

    history, _ = load_history(EARLIER)
    expected, _ = prompt_messages(
        "en_US",
        history,
        "How long can an answer take?",
        system_prompt=Settings.from_env({}).system_prompt,
        history_limit=6,
    )
    assert record.job == {
        "messages": [{"role": m.role, "content": m.content} for m in expected],
        "question": "How long can an answer take?",
        "locale": "en_US",
        "sessionId": lex_event["sessionId"],
        "client": "client-9",
        "historyLimit": 6,
        "turn": "turn-7",
    }
    # The synchronous path sends the same messages.
    answer(event(stream=False, text="  How long can an answer take?  "))
    assert provider.calls[0] == expected


def test_a_second_message_while_an_answer_is_written_gets_the_busy_notice(
    provider: RecordingProvider, store: AnswerStore, invoked: list[str]
) -> None:
    first = answer(event())
    busy = answer(event(attributes=attributes_of(first), turn="turn-8", text="And another thing"))

    assert texts(busy) == [say("session_busy", "en_US")]
    assert attributes_of(busy)["x-chatbot-answered-by"] == "turn-8:notice"
    assert attributes_of(busy)[PENDING_ATTRIBUTE] == invoked[0]  # still folded later
    assert len(invoked) == 1


def test_a_spent_budget_is_the_notice_and_no_answer_is_created(
    provider: RecordingProvider, store: AnswerStore, invoked: list[str]
) -> None:
    lex_event = event("ko_KR")
    fallback_handler.container().budget.charge(lex_event["sessionId"], "client-9", 5_000)

    response = answer(lex_event)

    assert texts(response) == [say("budget_conversation", "ko_KR")]
    assert attributes_of(response)["x-chatbot-answered-by"] == "turn-7:notice"
    assert invoked == []
    assert store.active_answer(lex_event["sessionId"]) is None


def test_no_worker_fails_the_answer_and_says_so(
    provider: RecordingProvider, store: AnswerStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[str] = []

    def refuse(answer_id: str) -> None:
        started.append(answer_id)
        raise WorkerUnavailableError("no answer worker configured")

    monkeypatch.setattr(fallback_handler, "invoke_worker", refuse)
    lex_event = event()

    response = answer(lex_event)

    assert texts(response) == [say("unavailable", "en_US")]
    assert PENDING_ATTRIBUTE not in attributes_of(response)
    assert attributes_of(response)["x-chatbot-answered-by"] == "turn-7:notice"
    record = store.get(started[0])
    assert record is not None
    assert (record.status, record.error_kind) == ("failed", "unavailable")
    assert store.active_answer(lex_event["sessionId"]) is None


def test_an_empty_message_is_answered_at_once(
    provider: RecordingProvider, store: AnswerStore, invoked: list[str]
) -> None:
    assert texts(answer(event(text="   "))) == [say("empty_input", "en_US")]
    assert invoked == []


def test_without_the_stream_attribute_the_turn_is_exactly_todays(
    provider: RecordingProvider, store: AnswerStore, invoked: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with_store = answer(event(stream=False))
    monkeypatch.delenv("ANSWER_STORE")
    reset_shared_store()
    without_store = answer(event(stream=False))

    assert with_store == without_store
    assert texts(with_store) == ["A synchronous answer."]
    assert invoked == []


def test_without_a_store_the_stream_attribute_is_ignored(
    provider: RecordingProvider, invoked: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ANSWER_STORE", raising=False)
    monkeypatch.delenv("ANSWER_TABLE_NAME", raising=False)
    reset_shared_store()

    assert answer(event(stream=True)) == answer(event(stream=False))
    assert invoked == []


def test_a_misconfigured_store_falls_back_to_the_synchronous_turn(
    provider: RecordingProvider, invoked: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANSWER_STORE", "postgres")
    reset_shared_store()

    assert texts(answer(event())) == ["A synchronous answer."]
    assert invoked == []


def test_the_synchronous_turn_folds_an_ended_streamed_answer_first(
    provider: RecordingProvider, store: AnswerStore, invoked: list[str]
) -> None:
    placeholder = answer(event(text="What is a slot?"))
    answer_id = invoked[0]
    store.claim(answer_id)
    store.append(answer_id, "A slot is a value the intent needs.")
    store.finish(answer_id, "done")

    response = answer(event(stream=False, text="And a slot type?", attributes=attributes_of(placeholder)))

    asked = provider.calls[0]
    assert asked[-3:] == [
        Message("user", "What is a slot?"),
        Message("assistant", "A slot is a value the intent needs."),
        Message("user", "And a slot type?"),
    ]
    assert PENDING_ATTRIBUTE not in attributes_of(response)
    history, _ = load_history(attributes_of(response))
    assert [m.content for m in history][-4:] == [
        "What is a slot?",
        "A slot is a value the intent needs.",
        "And a slot type?",
        "A synchronous answer.",
    ]


def test_a_handlers_ask_llm_sees_the_ended_streamed_answer(
    provider: RecordingProvider, store: AnswerStore, invoked: list[str]
) -> None:
    placeholder = answer(event(text="Name a colour"))
    answer_id = invoked[0]
    store.claim(answer_id)
    store.append(answer_id, "Teal, and then")
    store.request_stop(answer_id)
    store.finish(answer_id, "stopped")

    ask_llm(
        "Suggest a matching colour",
        locale="en_US",
        attributes=attributes_of(placeholder),
        deadline=Deadline.for_turn(5.0, None),
    )

    assert provider.calls[0][-3:] == [
        Message("user", "Name a colour"),
        Message("assistant", "Teal, and then (stopped)"),
        Message("user", "Suggest a matching colour"),
    ]
