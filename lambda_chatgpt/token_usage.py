"""How many tokens an LLM call used: the provider's own usage fields when it sends them.

Providers report what they read (`record`) without changing their `complete(...) -> str` port; a
caller that wants the figures wraps its call in `metering()`. The meter lives in a context
variable, so concurrent turns (local mode runs many in one process) never mix their counts; the
OpenAI provider's worker thread runs in a copy of the caller's context, which shares the meter.
When a provider sends no usage, `estimate_tokens` stands in.
"""

from __future__ import annotations

import contextvars
import json
import math
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

# About four bytes of UTF-8 per token for English; Korean runs near one token per syllable (three
# bytes), so three bytes per token errs on the side of counting more. Plus a few tokens per message.
_BYTES_PER_TOKEN = 3
_TOKENS_PER_MESSAGE = 4


@dataclass(frozen=True)
class TokenUsage:
    """One LLM call's usage as the provider reported it."""

    input_tokens: int
    output_tokens: int

    @property
    def total(self) -> int:
        return self.input_tokens + self.output_tokens


@dataclass
class UsageMeter:
    """The usages recorded while it was active."""

    calls: list[TokenUsage] = field(default_factory=list)

    @property
    def total(self) -> int | None:
        """Tokens of every recorded call; None when no provider reported usage."""
        return sum(call.total for call in self.calls) if self.calls else None


_meter: contextvars.ContextVar[UsageMeter | None] = contextvars.ContextVar("llm_usage_meter", default=None)


@contextmanager
def metering() -> Iterator[UsageMeter]:
    """Collect the usage providers record inside this block (in this context)."""
    meter = UsageMeter()
    token = _meter.set(meter)
    try:
        yield meter
    finally:
        _meter.reset(token)


def record(usage: TokenUsage | None) -> None:
    """Called by providers with what they parsed; a no-op outside `metering()` or without usage."""
    meter = _meter.get()
    if meter is not None and usage is not None:
        meter.calls.append(usage)


def openai_usage(body: bytes) -> TokenUsage | None:
    """`usage.prompt_tokens` / `usage.completion_tokens` of a chat completion body, when present."""
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        return None
    usage = document.get("usage") if isinstance(document, dict) else None
    if not isinstance(usage, dict):
        return None
    return _usage(usage.get("prompt_tokens"), usage.get("completion_tokens"))


def bedrock_usage(response: Any) -> TokenUsage | None:
    """`usage.inputTokens` / `usage.outputTokens` of a Bedrock Converse answer, when present."""
    usage = response.get("usage") if isinstance(response, dict) else None
    if not isinstance(usage, dict):
        return None
    return _usage(usage.get("inputTokens"), usage.get("outputTokens"))


def _usage(inputs: object, outputs: object) -> TokenUsage | None:
    def count(value: object) -> int | None:
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        return None

    read, written = count(inputs), count(outputs)
    if read is None and written is None:
        return None
    return TokenUsage(read or 0, written or 0)


def estimate_tokens(texts: Iterable[str]) -> int:
    """A generous estimate for providers that report no usage: the prompt's and answer's texts."""
    total = 0
    for text in texts:
        total += math.ceil(len(text.encode("utf-8")) / _BYTES_PER_TOKEN) + _TOKENS_PER_MESSAGE
    return total
