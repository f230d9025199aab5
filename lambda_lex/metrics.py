"""Metrics of the `/chat` Lambda: one CloudWatch embedded-metric-format (EMF) record per request.

Powertools' EMF provider builds and validates the record; it is printed to stdout, where CloudWatch
Logs turns it into metrics (no API call on the hot path). Local mode hands the record to a sink
instead (`set_sink`). Recording never breaks a turn: a failure is logged and dropped.

- `chatbot.turns` (Count): answered turns, by `locale` and `source` (lex, llm, handler, notice: who
  wrote the answer, as in the reply), and in total.
- `chatbot.turns.fallback` (Count): 1 when Lex chose FallbackIntent, else 0, with the same
  dimensions: its sum over `chatbot.turns`'s is the fallback rate.
- `chatbot.chat.errors` (Count): error answers, by `error.type` (the API's error code: throttled,
  upstream_timeout, invalid_json, ...), and in total.

Every record also has the `service` dimension (`chat-api`). The namespace is `METRICS_NAMESPACE`
(the stack sets it; `LexLlmChatbot` when unset); `POWERTOOLS_METRICS_DISABLED=true` turns them off.
This module's `emit` is mirrored by `lambda_chatgpt.metrics.emit`: each Lambda asset holds only
its own packages.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

SERVICE = "chat-api"
NAMESPACE_VARIABLE = "METRICS_NAMESPACE"
DEFAULT_NAMESPACE = "LexLlmChatbot"
DISABLED_VARIABLE = "POWERTOOLS_METRICS_DISABLED"

TURNS = "chatbot.turns"
FALLBACK_TURNS = "chatbot.turns.fallback"
CHAT_ERRORS = "chatbot.chat.errors"
FALLBACK_INTENT = "FallbackIntent"

Sink = Callable[[dict[str, Any]], None]
Metric = tuple[str, str, float]  # name, CloudWatch unit, value

_log = logging.getLogger(__name__)


def _stdout_sink(record: dict[str, Any]) -> None:
    print(json.dumps(record, separators=(",", ":"), ensure_ascii=False), flush=True)


_sink: Sink = _stdout_sink


def set_sink(sink: Sink | None) -> None:
    """Send records to `sink` instead of stdout (local mode); None restores stdout."""
    global _sink
    _sink = sink or _stdout_sink


def namespace(environ: Mapping[str, str] = os.environ) -> str:
    return environ.get(NAMESPACE_VARIABLE, "").strip() or DEFAULT_NAMESPACE


def emit(
    service: str,
    metrics: Sequence[Metric],
    *,
    dimensions: Mapping[str, str],
    also_by: Sequence[Mapping[str, str]] = (),
    metadata: Mapping[str, Any] | None = None,
) -> None:
    """One EMF record: `metrics` by `service` + `dimensions`, and again by each of `also_by`
    (each with `service`). Never raises."""
    try:
        if os.environ.get(DISABLED_VARIABLE, "").strip().lower() in ("1", "true", "yes", "on"):
            return
        from aws_lambda_powertools.metrics.provider.cloudwatch_emf.cloudwatch import (
            AmazonCloudWatchEMFProvider,
        )

        emf = AmazonCloudWatchEMFProvider(namespace=namespace(), service=service)
        for name, value in dimensions.items():
            emf.add_dimension(name=name, value=value)
        for extra in also_by:
            emf.add_dimensions(**{"service": service, **extra})
        for metric, unit, figure in metrics:
            emf.add_metric(name=metric, unit=unit, value=figure)
        for key, item in (metadata or {}).items():
            emf.add_metadata(key=key, value=item)
        record: dict[str, Any] = dict(emf.serialize_metric_set())
        _sink(record)
    except Exception as error:  # metrics must never break a turn
        _log.warning("metrics record dropped: %s: %s", type(error).__name__, error)


def record_turn(*, locale: str, source: str, intent: str | None) -> None:
    """An answered turn: who answered it, and whether it was a FallbackIntent turn."""
    fallback = 1.0 if intent == FALLBACK_INTENT else 0.0
    emit(
        SERVICE,
        [(TURNS, "Count", 1.0), (FALLBACK_TURNS, "Count", fallback)],
        dimensions={"locale": locale or "unknown", "source": source or "unknown"},
        also_by=[{}],
    )


def record_error(code: str) -> None:
    """An error answer (`code` as in the API's error body: throttled, upstream_timeout, ...)."""
    emit(SERVICE, [(CHAT_ERRORS, "Count", 1.0)], dimensions={"error.type": code or "unknown"}, also_by=[{}])
