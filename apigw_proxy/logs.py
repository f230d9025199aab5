"""What the loggers of the proxy Lambdas share: a quiet botocore, a safe level, one latency field."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any, Protocol

from .events import as_event, request_id

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class CorrelatedLogger(Protocol):
    """The part of Powertools' Logger `start_request` uses."""

    def set_correlation_id(self, value: str | None) -> None: ...


def quiet_botocore() -> None:
    """Keep botocore at INFO or quieter, whatever level the runtime gives the root logger: its DEBUG
    output prints request and response bodies and signed headers (the user's text, stored answers)."""
    botocore_logger = logging.getLogger("botocore")
    botocore_logger.setLevel(max(botocore_logger.level, logging.INFO))


def safe_log_level(raw: str | None) -> str:
    """LOG_LEVEL as the logger can take it at import time, INFO when unset or invalid."""
    level = (raw or "").strip().upper()
    return level if level in LOG_LEVELS else "INFO"


def start_request(raw_event: object, logger: CorrelatedLogger) -> Mapping[str, Any]:
    """The event as a mapping (`events.as_event`), its request id set as the logger's correlation
    id (cleared when it has none, so a previous request's id never sticks)."""
    event = as_event(raw_event)
    logger.set_correlation_id(request_id(event))
    return event


def latency_fields(started: float) -> dict[str, float]:
    """`{"latency_ms": ...}` since `started` (a `time.perf_counter()` reading)."""
    return {"latency_ms": round((time.perf_counter() - started) * 1000.0, 1)}
