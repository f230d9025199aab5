"""Retries under a deadline: exponential backoff with full jitter, honouring Retry-After.

An attempt signals "worth another try" by raising `RetryableError` (429, 5xx, connection errors); any
other LlmError ends the turn at once. A new attempt starts only when the pause plus a useful
minimum of time still fit before the deadline; otherwise the last failure is reported.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from .deadline import Deadline
from .llm import LlmError, LlmTimeoutError

T = TypeVar("T")

MAX_RETRY_AFTER_SECONDS = 60.0


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try. Delays are in seconds."""

    max_attempts: int = 4
    base_delay: float = 0.25
    max_delay: float = 4.0
    # Not worth starting an HTTP attempt with less time than this left.
    min_attempt_seconds: float = 0.25


class RetryableError(Exception):
    """An attempt failed in a way another attempt may fix."""

    def __init__(self, error: LlmError, retry_after: float | None = None) -> None:
        super().__init__(error.detail)
        self.error = error
        self.retry_after = retry_after


def call_with_retries(
    attempt: Callable[[float], T],
    deadline: Deadline,
    policy: RetryPolicy,
    *,
    sleep: Callable[[float], None] = time.sleep,
    jitter: Callable[[], float] = random.random,
) -> T:
    """Run `attempt(seconds_left)` until it returns, fails for good, or time runs out."""
    last: LlmError | None = None
    for number in range(policy.max_attempts):
        remaining = deadline.remaining()
        if remaining < policy.min_attempt_seconds:
            raise last or LlmTimeoutError("deadline reached before the provider was called")
        try:
            return attempt(remaining)
        except RetryableError as failure:
            last = failure.error
            if number + 1 >= policy.max_attempts:
                break
            delay = jitter() * min(policy.max_delay, policy.base_delay * 2**number)
            if failure.retry_after is not None:
                delay = max(delay, failure.retry_after)
            if deadline.remaining() - delay < policy.min_attempt_seconds:
                break
            sleep(delay)
    assert last is not None
    raise last


def parse_retry_after(
    value: str | None, *, now: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> float | None:
    """Retry-After as seconds: a number (fractions tolerated) or an HTTP date; None if absent or junk."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - now()).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_SECONDS)
