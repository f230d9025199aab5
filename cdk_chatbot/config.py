"""The stack's tunables, read once from cdk context and validated with clear errors.

Every key has its default in cdk.json; `cdk deploy -c key=value` overrides it. Values given on the
command line arrive as strings, so every reader accepts the string form of its type as well.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .budgets import (
    API_GATEWAY_INTEGRATION_SECONDS,
    BudgetError,
    TurnBudgets,
    answer_worker_timeout,
    turn_budgets,
)
from .budgets import MAX_LLM_DEADLINE_SECONDS as MAX_LLM_DEADLINE_SECONDS

# Kept for callers that read them here; every turn budget is computed in budgets.py.
API_GATEWAY_TIMEOUT_SECONDS = API_GATEWAY_INTEGRATION_SECONDS

# The values CloudWatch Logs accepts for a log group's retention.
LOG_RETENTION_DAYS = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
)  # fmt: skip
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
LLM_PROVIDERS = ("openai", "bedrock")
_LOCALE_RE = re.compile(r"^[a-z]{2}_[A-Z]{2}$")
_MODEL_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$")
_STACK_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,63}$")
_EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")

LlmProvider = Literal["openai", "bedrock"]


class ConfigError(ValueError):
    """A cdk context value is missing or invalid; the message names the key and the rule."""


@dataclass(frozen=True, kw_only=True)
class ChatbotConfig:
    """Validated settings of one deployment (see the README's configuration table)."""

    stack_name: str
    bot_definition: str
    default_locale: str
    llm_provider: LlmProvider
    llm_model: str
    llm_base_url: str
    llm_max_tokens: int
    llm_deadline_seconds: int
    llm_history_messages: int
    llm_system_prompt: str
    secret_ttl_seconds: int
    throttle_rate_limit: float
    throttle_burst_limit: int
    log_retention_days: int
    log_level: str
    log_user_text: bool
    lambda_memory_mb: int
    bundle: bool
    api_gateway_cloud_watch_role: bool
    limits: LimitsConfig
    streaming: StreamingConfig
    # Where the alarms e-mail to (empty: no SNS topic, alarms only show in the console).
    alarm_email: str = ""

    @property
    def budgets(self) -> TurnBudgets:
        """The nested time budgets of a /chat turn (budgets.py), from llmDeadlineSeconds."""
        return turn_budgets(self.llm_deadline_seconds)

    @property
    def fallback_timeout_seconds(self) -> int:
        """Timeout of the code-hook Lambda (the LLM fallback): the LLM deadline plus a margin."""
        return self.budgets.code_hook_timeout

    @property
    def lex_read_timeout_seconds(self) -> int:
        """How long the /chat Lambda waits for Lex (its LEX_READ_TIMEOUT_SECONDS)."""
        return self.budgets.lex_read_timeout

    @property
    def chat_timeout_seconds(self) -> int:
        """Timeout of the /chat Lambda: inside API Gateway's integration timeout."""
        return self.budgets.chat_timeout

    @classmethod
    def from_context(cls, get: Callable[[str], Any]) -> ChatbotConfig:
        """Build from a context getter such as `app.node.try_get_context`."""
        r = _Reader(get)
        return cls(
            stack_name=r.pattern("stackName", _STACK_NAME_RE, "a CloudFormation stack name"),
            bot_definition=r.text("botDefinition"),
            default_locale=r.pattern("defaultLocale", _LOCALE_RE, "a Lex locale id such as ko_KR"),
            llm_provider=r.choice("llmProvider", LLM_PROVIDERS),  # type: ignore[arg-type]
            llm_model=r.pattern("llmModel", _MODEL_RE, "a model id"),
            llm_base_url=r.https_url("llmBaseUrl"),
            llm_max_tokens=r.integer("llmMaxTokens", 1, 32_000),
            llm_deadline_seconds=r.llm_deadline("llmDeadlineSeconds"),
            llm_history_messages=r.integer("llmHistoryMessages", 0, 50),
            llm_system_prompt=r.text("llmSystemPrompt", allow_empty=True),
            secret_ttl_seconds=r.integer("secretTtlSeconds", 0, 86_400),
            throttle_rate_limit=r.number("throttleRateLimit", 0.0, 10_000.0),
            throttle_burst_limit=r.integer("throttleBurstLimit", 1, 5_000),
            log_retention_days=r.choice_int("logRetentionDays", LOG_RETENTION_DAYS),
            log_level=r.choice("logLevel", LOG_LEVELS),
            log_user_text=r.boolean("logUserText"),
            lambda_memory_mb=r.integer("lambdaMemoryMb", 128, 10_240),
            bundle=r.boolean("bundle"),
            api_gateway_cloud_watch_role=r.boolean("apiGatewayCloudWatchRole"),
            limits=LimitsConfig.read(r),
            streaming=StreamingConfig.read(r),
            alarm_email=r.optional_email("alarmEmail"),
        )

    @classmethod
    def from_mapping(cls, context: Mapping[str, Any]) -> ChatbotConfig:
        """Build from a plain mapping (tests; cdk.json's "context" object)."""
        return cls.from_context(context.get)


# A WAF rate-based rule counts requests over one of these windows, and refuses limits below 10.
RATE_WINDOW_SECONDS = (60, 120, 300, 600)
MIN_RATE_LIMIT = 10
NO_RESERVATION = "none"
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True, kw_only=True)
class LimitsConfig:
    """Fairness and cost limits (see `limits.py` and the README's "Limits" section)."""

    client_rate_limit: int
    client_read_rate_limit: int
    client_rate_window_seconds: int
    llm_tokens_per_conversation: int
    llm_tokens_per_client_day: int
    code_hook_reserved_concurrency: int | None
    budget_monthly_usd: float | None
    budget_email: str | None

    @classmethod
    def read(cls, r: _Reader) -> LimitsConfig:
        return cls(
            client_rate_limit=r.integer("clientRateLimit", MIN_RATE_LIMIT, 2_000_000_000),
            client_read_rate_limit=r.integer("clientReadRateLimit", MIN_RATE_LIMIT, 2_000_000_000),
            client_rate_window_seconds=r.choice_int("clientRateWindowSeconds", RATE_WINDOW_SECONDS),
            llm_tokens_per_conversation=r.integer("llmTokensPerConversation", 0, 1_000_000_000),
            llm_tokens_per_client_day=r.integer("llmTokensPerClientDay", 0, 1_000_000_000),
            code_hook_reserved_concurrency=_reserved_concurrency(r),
            budget_monthly_usd=r.optional_number("budgetMonthlyUsd", 0.0, 1_000_000.0),
            budget_email=_budget_email(r),
        )


