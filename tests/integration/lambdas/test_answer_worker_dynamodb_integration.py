"""The streamed fallback on the DynamoDB answer store (moto, the table as the stack declares it): the
code hook's job survives the trip through DynamoDB, the worker writes and stops the answer there
(using the store's Stop probe when it has one), and the next turn folds it into the memory."""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

import lambda_chatgpt.handler as fallback_handler
import lambda_chatgpt.worker as worker
from answer_store import Answer, AnswerStore
from answer_store.dynamodb import DynamoDbAnswerStore
from conversation_memory import PENDING_ATTRIBUTE, load_history
from tests.fakes.dynamodb import ANSWER_TABLE, OneCallAtATime
from tests.fakes.openai_server import Behaviour, FakeOpenAIServer
from tests.integration.lambdas.codehook_contract import assert_fallback_close, texts
from tests.integration.lambdas.lambda_support import FakeLambdaContext, load_event

pytestmark = pytest.mark.usefixtures("fallback_env")
TOKEN = "dynamodb-answer-token-" + "d" * 24
PIECES = ("DynamoDB ", "keeps ", "each ", "piece ", "as ", "an ", "item.")


@pytest.fixture
def store(dynamodb_answer_table: Any, monkeypatch: pytest.MonkeyPatch) -> AnswerStore:
    # One moto call at a time: the worker and the test's Stop run in two threads.
    table_store = DynamoDbAnswerStore(ANSWER_TABLE, client=OneCallAtATime(dynamodb_answer_table))
    monkeypatch.setattr(fallback_handler, "answer_store", lambda: table_store)
    monkeypatch.setattr(worker, "answer_store", lambda: table_store)
    return table_store


@pytest.fixture
def llm(fake_llm: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAIServer]:
    fake_llm.reply = "".join(PIECES)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-dynamodb")
    for name in ("ANSWER_DEADLINE_SECONDS", "ANSWER_IDLE_SECONDS", "LLM_TOKENS_PER_CONVERSATION"):
        monkeypatch.delenv(name, raising=False)
    worker.reset_container()
    yield fake_llm
    worker.reset_container()


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    ids: list[str] = []
    monkeypatch.setattr(fallback_handler, "invoke_worker", ids.append)
    return ids


def turn(text: str, attributes: dict[str, str] | None = None, *, stream: bool = True) -> dict[str, Any]:
    event = copy.deepcopy(load_event("lex_codehook_fallback_ko_KR.json"))
    event["inputTranscript"] = text
    event["sessionState"]["sessionAttributes"] = dict(attributes or {})
    event["requestAttributes"] = {"x-chatbot-turn": "turn-1"}
    if stream:
        event["requestAttributes"].update({"x-chatbot-stream": "1", "x-chatbot-answer-token": TOKEN})
    response = fallback_handler.handler(event, FakeLambdaContext(25_000))
    assert_fallback_close(response)
    return response


def final(store: AnswerStore, answer_id: str) -> Answer:
    give_up = time.monotonic() + 10
    while time.monotonic() < give_up:
        answer = store.get(answer_id)
        assert answer is not None
        if answer.status not in ("pending", "running"):
            return answer
        time.sleep(0.02)
    pytest.fail("the answer did not end")


def test_an_answer_written_to_dynamodb_is_folded_on_the_next_turn(
    llm: FakeOpenAIServer, store: AnswerStore, started: list[str]
) -> None:
    llm.script(Behaviour.streamed(PIECES))
    placeholder = turn("DynamoDB는 어떻게 저장하나요?")
    record = store.get(started[0])
    assert record is not None
    assert record.job["client"] is None
    assert record.job["question"] == "DynamoDB는 어떻게 저장하나요?"

    assert worker.handler({"answerId": started[0]}, FakeLambdaContext(900_000))["status"] == "done"
    assert final(store, started[0]).text == "".join(PIECES)

    llm.reply = "다음 답변이에요."
    after = turn("고마워요", attributes=placeholder["sessionState"]["sessionAttributes"], stream=False)
    assert texts(after) == ["다음 답변이에요."]
    history, _ = load_history(after["sessionState"]["sessionAttributes"])
    assert [m.content for m in history] == [
        "DynamoDB는 어떻게 저장하나요?",
        "".join(PIECES).strip(),
        "고마워요",
        "다음 답변이에요.",
    ]
    assert PENDING_ATTRIBUTE not in after["sessionState"]["sessionAttributes"]


def test_stop_reaches_the_worker_through_dynamodb(
    llm: FakeOpenAIServer, store: AnswerStore, started: list[str]
) -> None:
    llm.script(Behaviour.streamed(PIECES, first_token_delay=0.0, chunk_pause=5.0))
    turn("천천히 말해 주세요")
    thread = threading.Thread(
        target=worker.handler, args=({"answerId": started[0]}, FakeLambdaContext(900_000)), daemon=True
    )
    thread.start()
    give_up = time.monotonic() + 5
    while time.monotonic() < give_up:
        answer = store.get(started[0])
        if answer is not None and answer.text:
            break
        time.sleep(0.02)

    asked = time.monotonic()
    assert store.request_stop(started[0])
    answer = final(store, started[0])
    assert llm.requests[-1].client_gone.wait(2.0)
    thread.join(2)

    assert time.monotonic() - asked < 2.0
    assert (answer.status, answer.text) == ("stopped", PIECES[0])
