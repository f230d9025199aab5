"""How many tokens a turn's LLM calls used, for the token budgets: the providers' usage fields.

Providers parse their usage fields (`llm.TokenUsage`) and `record` them without changing their
`complete(...) -> str` port; a caller that wants the total wraps its calls in `metering()`. The
meter lives in a context variable, so concurrent turns (local mode runs many in one process) never
mix their counts. When a provider reports no usage, `estimate_tokens` stands in.
"""

from __future__ import annotations

import contextvars
import math
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from .llm import TokenUsage

# About four bytes of UTF-8 per token for English; Korean runs near one token per syllable (three
# bytes), so three bytes per token errs on the side of counting more. Plus a few tokens per message.
_BYTES_PER_TOKEN = 3
_TOKENS_PER_MESSAGE = 4


@dataclass
class UsageMeter:
    """The usages recorded while it was active."""

    calls: list[TokenUsage] = field(default_factory=list)

    @property
    def total(self) -> int | None:
        """Tokens of every recorded call (a missing field counts 0); None when none was recorded."""
        if not self.calls:
            return None
        return sum((call.input_tokens or 0) + (call.output_tokens or 0) for call in self.calls)

    @property
    def usage(self) -> TokenUsage | None:
        """The recorded calls' fields added up (a field no call reported stays None); None when none."""
        if not self.calls:
            return None
        return TokenUsage(
            _added(call.input_tokens for call in self.calls),
            _added(call.output_tokens for call in self.calls),
        )


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


def _added(counts: Iterable[int | None]) -> int | None:
    known = [count for count in counts if count is not None]
    return sum(known) if known else None


def estimate_tokens(texts: Iterable[str]) -> int:
    """A generous estimate for providers that report no usage: the prompt's and answer's texts (raw
    streamed deltas may hold half a character: a lone surrogate counts as three bytes, never raises)."""
    total = 0
    for text in texts:
        size = len(text.encode("utf-8", "surrogatepass"))
        total += math.ceil(size / _BYTES_PER_TOKEN) + _TOKENS_PER_MESSAGE
    return total