# How long answers and conversations are kept: at least a minute, at most 30 days.
CONVERSATION_TTL_RANGE = (60, 30 * 86_400)


@dataclass(frozen=True, kw_only=True)
class StreamingConfig:
    """Streamed LLM answers (issue 11, docs/streaming-design.md): the answer worker's deadlines and
    concurrency, how long answers are kept, and the read routes' throttling."""

    answer_deadline_seconds: int
    answer_idle_seconds: int
    conversation_ttl_seconds: int
    worker_reserved_concurrency: int | None
    read_rate_limit: float
    read_burst_limit: int

    @property
    def worker_timeout_seconds(self) -> int:
        """The answer worker's Lambda timeout: the answer deadline plus a margin (budgets.py)."""
        return answer_worker_timeout(self.answer_deadline_seconds)

    @classmethod
    def read(cls, r: _Reader) -> StreamingConfig:
        deadline = r.answer_deadline("answerDeadlineSeconds")
        return cls(
            answer_deadline_seconds=deadline,
            answer_idle_seconds=r.integer("answerIdleSeconds", 1, deadline),
            conversation_ttl_seconds=r.integer("conversationTtlSeconds", *CONVERSATION_TTL_RANGE),
            worker_reserved_concurrency=_reserved_concurrency(
                r, "answerWorkerReservedConcurrency", "the answer worker", "every streamed answer"
            ),
            read_rate_limit=r.number("answersThrottleRateLimit", 0.0, 10_000.0),
            read_burst_limit=r.integer("answersThrottleBurstLimit", 1, 5_000),
        )


def _reserved_concurrency(
    r: _Reader,
    key: str = "codeHookReservedConcurrency",
    what: str = "the code hook",
    failing: str = "every turn",
) -> int | None:
    raw = r.raw(key)
    if isinstance(raw, str) and raw.strip().lower() == NO_RESERVATION:
        return None
    if not isinstance(raw, bool) and raw in (0, "0"):
        raise ConfigError(
            f"cdk context {key!r} is 0, which would stop {what} from ever running ({failing} would "
            f"fail); give at least 1, or {NO_RESERVATION!r} for no reserved concurrency"
        )
    return r.integer(key, 1, 10_000)


def _budget_email(r: _Reader) -> str | None:
    amount, email = r.optional_raw("budgetMonthlyUsd"), r.optional_raw("budgetEmail")
    if email is None or email == "":
        if amount is not None:
            raise ConfigError(
                "cdk context 'budgetMonthlyUsd' is set, so 'budgetEmail' must name who is alerted"
            )
        return None
    if amount is None:
        raise ConfigError(
            "cdk context 'budgetEmail' is set, so 'budgetMonthlyUsd' must give the monthly amount"
        )
    if not isinstance(email, str) or not _EMAIL_RE.fullmatch(email.strip()):
        raise ConfigError(f"cdk context 'budgetEmail' must be an e-mail address, got {email!r}")
    return email.strip()


