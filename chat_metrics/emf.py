"""One EMF record per `emit`, printed to stdout or handed to a local sink; never raises.

Powertools' EMF provider builds and validates the record; on Lambda it goes to stdout, where
CloudWatch Logs turns it into metrics (no API call on the hot path). Local mode hands records to
a sink instead (`set_sink`). The namespace is `METRICS_NAMESPACE` (the stack sets it;
`LexLlmChatbot` when unset); `POWERTOOLS_METRICS_DISABLED=true` turns metrics off. Recording never
breaks a turn: a failure is logged and the record dropped.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

NAMESPACE_VARIABLE = "METRICS_NAMESPACE"
DEFAULT_NAMESPACE = "LexLlmChatbot"
DISABLED_VARIABLE = "POWERTOOLS_METRICS_DISABLED"

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
    """The metrics namespace: `METRICS_NAMESPACE`, or `LexLlmChatbot` when it is unset or blank."""
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
