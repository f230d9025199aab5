"""The usage store: the in-process one and the DynamoDB one (under moto) keep the same contract."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from usage_store import InMemoryUsageStore, UsageStore, UsageStoreError, store_from_env
from usage_store.dynamodb import KEY_ATTRIBUTE, TTL_ATTRIBUTE, DynamoDbUsageStore

TABLE = "usage-test"


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def dynamodb(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        client.create_table(
            TableName=TABLE,
            KeySchema=[{"AttributeName": KEY_ATTRIBUTE, "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": KEY_ATTRIBUTE, "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        yield client


@pytest.fixture(params=["memory", "dynamodb"])
def store(request: pytest.FixtureRequest, clock: Clock) -> UsageStore:
    if request.param == "memory":
        return InMemoryUsageStore(clock=clock)
    client = request.getfixturevalue("dynamodb")
    return DynamoDbUsageStore(TABLE, client=client, clock=clock)


def test_an_unknown_key_counts_zero(store: UsageStore) -> None:
    assert store.get("conv#nobody") == 0


def test_additions_accumulate_and_return_the_new_total(store: UsageStore) -> None:
    assert store.add_tokens("conv#a", 120, 3600) == 120
    assert store.add_tokens("conv#a", 30, 3600) == 150
    assert store.get("conv#a") == 150


def test_keys_are_counted_apart(store: UsageStore) -> None:
    store.add_tokens("conv#a", 10, 3600)
    store.add_tokens("conv#b", 7, 3600)
    assert (store.get("conv#a"), store.get("conv#b")) == (10, 7)


def test_an_expired_counter_reads_zero(store: UsageStore, clock: Clock) -> None:
    store.add_tokens("day#x", 500, 60)
    clock.now += 61
    assert store.get("day#x") == 0


def test_an_addition_after_expiry_starts_again(store: UsageStore, clock: Clock) -> None:
    store.add_tokens("day#x", 500, 60)
    clock.now += 61
    assert store.add_tokens("day#x", 5, 60) == 5


def test_each_addition_pushes_the_expiry_back(store: UsageStore, clock: Clock) -> None:
    store.add_tokens("conv#a", 1, 60)
    clock.now += 50
    store.add_tokens("conv#a", 1, 60)
    clock.now += 50
    assert store.get("conv#a") == 2


def test_a_negative_addition_is_refused(store: UsageStore) -> None:
    with pytest.raises(ValueError, match=">= 0"):
        store.add_tokens("conv#a", -1, 60)


def test_the_memory_store_loses_no_count_under_threads() -> None:
    store = InMemoryUsageStore()

    def add() -> None:
        for _ in range(500):
            store.add_tokens("client#x", 1, 60)

    threads = [threading.Thread(target=add) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.get("client#x") == 4000


def test_dynamodb_items_carry_the_ttl_attribute_in_epoch_seconds(dynamodb: Any, clock: Clock) -> None:
    DynamoDbUsageStore(TABLE, client=dynamodb, clock=clock).add_tokens("conv#a", 3, 600)
    item = dynamodb.get_item(TableName=TABLE, Key={KEY_ATTRIBUTE: {"S": "conv#a"}})["Item"]
    assert item[TTL_ATTRIBUTE] == {"N": str(int(clock.now) + 600)}


def test_a_missing_table_is_a_usage_store_error(dynamodb: Any) -> None:
    store = DynamoDbUsageStore("no-such-table", client=dynamodb)
    with pytest.raises(UsageStoreError, match="ResourceNotFoundException"):
        store.get("conv#a")


def test_the_environment_picks_dynamodb_when_a_table_is_named() -> None:
    assert isinstance(store_from_env({"USAGE_TABLE_NAME": "t"}), DynamoDbUsageStore)


def test_without_a_table_every_caller_shares_one_in_process_store() -> None:
    first, second = store_from_env({}), store_from_env({})
    assert isinstance(first, InMemoryUsageStore)
    assert first is second
