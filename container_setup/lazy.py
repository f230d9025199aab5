"""`Lazy`: a value built on first use, by one thread only, then kept (see the package docstring)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Lazy(Generic[T]):
    """A value built by `build` on the first `get`, by one thread only, then returned as is. A build
    that raises keeps nothing: the next `get` tries again."""

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
