"""What the proxy Lambdas' log lines share: the request id as correlation id, the latency field."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any, Protocol

from .events import as_event, request_id


class CorrelatedLogger(Protocol):
    """The part of Powertools' Logger `start_request` uses."""

    def set_correlation_id(self, value: str | None) -> None: ...


def start_request(raw_event: object, logger: CorrelatedLogger) -> Mapping[str, Any]:
    """The event as a mapping (`events.as_event`), its request id set as the logger's correlation
    id (cleared when it has none, so a previous request's id never sticks)."""
    event = as_event(raw_event)
    logger.set_correlation_id(request_id(event))
    return event


def latency_fields(started: float) -> dict[str, float]:
    """`{"latency_ms": ...}` since `started` (a `time.perf_counter()` reading)."""
    return {"latency_ms": round((time.perf_counter() - started) * 1000.0, 1)}
