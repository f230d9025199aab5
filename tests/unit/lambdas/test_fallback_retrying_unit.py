"""Retries under one deadline: backoff with full jitter, Retry-After honoured, never past the deadline."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from lambda_chatgpt.deadline import Deadline
from lambda_chatgpt.llm import LlmAuthError, LlmRateLimitedError, LlmTimeoutError, LlmUnavailableError
from lambda_chatgpt.retrying import RetryableError, RetryPolicy, call_with_retries, parse_retry_after


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def run(
    outcomes: Sequence[object],
    *,
    budget: float = 20.0,
    jitter: float = 1.0,
    policy: RetryPolicy | None = None,
):
    clock = FakeClock()
    deadline = Deadline(clock() + budget, clock)
    seen: list[float] = []
    pending = list(outcomes)

    def attempt(seconds: float) -> str:
        seen.append(seconds)
        outcome = pending.pop(0)
        if isinstance(outcome, BaseException):
            raise outcome
        return str(outcome)

    result: object
    try:
        result = call_with_retries(
            attempt, deadline, policy or RetryPolicy(), sleep=clock.sleep, jitter=lambda: jitter
        )
    except Exception as error:
        result = error
    return result, clock.sleeps, seen


def test_success_first_time_needs_no_pause() -> None:
    assert run(["answer"]) == ("answer", [], [20.0])


def test_backoff_grows_exponentially_with_full_jitter() -> None:
    outcomes = [RetryableError(LlmUnavailableError("500"))] * 3 + ["answer"]
    result, sleeps, _ = run(outcomes, jitter=1.0)
    assert result == "answer"
    assert sleeps == [0.25, 0.5, 1.0]
    _, sleeps, _ = run([RetryableError(LlmUnavailableError("500")), "answer"], jitter=0.0)
    assert sleeps == [0.0]


def test_retry_after_is_a_floor_for_the_pause() -> None:
    result, sleeps, _ = run(
        [RetryableError(LlmRateLimitedError("429"), retry_after=2.0), "answer"], jitter=0.5
    )
    assert result == "answer"
    assert sleeps == [2.0]


def test_a_retry_after_beyond_the_deadline_gives_up_at_once() -> None:
    result, sleeps, seen = run([RetryableError(LlmRateLimitedError("429"), retry_after=30.0), "answer"])
    assert isinstance(result, LlmRateLimitedError)
    assert sleeps == []
    assert len(seen) == 1


def test_each_attempt_gets_only_the_time_that_is_left() -> None:
    _, _, seen = run([RetryableError(LlmUnavailableError("500"), retry_after=5.0), "answer"], budget=10.0)
    assert seen == [10.0, 5.0]


def test_attempts_are_capped_and_the_last_failure_is_reported() -> None:
    outcomes: list[object] = [RetryableError(LlmRateLimitedError("429"), retry_after=0.1)] * 10
    result, sleeps, seen = run(outcomes)
    assert isinstance(result, LlmRateLimitedError)
    assert len(seen) == RetryPolicy().max_attempts
    assert len(sleeps) == RetryPolicy().max_attempts - 1


def test_final_failures_are_not_retried() -> None:
    result, sleeps, seen = run([LlmAuthError("401"), "answer"])
    assert isinstance(result, LlmAuthError)
    assert (sleeps, len(seen)) == ([], 1)


def test_no_attempt_starts_without_a_useful_amount_of_time() -> None:
    result, _, seen = run(["answer"], budget=0.1)
    assert isinstance(result, LlmTimeoutError)
    assert seen == []


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("3", 3.0),
        ("0.25", 0.25),
        (" 2 ", 2.0),
        ("-5", 0.0),
        ("600", 60.0),
        ("soon", None),
        ("", None),
        (None, None),
        ("nan", None),
        ("Wed, 21 Oct 2026 07:28:10 GMT", 10.0),
    ],
)
def test_retry_after_header_values(value: str | None, seconds: float | None) -> None:
    now = datetime(2026, 10, 21, 7, 28, 0, tzinfo=UTC)
    assert parse_retry_after(value, now=lambda: now) == seconds


def test_deadline_is_the_smaller_of_the_cap_and_the_lambda_time_left_minus_a_margin() -> None:
    clock = FakeClock()
    assert Deadline.for_turn(20.0, 25_000, clock=clock).remaining() == 20.0
    assert Deadline.for_turn(20.0, 10_000, margin_seconds=1.5, clock=clock).remaining() == 8.5
    assert Deadline.for_turn(20.0, None, clock=clock).remaining() == 20.0
    expired = Deadline.for_turn(20.0, 500, clock=clock)
    assert expired.remaining() == 0.0
    assert expired.expired()
