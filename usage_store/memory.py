"""An in-process usage store: a dict of counters behind a lock (local mode, tests)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class InMemoryUsageStore:
    """Thread-safe counters with expiry; `clock` (seconds) is injectable for tests."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._counters: dict[str, tuple[int, float]] = {}

    def add_tokens(self, key: str, n: int, ttl_seconds: int) -> int:
        if n < 0:
            raise ValueError(f"tokens to add must be >= 0, got {n}")
        now = self._clock()
        with self._lock:
            total, expires = self._counters.get(key, (0, now))
            if expires <= now:
                total = 0
            total += n
            self._counters[key] = (total, now + ttl_seconds)
            self._forget_expired(now)
            return total

    def get(self, key: str) -> int:
        now = self._clock()
        with self._lock:
            total, expires = self._counters.get(key, (0, now))
            return total if expires > now else 0

    def _forget_expired(self, now: float) -> None:
        if len(self._counters) > 10_000:
            for key in [k for k, (_, expires) in self._counters.items() if expires <= now]:
                del self._counters[key]
