"""Fixtures for the answer store contract: a clock the test moves, and each implementation of the store
(the embedded one, and the DynamoDB one against moto's DynamoDB in an offline AWS environment)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from answer_store import AnswerStore, EmbeddedAnswerStore
from answer_store.dynamodb import DynamoDbAnswerStore
from tests.aws_offline import offline_aws_env

TABLE = "answers-test"


class Clock:
    """Epoch seconds that move only when a test moves them."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


class OneCallAtATime:
    """A client whose calls run one at a time. DynamoDB applies each conditional write atomically; moto
    checks the condition and writes without a lock, so two threads can both pass it. Serializing the
    calls gives moto DynamoDB's per-request atomicity (the race tests then test our conditions)."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._client, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                return method(*args, **kwargs)

        return call


@pytest.fixture
def dynamodb(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Any]:
    """A DynamoDB client on moto, with the table as the CDK stack declares it (pk/sk strings, TTL)."""
    offline_aws_env(monkeypatch, tmp_path)
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        client.create_table(
            TableName=TABLE,
            KeySchema=[
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"},
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        client.update_time_to_live(
            TableName=TABLE, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expiresAt"}
        )
        yield client


@pytest.fixture(params=["embedded", "dynamodb"])
def store(request: pytest.FixtureRequest, clock: Clock) -> AnswerStore:
    if request.param == "embedded":
        return EmbeddedAnswerStore(clock=clock)
    client = OneCallAtATime(request.getfixturevalue("dynamodb"))
    return DynamoDbAnswerStore(TABLE, client=client, clock=clock)
