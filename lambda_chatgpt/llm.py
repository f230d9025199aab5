"""The LLM port: one message type, one protocol, and the failures a provider may report.

Every failure is an `LlmError`; the fallback turns each kind into a short message in the user's
language. None of them carries the API key or the user's text.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from .deadline import Deadline

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class Message:
    """One chat message as providers take it."""

    role: Role
    content: str


@dataclass(frozen=True)
class TokenUsage:
    """Tokens one answer took, as the provider's usage fields reported them (None: not reported)."""

    input_tokens: int | None
    output_tokens: int | None


def token_count(value: object) -> int | None:
    """A usage field as a token count: a non-negative whole number, else None."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


class LlmProvider(Protocol):
    """Answers a conversation before the deadline, or raises an LlmError."""

    name: str
    model: str

    def complete(self, messages: Sequence[Message], deadline: Deadline) -> str: ...

    def complete_stream(self, messages: Sequence[Message], deadline: Deadline) -> Iterator[str]:
        """The answer as text deltas, in order, before the deadline, or an LlmError (raised at the call
        or while iterating; a failure after some text carries it in `partial`). Closing the iterator
        cancels the request. Providers return an `llm_stream.DeltaStream`."""
        ...


class LlmError(Exception):
    """Base of every provider failure. `detail` is for logs: short, no key, no user text."""

    kind = "error"
    # What a streamed answer had delivered before it failed (empty for a non-streamed answer).
    partial = ""

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.kind)
        self.detail = detail or self.kind


class LlmTimeoutError(LlmError):
    """The deadline passed before an answer arrived."""

    kind = "timeout"


class LlmRateLimitedError(LlmError):
    """The provider kept answering 429 (or throttling) until retrying no longer fit the deadline."""

    kind = "rate_limited"


class LlmUnavailableError(LlmError):
    """The provider failed (5xx, refused or dropped connections, an unexpected 4xx)."""

    kind = "unavailable"


class LlmBadResponseError(LlmError):
    """The provider answered, but not with a usable answer (not JSON, wrong shape, empty text)."""

    kind = "bad_response"


class LlmAuthError(LlmError):
    """The provider rejected the API key (401/403)."""

    kind = "auth_failed"


class LlmBudgetSpentError(LlmError):
    """A token budget of the conversation or of the client's day is spent (checked before the call)."""

    kind = "budget_spent"


class LlmNotConfiguredError(LlmError):
    """No LLM is set up: the secret has no usable value, or local mode has no key and no base URL."""

    kind = "not_configured"


class LlmKeyUnavailableError(LlmError):
    """The API key could not be read (Secrets Manager denied access, failed, or was unreachable)."""

    kind = "key_unavailable"
