"""The fallback Lambda's configuration, read once per container from the environment and validated.

A problem does not make the hook raise (Lex would fail the turn): the handler answers a short
"misconfigured" message and logs the exact problem, which this module spells out. An unknown
LOG_LEVEL is not a problem: it means INFO, and the handler logs a warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from container_setup import safe_log_level

Provider = Literal["openai", "bedrock"]

OPENAI_BASE_URL = "https://api.openai.com/v1"
DEFAULT_MODELS: Mapping[str, str] = {
    # Current, non-deprecated defaults; the stack and `make serve` usually set LLM_MODEL anyway.
    "openai": "gpt-4.1-mini",
    "bedrock": "amazon.nova-lite-v1:0",
}
DEFAULT_MAX_TOKENS = 512
DEFAULT_DEADLINE_SECONDS = 20.0
MAX_DEADLINE_SECONDS = 28.0
DEFAULT_HISTORY_MESSAGES = 10
DEFAULT_SECRET_TTL_SECONDS = 300.0

DEFAULT_SYSTEM_PROMPT = (
    "You are the assistant behind a website chatbot built with Amazon Lex. The bot handles greetings "
    "itself and passes every other message to you. Answer helpfully, truthfully and briefly, in plain "
    "text without Markdown, and say so when you do not know something. Always answer in the language "
    "the user writes in."
)


class SettingsError(ValueError):
    """The environment does not describe a usable configuration; the message says what to fix."""


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Validated configuration of the LLM fallback. `local_api_key` never shows in a repr."""

    provider: Provider
    model: str
    base_url: str
    base_url_explicit: bool
    secret_name: str | None
    local_api_key: str | None = field(repr=False)
    max_tokens: int
    deadline_seconds: float
    history_messages: int
    system_prompt: str
    secret_ttl_seconds: float
    log_level: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Build from environment variables; raises SettingsError listing every problem found."""
        problems: list[str] = []

        def get(name: str) -> str:
            return environ.get(name, "").strip()

        def number(name: str, default: float, low: float, high: float, *, integer: bool) -> float:
            raw = get(name)
            if not raw:
                return default
            try:
                value = int(raw) if integer else float(raw)
            except ValueError:
                value = None
            if value is None or not low <= value <= high:
                kind = "a whole number" if integer else "a number"
                problems.append(f"{name}={raw!r} must be {kind} from {low:g} to {high:g}")
                return default
            return value

        provider = get("LLM_PROVIDER").lower() or "openai"
        if provider not in DEFAULT_MODELS:
            problems.append(f"LLM_PROVIDER={provider!r} must be openai or bedrock")
            provider = "openai"

        base_url = get("LLM_BASE_URL").rstrip("/")
        if base_url and not base_url.startswith(("http://", "https://")):
            problems.append(f"LLM_BASE_URL={base_url!r} must start with http:// or https://")

        settings = cls(
            provider="bedrock" if provider == "bedrock" else "openai",
            model=get("LLM_MODEL") or DEFAULT_MODELS[provider],
            base_url=base_url or OPENAI_BASE_URL,
            base_url_explicit=bool(base_url),
            secret_name=get("LLM_SECRET_NAME") or None,
            local_api_key=get("OPENAI_API_KEY") or None,
            max_tokens=int(number("LLM_MAX_TOKENS", DEFAULT_MAX_TOKENS, 1, 128_000, integer=True)),
            deadline_seconds=number(
                "LLM_DEADLINE_SECONDS", DEFAULT_DEADLINE_SECONDS, 0.1, MAX_DEADLINE_SECONDS, integer=False
            ),
            history_messages=int(
                number("LLM_HISTORY_MESSAGES", DEFAULT_HISTORY_MESSAGES, 0, 50, integer=True)
            ),
            system_prompt=environ.get("LLM_SYSTEM_PROMPT", "").strip() or DEFAULT_SYSTEM_PROMPT,
            secret_ttl_seconds=number(
                "SECRET_TTL_SECONDS", DEFAULT_SECRET_TTL_SECONDS, 0, 86_400, integer=False
            ),
            log_level=safe_log_level(environ.get("LOG_LEVEL")),
        )
        if problems:
            raise SettingsError("invalid configuration: " + "; ".join(problems))
        return settings
