"""Local mode's fairness limits: the same values as the deployed stack, from cdk.json's context.

- `ClientRateLimiter`: the stack's WAF rate rules, per client IP address: at most `clientRateLimit`
  requests per `clientRateWindowSeconds` for turns, Stop and Regenerate (everything but GETs), and
  `clientReadRateLimit` for reads (the GETs of a streamed answer and of a kept conversation).
  Locally each is a token bucket holding that many requests and refilled at limit/window per
  second (WAF counts a sliding window; both let the same number through over a window, the bucket
  spreads a burst's refill more smoothly). Over the limit: 429 `throttled` with Retry-After, as
  the web ACL answers.
- The LLM token budgets go to the code hook as the same variables the stack sets
  (`LLM_TOKENS_PER_CONVERSATION`, `LLM_TOKENS_PER_CLIENT_DAY`); its in-process store counts.

Environment variables override cdk.json: `CLIENT_RATE_LIMIT` and `CLIENT_READ_RATE_LIMIT` (0 turns
that limit off, which the stack cannot), `CLIENT_RATE_WINDOW_SECONDS`, and the two budget variables.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .settings import REPO_ROOT, ConfigError

CDK_JSON = REPO_ROOT / "cdk.json"
# Variable -> cdk context key.
_KEYS = {
    "CLIENT_RATE_LIMIT": "clientRateLimit",
    "CLIENT_RATE_WINDOW_SECONDS": "clientRateWindowSeconds",
    "LLM_TOKENS_PER_CONVERSATION": "llmTokensPerConversation",
    "LLM_TOKENS_PER_CLIENT_DAY": "llmTokensPerClientDay",
    "CLIENT_READ_RATE_LIMIT": "clientReadRateLimit",
}
THROTTLED_CODE = "throttled"
# As the stack's web ACL and API Gateway's THROTTLED gateway response say it.
THROTTLED_MESSAGE = "Too many requests right now. Please wait a moment and try again."
_IDLE_BUCKETS_KEPT = 10_000


@dataclass(frozen=True)
class LocalLimits:
    """The limits the dev server and its code hook apply; 0 = off / unlimited."""

    rate_limit: int
    window_seconds: int
    tokens_per_conversation: int
    tokens_per_client_day: int
    read_rate_limit: int = 0

    @classmethod
    def from_env(cls, environ: Mapping[str, str], cdk_json: Path = CDK_JSON) -> LocalLimits:
        context = _context(cdk_json)
        values: dict[str, int] = {}
        for variable, key in _KEYS.items():
            raw = environ.get(variable, "").strip()
            source = f"{variable}={raw!r}" if raw else f"cdk.json's {key!r}"
            value: object = raw if raw else context.get(key, 0)
            if isinstance(value, bool) or not str(value).strip().isdigit():
                raise ConfigError(f"{source} must be a whole number (0 = no limit)")
            values[variable] = int(str(value).strip())
        if values["CLIENT_RATE_WINDOW_SECONDS"] <= 0:
            raise ConfigError("CLIENT_RATE_WINDOW_SECONDS must be at least 1")
        return cls(
            rate_limit=values["CLIENT_RATE_LIMIT"],
            window_seconds=values["CLIENT_RATE_WINDOW_SECONDS"],
            tokens_per_conversation=values["LLM_TOKENS_PER_CONVERSATION"],
            tokens_per_client_day=values["LLM_TOKENS_PER_CLIENT_DAY"],
            read_rate_limit=values["CLIENT_READ_RATE_LIMIT"],
        )

    def rate_limiter(self) -> ClientRateLimiter | None:
        if self.rate_limit <= 0:
            return None
        return ClientRateLimiter(self.rate_limit, self.window_seconds)

    def read_rate_limiter(self) -> ClientRateLimiter | None:
        """The reads' own limit (GETs of streamed answers and conversations); None when off."""
        if self.read_rate_limit <= 0:
            return None
        return ClientRateLimiter(self.read_rate_limit, self.window_seconds)

    def lambda_environment(self) -> dict[str, str | None]:
        """The code hook's budget variables (lambda_chatgpt.budget reads them)."""
        return {
            "LLM_TOKENS_PER_CONVERSATION": str(self.tokens_per_conversation),
            "LLM_TOKENS_PER_CLIENT_DAY": str(self.tokens_per_client_day),
            "USAGE_TABLE_NAME": None,  # the in-process store
        }

    def describe(self) -> str:
        """One line for the banner."""
        rate = (
            f"{self.rate_limit} requests per {self.window_seconds} s per client IP"
            if self.rate_limit
            else "no per-client rate limit"
        )
        reads = (
            f" ({self.read_rate_limit} reads of streamed answers)"
            if self.read_rate_limit
            else " (reads unlimited)"
        )

        def tokens(n: int) -> str:
            return f"{n} tokens" if n else "unlimited"

        return (
            f"{rate}{reads}; LLM budget {tokens(self.tokens_per_conversation)} per conversation, "
            f"{tokens(self.tokens_per_client_day)} per client per day"
        )


def _context(cdk_json: Path) -> Mapping[str, object]:
    try:
        document = json.loads(cdk_json.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ConfigError(f"cannot read the limits' defaults from {cdk_json}: {error}") from None
    context = document.get("context") if isinstance(document, dict) else None
    return context if isinstance(context, dict) else {}


class ClientRateLimiter:
    """Token buckets by client address; thread-safe. `clock` (seconds, monotonic) for tests."""

    def __init__(
        self, limit: int, window_seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if limit <= 0 or window_seconds <= 0:
            raise ValueError("limit and window must be positive")
        self.capacity = float(limit)
        self.refill_per_second = limit / window_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}  # address -> (tokens, when)

    def acquire(self, client: str) -> int | None:
        """None when the request may go ahead (one token taken); else whole seconds to wait (>= 1)."""
        now = self._clock()
        with self._lock:
            tokens, when = self._buckets.get(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - when) * self.refill_per_second)
            if tokens >= 1.0:
                self._buckets[client] = (tokens - 1.0, now)
                self._forget_full(now)
                return None
            self._buckets[client] = (tokens, now)
            return max(1, math.ceil(round((1.0 - tokens) / self.refill_per_second, 6)))

    def _forget_full(self, now: float) -> None:
        """Drop buckets that have refilled completely (they are the same as no bucket)."""
        if len(self._buckets) <= _IDLE_BUCKETS_KEPT:
            return
        full_after = self.capacity / self.refill_per_second
        for client in [c for c, (_, when) in self._buckets.items() if now - when >= full_after]:
            del self._buckets[client]
