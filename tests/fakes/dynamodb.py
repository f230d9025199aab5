"""The answer table on moto's DynamoDB, for the tests of the DynamoDB answer store and the Lambdas on it.

`moto_answer_table` creates the table as the CDK stack declares it (`pk`/`sk` strings, TTL on
`expiresAt`: cdk_chatbot/answer_table.py) in an offline AWS environment and yields a DynamoDB client
on it. `OneCallAtATime` wraps a client so its calls run one at a time: DynamoDB applies each
(conditional) write atomically, while moto checks a condition and writes without a lock, so two
threads could both pass it. Serialized, moto has DynamoDB's per-request atomicity, and the race
tests and the tests with two threads (a worker writing, a reader pressing Stop) test our conditions.
The shared fixture is `dynamodb_answer_table` (tests/conftest.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from tests.aws_offline import offline_aws_env

ANSWER_TABLE = "answers-test"
# Spelled out, not taken from answer_store: the store must fit the table the stack declares.


def create_answer_table(client: Any, name: str = ANSWER_TABLE) -> None:
    """Create the answer table on `client`'s DynamoDB as the stack declares it."""
    client.create_table(
        TableName=name,
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
        TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expiresAt"}
    )


@contextmanager
def moto_answer_table(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Any]:
    """A DynamoDB client on moto holding ANSWER_TABLE, for as long as the block runs."""
    offline_aws_env(monkeypatch, tmp_path)
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        create_answer_table(client)
        yield client


class OneCallAtATime:
    """A client whose calls run one at a time (see the module docstring)."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._client, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                return method(*args, **kwargs)

        return call
