"""Fixtures for the answer store contract: a clock the test moves, and each implementation of the store."""

from __future__ import annotations

import pytest

from answer_store import AnswerStore, EmbeddedAnswerStore

IMPLEMENTATIONS = ["embedded"]


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


@pytest.fixture(params=IMPLEMENTATIONS)
def store(request: pytest.FixtureRequest, clock: Clock) -> AnswerStore:
    if request.param == "embedded":
        return EmbeddedAnswerStore(clock=clock)
    raise AssertionError(f"no such store {request.param}")
