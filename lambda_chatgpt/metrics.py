"""Metrics of the LLM calls in the code-hook Lambda, as CloudWatch embedded metric format (EMF).

Names and dimensions follow OpenTelemetry's GenAI semantic conventions where they fit:

- `chatbot.llm.calls` (Count): one per LLM call, by `gen_ai.system` and `gen_ai.request.model`, and
  again with `outcome` (answered, timeout, rate_limited, failed, not_configured).
- `gen_ai.client.operation.duration` (Seconds, as OTel's metric of that name): the call's duration,
  retries included; same dimensions as `chatbot.llm.calls`.
- `chatbot.llm.time_to_first_token` (Seconds): answered calls only. For a synchronous answer it
  equals the duration; for a streamed one (the answer worker, record property `streamed`: 1) it is
  the time to the first text delta.
- `gen_ai.client.token.usage` (Count): tokens of an answered call from the provider's usage fields,
  by `gen_ai.system`, `gen_ai.request.model` and `gen_ai.token.type` (input, output).

`gen_ai.system` is `openai` or `aws.bedrock` (OTel's values), `gen_ai.request.model` the configured
model (one per deployment: low cardinality). `gen_ai.operation.name` (`chat`) and the detailed
failure kind (`error.type`: auth_failed, unavailable, ...) are record properties, not dimensions.
Every record has the `service` dimension (`code-hook`).

Records are written with the shared `chat_metrics.emit` (one EMF record to stdout, where CloudWatch
Logs turns it into metrics; a sink in local mode, `set_sink`); it never raises.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from chat_metrics import Metric, emit

# Re-exported: the LLM metrics' tests reach them here.
from chat_metrics import namespace as namespace
from chat_metrics import set_sink as set_sink

from .deadline import Deadline
from .llm import LlmError, LlmProvider, Message, TokenUsage

SERVICE = "code-hook"

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


def outcome_of(kind: str) -> str:
    """The outcome dimension of an LlmError kind (or "answered")."""
    if kind == ANSWERED or kind in _OWN_OUTCOMES:
        return kind
    return "failed"


def record_llm_call(
    *,
    provider: str,
    model: str,
    kind: str,
    seconds: float,
    usage: TokenUsage | None = None,
    streamed: bool = False,
    first_token_seconds: float | None = None,
    stopped: bool = False,
) -> None:
    """One LLM call: its outcome (`kind`: "answered" or an LlmError kind), duration and tokens.

    A streamed answer (the answer worker) says so (`streamed`: 1) and gives its real time to first
    token; one a reader stopped is "answered" with `stopped`: 1 (its text is kept)."""
    base = {SYSTEM: GEN_AI_SYSTEMS.get(provider, provider or "unknown"), MODEL: model or "unknown"}
    outcome = outcome_of(kind)
    figures: list[Metric] = [(LLM_CALLS, "Count", 1.0), (OPERATION_DURATION, "Seconds", seconds)]
    first_token = first_token_seconds if streamed else seconds
    if outcome == ANSWERED and first_token is not None:
        figures.append((TIME_TO_FIRST_TOKEN, "Seconds", first_token))
    metadata: dict[str, Any] = {"gen_ai.operation.name": OPERATION_NAME}
    if streamed:
        metadata["streamed"] = 1
    if stopped:
        metadata["stopped"] = 1
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
        """The inner provider's stream, not metered here: the answer worker (`answer_writer`) records
        the call when the answer has ended, knowing how (done, stopped, failed)."""
        return self.inner.complete_stream(messages, deadline)
