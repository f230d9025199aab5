"""What a container of this package's Lambdas (the code hook's fallback, the answer worker) builds once.

Both entry points need the same parts, built from the environment on first use and then reused for
every event: the validated settings, the metered LLM provider (with its HTTP session or AWS client
and the cached key) and the token budgets. `build_llm` builds them; each handler keeps what it
builds in a `container_setup.Lazy` (built once, even when local mode calls it from many threads). A
`SettingsError` from the build is raised to the caller and nothing is kept, so the next event tries
again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from aws_lambda_powertools.logging.logger import Logger

from .budget import BudgetLimits, TokenBudget
from .llm import LlmProvider
from .metrics import MeteredProvider
from .settings import Settings
from .wiring import build_provider


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
