"""Fixtures for the answer store contract: a clock the test moves, and each implementation of the store
(the embedded one, and the DynamoDB one against moto's DynamoDB: tests/fakes/dynamodb.py)."""

from __future__ import annotations

from typing import Any

import pytest

from answer_store import AnswerStore, EmbeddedAnswerStore
from answer_store.dynamodb import DynamoDbAnswerStore
from tests.fakes.dynamodb import ANSWER_TABLE as TABLE
from tests.fakes.dynamodb import OneCallAtATime


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


@pytest.fixture
def dynamodb(dynamodb_answer_table: Any) -> Any:
    """The answer table's DynamoDB client on moto (tests/conftest.py), as the DynamoDB tests call it."""
    return dynamodb_answer_table


@pytest.fixture(params=["embedded", "dynamodb"])
def store(request: pytest.FixtureRequest, clock: Clock) -> AnswerStore:
    if request.param == "embedded":
        return EmbeddedAnswerStore(clock=clock)
    client = OneCallAtATime(request.getfixturevalue("dynamodb"))
    return DynamoDbAnswerStore(TABLE, client=client, clock=clock)
