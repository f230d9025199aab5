"""Builds the provider the settings describe (the fallback's composition root)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .api_key import KeySource, SecretsManagerKey, StaticKey
from .bedrock_provider import BedrockConverseProvider
from .deadline import Deadline
from .llm import LlmNotConfiguredError, LlmProvider, Message
from .llm_stream import DEFAULT_IDLE_SECONDS
from .openai_provider import OpenAIChatProvider
from .settings import Settings

NOT_CONFIGURED = "no OPENAI_API_KEY, no LLM_SECRET_NAME and no LLM_BASE_URL"


class NoProvider:
    """Local mode with nothing configured: every turn answers how to configure an LLM."""

    name = "none"
    model = "none"

    def complete(self, messages: Sequence[Message], deadline: Deadline) -> str:
        raise LlmNotConfiguredError(NOT_CONFIGURED)

    def complete_stream(self, messages: Sequence[Message], deadline: Deadline) -> Iterator[str]:
        raise LlmNotConfiguredError(NOT_CONFIGURED)


def build_provider(settings: Settings, *, stream_idle_seconds: float | None = None) -> LlmProvider:
    """Bedrock; or OpenAI-compatible with the key from Secrets Manager (AWS), OPENAI_API_KEY
    (local), or no key for an explicitly configured keyless server; or NoProvider.
    `stream_idle_seconds`: how long a streamed answer may stay silent (the providers' default
    when None)."""
    idle = DEFAULT_IDLE_SECONDS if stream_idle_seconds is None else stream_idle_seconds
    if settings.provider == "bedrock":
        return BedrockConverseProvider(
            model=settings.model, max_tokens=settings.max_tokens, stream_idle_seconds=idle
        )
    keys: KeySource
    if settings.secret_name:
        keys = SecretsManagerKey(settings.secret_name, ttl_seconds=settings.secret_ttl_seconds)
    elif settings.local_api_key or settings.base_url_explicit:
        keys = StaticKey(settings.local_api_key)
    else:
        return NoProvider()
    return OpenAIChatProvider(
        base_url=settings.base_url,
        model=settings.model,
        max_tokens=settings.max_tokens,
        keys=keys,
        stream_idle_seconds=idle,
    )
