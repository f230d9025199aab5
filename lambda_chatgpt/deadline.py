"""One deadline for the whole fallback turn: secret lookup, retries and the model call all share it.

The turn may take the configured cap (LLM_DEADLINE_SECONDS, 20 s by default) or what the Lambda has
left minus a safety margin, whichever is smaller, so that an answer (even "that took too long")
always reaches Lex before its 30 s and API Gateway's 29 s run out. `remaining_millis` reads the
Lambda's time left and `latency_fields` the log fields of a turn's duration, for both code-hook
entry points (the fallback handler and the router).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

# Time kept back for building the response, logging and the runtime's own overhead.
SAFETY_MARGIN_SECONDS = 1.5


class Deadline:
    """A point on the monotonic clock; `remaining()` counts down to zero."""

    def __init__(self, expires_at: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._expires_at = expires_at
        self._clock = clock

    @classmethod
    def for_turn(
        cls,
        cap_seconds: float,
        remaining_millis: int | None,
        *,
        margin_seconds: float = SAFETY_MARGIN_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> Deadline:
        """min(cap, Lambda time left - margin); the cap alone when the time left is unknown."""
        budget = cap_seconds
        if remaining_millis is not None:
            budget = min(budget, remaining_millis / 1000.0 - margin_seconds)
        return cls(clock() + max(budget, 0.0), clock)

    def remaining(self) -> float:
        """Seconds left, never negative."""
        return max(self._expires_at - self._clock(), 0.0)

    def expired(self) -> bool:
        return self.remaining() <= 0.0


def remaining_millis(context: Any) -> int | None:
    """The Lambda's time left (`context.get_remaining_time_in_millis()`); None when it cannot tell."""
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    if not callable(remaining):
        return None
    try:
        return int(remaining())
    except (TypeError, ValueError):
        return None


def latency_fields(started: float) -> dict[str, float]:
    """`latency_ms` since `started` (a `time.perf_counter()` reading), for a turn's log record."""
    return {"latency_ms": round((time.perf_counter() - started) * 1000.0, 1)}