class _Reader:
    """Typed access to context values, raising ConfigError that names the offending key."""

    def __init__(self, get: Callable[[str], Any]) -> None:
        self._get = get

    def _raw(self, key: str) -> Any:
        value = self._get(key)
        if value is None:
            raise ConfigError(f"cdk context {key!r} is missing; cdk.json defines its default")
        return value

    def raw(self, key: str) -> Any:
        return self._raw(key)

    def optional_raw(self, key: str) -> Any:
        """The value, or None when the key is absent (optional keys have no default in cdk.json)."""
        return self._get(key)

    def optional_number(self, key: str, low_exclusive: float, high: float) -> float | None:
        if self._get(key) in (None, ""):
            return None
        return self.number(key, low_exclusive, high)

    def text(self, key: str, *, allow_empty: bool = False) -> str:
        value = self._raw(key)
        if not isinstance(value, str) or (not allow_empty and not value.strip()):
            raise ConfigError(f"cdk context {key!r} must be a non-empty string, got {value!r}")
        return value

    def pattern(self, key: str, regex: re.Pattern[str], what: str) -> str:
        value = self.text(key)
        if not regex.fullmatch(value):
            raise ConfigError(f"cdk context {key!r} must be {what}, got {value!r}")
        return value

    def choice(self, key: str, allowed: tuple[str, ...]) -> str:
        value = self._raw(key)
        if value not in allowed:
            raise ConfigError(f"cdk context {key!r} must be one of {', '.join(allowed)}; got {value!r}")
        return str(value)

    def https_url(self, key: str) -> str:
        value = self.text(key)
        if not re.fullmatch(r"https://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[^\s]*)?", value):
            raise ConfigError(f"cdk context {key!r} must be an https:// URL, got {value!r}")
        return value.rstrip("/")

    def integer(self, key: str, low: int, high: int) -> int:
        value = self._raw(key)
        if isinstance(value, bool):
            raise ConfigError(f"cdk context {key!r} must be an integer, got {value!r}")
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ConfigError(f"cdk context {key!r} must be an integer, got {value!r}") from None
        if isinstance(value, float) and value != number:
            raise ConfigError(f"cdk context {key!r} must be an integer, got {value!r}")
        if not low <= number <= high:
            raise ConfigError(f"cdk context {key!r} must be between {low} and {high}, got {number}")
        return number

    def number(self, key: str, low_exclusive: float, high: float) -> float:
        value = self._raw(key)
        if isinstance(value, bool):
            raise ConfigError(f"cdk context {key!r} must be a number, got {value!r}")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ConfigError(f"cdk context {key!r} must be a number, got {value!r}") from None
        if not low_exclusive < number <= high:
            raise ConfigError(
                f"cdk context {key!r} must be greater than {low_exclusive:g} and at most {high:g}, "
                f"got {number:g}"
            )
        return number

    def choice_int(self, key: str, allowed: tuple[int, ...]) -> int:
        number = self.integer(key, min(allowed), max(allowed))
        if number not in allowed:
            raise ConfigError(
                f"cdk context {key!r} must be one of {', '.join(map(str, allowed))}; got {number}"
            )
        return number

    def llm_deadline(self, key: str) -> int:
        """Seconds whose turn budgets nest (budgets.py); the error says which layer would collide."""
        seconds = self.integer(key, 1, 900)
        try:
            turn_budgets(seconds)
        except BudgetError as error:
            raise ConfigError(f"cdk context {key!r}: {error}") from None
        return seconds

    def answer_deadline(self, key: str) -> int:
        """Seconds the answer worker's timeout (deadline + margin) fits in Lambda's 900 s."""
        seconds = self.integer(key, 1, 900)
        try:
            answer_worker_timeout(seconds)
        except BudgetError as error:
            raise ConfigError(f"cdk context {key!r}: {error}") from None
        return seconds

    def optional_email(self, key: str) -> str:
        value = self.text(key, allow_empty=True).strip()
        if value and not _EMAIL_RE.fullmatch(value):
            raise ConfigError(f"cdk context {key!r} must be an e-mail address or empty, got {value!r}")
        return value

    def boolean(self, key: str) -> bool:
        value = self._raw(key)
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        raise ConfigError(f"cdk context {key!r} must be true or false, got {value!r}")
