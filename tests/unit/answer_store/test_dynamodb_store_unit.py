"""What only the DynamoDB store has: its item layout (the CDK table and IAM depend on it), expiry on
every item, no token in clear, several Lambdas sharing one table, long text, and named errors."""

from __future__ import annotations

import re
from typing import Any

import pytest

from answer_store import AnswerStoreError
from answer_store import dynamodb as dynamodb_module
from answer_store.dynamodb import DynamoDbAnswerStore
from tests.fakes.dynamodb import ANSWER_TABLE as TABLE

from .conftest import Clock

TTL = 600


@pytest.fixture
def store(dynamodb: Any, clock: Clock) -> DynamoDbAnswerStore:
    return DynamoDbAnswerStore(TABLE, client=dynamodb, clock=clock)


def all_items(client: Any) -> list[dict[str, Any]]:
    return list(client.scan(TableName=TABLE)["Items"])


def a_whole_conversation(store: DynamoDbAnswerStore) -> str:
    store.open_conversation("sess-1", "conversation-secret", TTL)
    answer_id = store.create(session_id="sess-1", token="answer-secret", job={"q": "hi"}, ttl_seconds=TTL)
    store.claim(answer_id)
    store.append(answer_id, "Hello ")
    store.append(answer_id, "there.")
    store.finish(answer_id, "done", finish_reason="stop")
    store.append_turns(
        "sess-1", [{"role": "user", "text": "hi"}, {"role": "bot", "answerId": answer_id}], TTL
    )
    return answer_id


def test_the_item_layout_is_the_documented_one(
    store: DynamoDbAnswerStore, dynamodb: Any, clock: Clock
) -> None:
    answer_id = a_whole_conversation(store)
    keys = sorted((item["pk"]["S"], item["sk"]["S"]) for item in all_items(dynamodb))
    exchange = keys.pop(4)
    assert keys == [
        (f"ANSWER#{answer_id}", "JOB"),
        (f"ANSWER#{answer_id}", "META"),
        (f"ANSWER#{answer_id}", "PIECE#000000001"),
        (f"ANSWER#{answer_id}", "PIECE#000000002"),
        ("SESSION#sess-1", "META"),
    ]
    assert exchange[0] == "SESSION#sess-1"
    assert re.fullmatch(r"EXCHANGE#\d{13}#[0-9a-f]{8}", exchange[1])
    assert int(exchange[1].split("#")[1]) == pytest.approx(clock.now * 1000, abs=1)
    assert exchange[1] < "META"  # a newest-first Query of the session meets META first


def test_every_item_carries_its_expiry_in_epoch_seconds(
    store: DynamoDbAnswerStore, dynamodb: Any, clock: Clock
) -> None:
    a_whole_conversation(store)
    for item in all_items(dynamodb):
        assert int(item["expiresAt"]["N"]) == pytest.approx(clock.now + TTL, abs=1)


def test_no_token_is_stored_in_clear(store: DynamoDbAnswerStore, dynamodb: Any) -> None:
    a_whole_conversation(store)
    dumped = repr(all_items(dynamodb))
    assert "answer-secret" not in dumped
    assert "conversation-secret" not in dumped


def test_the_worker_and_the_reader_may_be_different_lambdas(dynamodb: Any, clock: Clock) -> None:
    hook, worker, reader = (DynamoDbAnswerStore(TABLE, client=dynamodb, clock=clock) for _ in range(3))
    answer_id = hook.create(session_id="sess-9", token="t", job={"q": 1}, ttl_seconds=TTL)
    assert worker.append(answer_id, "before claim") == 0  # pending: nothing is kept
    assert reader.claim(answer_id) is not None
    assert worker.append(answer_id, "piece") == 1
    result = reader.read(answer_id, 0, 0)
    assert result is not None
    assert (result.text, result.cursor) == ("piece", 1)
    by_key = {(i["pk"]["S"], i["sk"]["S"]): i for i in all_items(dynamodb)}
    meta, piece = by_key[(f"ANSWER#{answer_id}", "META")], by_key[(f"ANSWER#{answer_id}", "PIECE#000000001")]
    assert piece["expiresAt"] == meta["expiresAt"]  # written by an instance that never saw create


def test_text_longer_than_one_item_is_kept_in_several_pieces(
    store: DynamoDbAnswerStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dynamodb_module, "MAX_PIECE_CHARS", 4)
    answer_id = store.create(session_id="s", token="t", job={}, ttl_seconds=TTL)
    store.claim(answer_id)
    assert store.append(answer_id, "가나다라마바사아자") == 3
    result = store.read(answer_id, 1, 0)
    assert result is not None
    assert (result.text, result.cursor) == ("마바사아자", 3)


def test_a_piece_number_lost_by_a_dead_worker_is_skipped(store: DynamoDbAnswerStore, dynamodb: Any) -> None:
    answer_id = store.create(session_id="s", token="t", job={}, ttl_seconds=TTL)
    store.claim(answer_id)
    store.append(answer_id, "one ")
    dynamodb.update_item(  # a worker counted piece 2, then died before writing it
        TableName=TABLE,
        Key={"pk": {"S": f"ANSWER#{answer_id}"}, "sk": {"S": "META"}},
        UpdateExpression="ADD pieces :one",
        ExpressionAttributeValues={":one": {"N": "1"}},
    )
    assert store.append(answer_id, "three") == 3
    result = store.read(answer_id, 1, 0)
    assert result is not None
    assert (result.text, result.cursor) == ("three", 3)
    answer = store.get(answer_id)
    assert answer is not None
    assert (answer.text, answer.pieces) == ("one three", 3)


def test_a_missing_table_is_a_named_store_error(dynamodb: Any, clock: Clock) -> None:
    store = DynamoDbAnswerStore("no-such-table", client=dynamodb, clock=clock)
    with pytest.raises(AnswerStoreError, match="GetItem on no-such-table failed: ResourceNotFoundException"):
        store.read("some-id", 0, 0)
    with pytest.raises(AnswerStoreError, match="Query on no-such-table failed: ResourceNotFoundException"):
        store.get("some-id")
