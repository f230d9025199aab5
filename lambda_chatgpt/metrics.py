"""Metrics of the LLM calls in the code-hook Lambda, as CloudWatch embedded metric format (EMF).

Names and dimensions follow OpenTelemetry's GenAI semantic conventions where they fit:

- `chatbot.llm.calls` (Count): one per LLM call, by `gen_ai.system` and `gen_ai.request.model`, and
  again with `outcome` (answered, timeout, rate_limited, failed, not_configured).
- `gen_ai.client.operation.duration` (Seconds, as OTel's metric of that name): the call's duration,
  retries included; same dimensions as `chatbot.llm.calls`.
- `chatbot.llm.time_to_first_token` (Seconds): answered calls only. Answers are not streamed yet,
  so it equals the duration; OTel's `gen_ai.client.operation.time_to_first_chunk` is for streaming
  calls only, and will be emitted once answers stream.
- `gen_ai.client.token.usage` (Count): tokens of an answered call from the provider's usage fields,
  by `gen_ai.system`, `gen_ai.request.model` and `gen_ai.token.type` (input, output).

`gen_ai.system` is `openai` or `aws.bedrock` (OTel's values), `gen_ai.request.model` the configured
model (one per deployment: low cardinality). `gen_ai.operation.name` (`chat`) and the detailed
failure kind (`error.type`: auth_failed, unavailable, ...) are record properties, not dimensions.
Every record has the `service` dimension (`code-hook`).

`emit` writes one record (Powertools' EMF provider builds and validates it) to stdout, where
CloudWatch Logs turns it into metrics: no API call on the hot path. Local mode gives a sink
instead (`set_sink`). It mirrors `lambda_lex.metrics.emit` (each Lambda asset holds only its own
packages) and never raises: a failure is logged and the record dropped.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from .deadline import Deadline
from .llm import LlmError, LlmProvider, Message, TokenUsage

SERVICE = "code-hook"
NAMESPACE_VARIABLE = "METRICS_NAMESPACE"
DEFAULT_NAMESPACE = "LexLlmChatbot"
DISABLED_VARIABLE = "POWERTOOLS_METRICS_DISABLED"

LLM_CALLS = "chatbot.llm.calls"
OPERATION_DURATION = "gen_ai.client.operation.duration"
TIME_TO_FIRST_TOKEN = "chatbot.llm.time_to_first_token"  # noqa: S105 - a metric or dimension name
TOKEN_USAGE = "gen_ai.client.token.usage"  # noqa: S105 - a metric or dimension name
SYSTEM = "gen_ai.system"
MODEL = "gen_ai.request.model"
TOKEN_TYPE = "gen_ai.token.type"  # noqa: S105 - a metric or dimension name
OUTCOME = "outcome"
OPERATION_NAME = "chat"

ANSWERED = "answered"
OUTCOMES = ("answered", "timeout", "rate_limited", "failed", "not_configured")
# LlmError kinds with an outcome of their own; every other kind (unavailable, bad_response,
# auth_failed, key_unavailable, error) is "failed".
_OWN_OUTCOMES = frozenset({"timeout", "rate_limited", "not_configured"})
# The provider's name -> OTel's gen_ai.system value.
GEN_AI_SYSTEMS: Mapping[str, str] = {"openai": "openai", "bedrock": "aws.bedrock"}

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


def outcome_of(kind: str) -> str:
    """The outcome dimension of an LlmError kind (or "answered")."""
    if kind == ANSWERED or kind in _OWN_OUTCOMES:
        return kind
    return "failed"


def record_llm_call(
    *, provider: str, model: str, kind: str, seconds: float, usage: TokenUsage | None = None
) -> None:
    """One LLM call: its outcome (`kind`: "answered" or an LlmError kind), duration and tokens."""
    base = {SYSTEM: GEN_AI_SYSTEMS.get(provider, provider or "unknown"), MODEL: model or "unknown"}
    outcome = outcome_of(kind)
    figures: list[Metric] = [(LLM_CALLS, "Count", 1.0), (OPERATION_DURATION, "Seconds", seconds)]
    if outcome == ANSWERED:
        figures.append((TIME_TO_FIRST_TOKEN, "Seconds", seconds))
    metadata: dict[str, Any] = {"gen_ai.operation.name": OPERATION_NAME}
    if outcome != ANSWERED:
        metadata["error.type"] = kind
    emit(SERVICE, figures, dimensions=base, also_by=[{**base, OUTCOME: outcome}], metadata=metadata)
    if usage is None:
        return
    for token_type, count in (("input", usage.input_tokens), ("output", usage.output_tokens)):
        if count is not None:
            emit(
                SERVICE,
                [(TOKEN_USAGE, "Count", float(count))],
                dimensions={**base, TOKEN_TYPE: token_type},
                metadata={"gen_ai.operation.name": OPERATION_NAME},
            )


class MeteredProvider:
    """An LlmProvider that records every call (`record_llm_call`) of the provider it wraps."""

    def __init__(self, inner: LlmProvider, *, clock: Callable[[], float] = time.perf_counter) -> None:
        self.inner = inner
        self.name = inner.name
        self.model = inner.model
        self._clock = clock

    def complete(self, messages: Sequence[Message], deadline: Deadline) -> str:
        started = self._clock()
        try:
            text = self.inner.complete(messages, deadline)
        except LlmError as error:
            record_llm_call(
                provider=self.name, model=self.model, kind=error.kind, seconds=self._clock() - started
            )
            raise
        elapsed = self._clock() - started
        last_usage = getattr(self.inner, "last_usage", None)
        usage = last_usage() if callable(last_usage) else None
        record_llm_call(
            provider=self.name,
            model=self.model,
            kind=ANSWERED,
            seconds=elapsed,
            usage=usage if isinstance(usage, TokenUsage) else None,
        )
        return text

    def complete_stream(self, messages: Sequence[Message], deadline: Deadline) -> Iterator[str]:
        """Not metered yet (streaming is not wired into the turn): the inner provider's stream."""
        return self.inner.complete_stream(messages, deadline)
