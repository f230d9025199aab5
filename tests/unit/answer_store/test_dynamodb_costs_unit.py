"""What /chat's use of the DynamoDB store costs, counted in calls: a turn is one small PutItem (never a
rewrite of the whole conversation), a conversation is one Query, an idle session's check one GetItem."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from answer_store.dynamodb import DynamoDbAnswerStore
from answer_store.records import MAX_TURNS
from tests.fakes.dynamodb import ANSWER_TABLE as TABLE

from .conftest import Clock

TTL = 600


class CountingClient:
    """A DynamoDB client recording each call's operation (as DynamoDB names it) and parameters."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._client, name)
        operation = "".join(part.title() for part in name.split("_"))

        def call(**params: Any) -> Any:
            self.calls.append((operation, params))
            return method(**params)

        return call

    def operations(self) -> list[str]:
        done = [operation for operation, _ in self.calls]
        self.calls.clear()
        return done


@pytest.fixture
def counted(dynamodb: Any) -> CountingClient:
    return CountingClient(dynamodb)


def a_store(counted: CountingClient, clock: Clock) -> DynamoDbAnswerStore:
    """One Lambda container's store (each has its own memory of what it has read)."""
    return DynamoDbAnswerStore(TABLE, client=counted, clock=clock)


def exchange(n: int) -> list[dict[str, object]]:
    return [
        {"role": "user", "text": f"question {n}", "at": n},
        {"role": "bot", "source": "intent", "msg": f"reply {n} " + "words " * 40, "messages": [], "at": n},
    ]


def test_a_chat_turn_costs_one_getitem_and_one_putitem(counted: CountingClient, clock: Clock) -> None:
    chat = a_store(counted, clock)
    chat.open_conversation("sess-1", "tok", TTL)
    counted.operations()
    per_turn = []
    for n in range(1, 31):  # a turn every 9 s: 270 s, within half the TTL
        clock.advance(9)
        assert chat.active_answer("sess-1") is None  # /chat's check before Lex
        chat.append_turns("sess-1", exchange(n), TTL)  # its transcript after
        per_turn.append(counted.operations())
    # The first turn outlives the token's expiry: the session's record moves it once, for half a TTL.
    assert per_turn[0] == ["GetItem", "PutItem", "UpdateItem"]
    assert per_turn[1:] == [["GetItem", "PutItem"]] * 29
    # Every PutItem writes a new item holding only its own exchange.
    other_container = a_store(counted, clock)
    clock.advance(9)
    assert other_container.active_answer("sess-1") is None
    other_container.append_turns("sess-1", exchange(31), TTL)
    assert [op for op, _ in counted.calls] == ["GetItem", "PutItem"]
    put = counted.calls[1][1]
    assert [turn["S"] for turn in put["Item"]["turns"]["L"]] == [
        '{"role": "user", "text": "question 31", "at": 31}',
        put["Item"]["turns"]["L"][1]["S"],
    ]
    assert "ConditionExpression" not in put


def test_the_token_still_opens_a_conversation_kept_alive_by_turns(
    counted: CountingClient, clock: Clock
) -> None:
    chat = a_store(counted, clock)
    chat.open_conversation("sess-1", "tok", TTL)
    counted.operations()
    for n in range(12):  # 12 turns over 1,320 s: twice the TTL
        clock.advance(110)
        chat.active_answer("sess-1")
        chat.append_turns("sess-1", exchange(n), TTL)
    operations = counted.operations()
    assert operations.count("PutItem") == 12
    assert operations.count("UpdateItem") <= 12 * 110 // (TTL // 2) + 1  # once per half TTL at most
    reader = a_store(counted, clock)
    assert reader.check_conversation_token("sess-1", "tok") is True
    conversation = reader.conversation("sess-1")
    assert conversation is not None
    assert [turn["at"] for turn in conversation.turns[::2]] == list(range(6, 12))  # the last 600 s


def test_a_cold_container_appending_first_keeps_the_token_alive_with_a_conditional_update(
    counted: CountingClient, clock: Clock
) -> None:
    a_store(counted, clock).open_conversation("sess-1", "tok", TTL)
    cold = a_store(counted, clock)
    clock.advance(5)
    counted.operations()
    cold.append_turns("sess-1", exchange(1), TTL)
    assert counted.operations() == ["PutItem", "UpdateItem"]
    clock.advance(5)
    cold.append_turns("sess-1", exchange(2), TTL)
    assert counted.operations() == ["PutItem"]


def test_reading_a_long_conversation_is_one_query(counted: CountingClient, clock: Clock) -> None:
    store = a_store(counted, clock)
    store.open_conversation("sess-1", "tok", TTL)
    for n in range(MAX_TURNS // 2 + 40):
        clock.advance(0.5)
        store.append_turns("sess-1", exchange(n), TTL)
    counted.operations()
    conversation = a_store(counted, clock).conversation("sess-1")
    assert counted.operations() == ["Query"]
    assert conversation is not None
    assert len(conversation.turns) == MAX_TURNS
    assert conversation.turns[0]["at"] == 40
    assert conversation.turns[-1]["at"] == MAX_TURNS // 2 + 39


def test_one_turn_exchanges_are_read_in_a_second_page(counted: CountingClient, clock: Clock) -> None:
    store = a_store(counted, clock)
    for n in range(MAX_TURNS + 20):
        store.append_turns("sess-1", [{"role": "user", "n": n}], TTL)
    counted.operations()
    conversation = store.conversation("sess-1")
    assert counted.operations() == ["Query", "Query"]
    assert conversation is not None
    assert [turn["n"] for turn in conversation.turns] == list(range(20, MAX_TURNS + 20))


def test_a_busy_session_costs_a_second_getitem_only_while_it_has_an_answer(
    counted: CountingClient, clock: Clock
) -> None:
    store = a_store(counted, clock)
    answer_id = store.create(session_id="sess-1", token="t", job={}, ttl_seconds=TTL)
    counted.operations()
    assert store.active_answer("sess-1") == answer_id
    assert counted.operations() == ["GetItem", "GetItem"]  # the session, then its answer's state
    store.claim(answer_id)
    store.finish(answer_id, "done")
    counted.operations()
    assert store.active_answer("sess-1") is None
    assert counted.operations() == ["GetItem"]
    conversation = store.conversation("sess-1")
    assert conversation is not None
    assert counted.operations() == ["Query"]


def test_a_dead_workers_answer_is_dropped_from_the_session_once(
    counted: CountingClient, clock: Clock
) -> None:
    store = a_store(counted, clock)
    answer_id = store.create(session_id="sess-1", token="t", job={}, ttl_seconds=TTL)
    store.claim(answer_id)
    store.append(answer_id, "half an ans")
    clock.advance(31)  # the worker went silent: the answer is stale, never finished
    counted.operations()
    assert store.active_answer("sess-1") is None
    assert counted.operations() == ["GetItem", "GetItem", "UpdateItem"]
    assert store.active_answer("sess-1") is None
    assert counted.operations() == ["GetItem"]
    answer = store.get(answer_id)
    assert answer is not None
    assert (answer.status, answer.error_kind, answer.text) == ("failed", "unavailable", "half an ans")
    assert store.append(answer_id, "wer") == 1  # still dead: nothing more is kept
