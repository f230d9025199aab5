"""What a container of this package's Lambdas (the code hook's fallback, the answer worker) builds once.

Both entry points need the same parts, built from the environment on first use and then reused for
every event: the validated settings, the metered LLM provider (with its HTTP session or AWS client
and the cached key) and the token budgets. `build_llm` builds them; `Lazy` holds what a handler
builds, once, even when local mode (the dev server, the emulator's code hooks) calls the handler
from many threads at once. A `SettingsError` from the build is raised to the caller and nothing is
kept, so the next event tries again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from aws_lambda_powertools.logging.logger import Logger

from .budget import BudgetLimits, TokenBudget
from .llm import LlmProvider
from .metrics import MeteredProvider
from .settings import Settings
from .wiring import build_provider

T = TypeVar("T")


@dataclass(frozen=True)
class LlmParts:
    """The settings, the provider (every call recorded as metrics) and the token budgets."""

    settings: Settings
    provider: LlmProvider
    budget: TokenBudget


def build_llm(
    environ: Mapping[str, str], logger: Logger, *, stream_idle_seconds: float | None = None
) -> LlmParts:
    """The LLM parts from the environment, and `logger` set to LOG_LEVEL (a warning when it is not a
    level); SettingsError names a bad variable. `stream_idle_seconds` as `wiring.build_provider`."""
    settings = Settings.from_env(environ)
    parts = LlmParts(
        settings,
        MeteredProvider(build_provider(settings, stream_idle_seconds=stream_idle_seconds)),
        TokenBudget(BudgetLimits.from_env(environ)),
    )
    logger.setLevel(settings.log_level)
    raw_level = environ.get("LOG_LEVEL", "").strip()
    if raw_level and raw_level.upper() != settings.log_level:
        logger.warning("LOG_LEVEL is not a log level; using INFO", extra={"log_level": raw_level})
    return parts


class Lazy(Generic[T]):
    """A value built by `build` on the first `get`, by one thread only, then returned as is."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._value: T | None = None
        self._lock = threading.Lock()

    def get(self) -> T:
        """The value, built now if this is the first call (what `build` raises propagates)."""
        value = self._value
        if value is None:
            with self._lock:
                value = self._value
                if value is None:
                    value = self._value = self._build()
        return value

    def reset(self) -> None:
        """Forget the value: the next `get` builds it again (tests change the environment)."""
        self._value = None
