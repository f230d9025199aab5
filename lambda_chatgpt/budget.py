"""LLM token budgets: per conversation and per client per day, checked before the LLM is called.

The counters live in a `usage_store` (DynamoDB when deployed, in-process locally). A turn is
refused when a counter has already reached its limit; an answered turn then adds the tokens it
used (the provider's usage fields, or an estimate). Turns running at the same moment are checked
against the same total, so a budget can be overshot by at most the turns in flight (the per-client
rate limit keeps those few). 0 means unlimited: no counter is read or written for that budget.

The client is the `x-chatbot-client` request attribute `/chat` sends (a hash of the caller's IP,
never the IP); a turn without one (e.g. the Lex console's test window) has no client budget.
When the store cannot be read the turn goes ahead (the answer matters more than the count) and
the failure is logged.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from usage_store import UsageStore, UsageStoreError, store_from_env

from .settings import SettingsError

CONVERSATION_VARIABLE = "LLM_TOKENS_PER_CONVERSATION"
CLIENT_DAY_VARIABLE = "LLM_TOKENS_PER_CLIENT_DAY"
CLIENT_ATTRIBUTE = "x-chatbot-client"
MAX_LIMIT = 1_000_000_000
# A conversation's counter lives a day after its last answer; a client's daily one two days (the
# key names the UTC day, so the next day starts a new counter).
CONVERSATION_TTL_SECONDS = 24 * 3600
CLIENT_DAY_TTL_SECONDS = 2 * 24 * 3600

Exhausted = Literal["conversation", "client_day"]


@dataclass(frozen=True)
class BudgetLimits:
    """Token limits; 0 = unlimited."""

    per_conversation: int = 0
    per_client_day: int = 0

    @property
    def enabled(self) -> bool:
        return self.per_conversation > 0 or self.per_client_day > 0

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> BudgetLimits:
        """From `LLM_TOKENS_PER_CONVERSATION` and `LLM_TOKENS_PER_CLIENT_DAY`; unset means 0."""
        return cls(_limit(environ, CONVERSATION_VARIABLE), _limit(environ, CLIENT_DAY_VARIABLE))


def _limit(environ: Mapping[str, str], name: str) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return 0
    if not raw.isdigit() or int(raw) > MAX_LIMIT:
        raise SettingsError(
            f"invalid configuration: {name}={raw!r} must be a whole number from 0 to {MAX_LIMIT}"
        )
    return int(raw)


class TokenBudget:
    """The two budgets over one store (built on first use: DynamoDB clients cost a cold start)."""

    def __init__(
        self,
        limits: BudgetLimits,
        store: Callable[[], UsageStore] = store_from_env,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.limits = limits
        self._store_factory = store
        self._store: UsageStore | None = None
        self._clock = clock

    @property
    def store(self) -> UsageStore:
        if self._store is None:
            self._store = self._store_factory()
        return self._store

    def exhausted(self, session_id: str, client: str | None) -> Exhausted | None:
        """Which budget is already spent, if any; raises UsageStoreError when the store fails."""
        limits = self.limits
        if (
            limits.per_conversation
            and self.store.get(self._conversation_key(session_id)) >= limits.per_conversation
        ):
            return "conversation"
        if (
            client
            and limits.per_client_day
            and self.store.get(self._client_key(client)) >= limits.per_client_day
        ):
            return "client_day"
        return None

    def charge(self, session_id: str, client: str | None, tokens: int) -> None:
        """Add an answered turn's tokens to its counters; raises UsageStoreError when the store fails."""
        if self.limits.per_conversation:
            self.store.add_tokens(self._conversation_key(session_id), tokens, CONVERSATION_TTL_SECONDS)
        if client and self.limits.per_client_day:
            self.store.add_tokens(self._client_key(client), tokens, CLIENT_DAY_TTL_SECONDS)

    def _conversation_key(self, session_id: str) -> str:
        return f"conversation#{session_id}"

    def _client_key(self, client: str) -> str:
        day = time.strftime("%Y-%m-%d", time.gmtime(self._clock()))
        return f"client#{client}#{day}"


def spent_budget(
    budget: TokenBudget | None, session_id: str, client: str | None
) -> tuple[Exhausted | None, str | None]:
    """Which budget of the call is spent (None with budgets off), and a note for the log when the
    store could not be read: an unreadable store lets the call through."""
    if budget is None or not budget.limits.enabled:
        return None, None
    try:
        return budget.exhausted(session_id, client), None
    except UsageStoreError as error:
        return None, f"budget not checked: {error}"


def charge_answer(budget: TokenBudget | None, session_id: str, client: str | None, tokens: int) -> str | None:
    """Charge an answered call's tokens when budgets are on; a note for the log when the store
    failed (the answer stands: counting is best effort)."""
    if budget is None or not budget.limits.enabled:
        return None
    try:
        budget.charge(session_id, client, tokens)
    except UsageStoreError as error:
        return f"tokens not counted: {error}"
    return None
