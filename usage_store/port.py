"""The usage store's interface, its one error and the choice of implementation from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Protocol

TABLE_VARIABLE = "USAGE_TABLE_NAME"


class UsageStoreError(Exception):
    """The store could not be read or written (the message is for logs: no user data in it)."""


class UsageStore(Protocol):
    """Counters of tokens by key, each forgotten `ttl_seconds` after its last addition."""

    def add_tokens(self, key: str, n: int, ttl_seconds: int) -> int:
        """Add `n` (>= 0) to the counter, atomically; returns its new total."""
        ...

    def get(self, key: str) -> int:
        """The counter's total; 0 when it does not exist or has expired."""
        ...


_shared_memory_store: UsageStore | None = None


def store_from_env(environ: Mapping[str, str] | None = None) -> UsageStore:
    """DynamoDB when `USAGE_TABLE_NAME` is set; else one in-process store shared by every caller
    in this process (local mode runs every Lambda in one process, so the counters are shared)."""
    global _shared_memory_store
    env = os.environ if environ is None else environ
    table = env.get(TABLE_VARIABLE, "").strip()
    if table:
        from .dynamodb import DynamoDbUsageStore

        return DynamoDbUsageStore(table)
    if _shared_memory_store is None:
        from .memory import InMemoryUsageStore

        _shared_memory_store = InMemoryUsageStore()
    return _shared_memory_store
