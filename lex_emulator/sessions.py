"""Sessions keyed by (bot, alias, locale, session id), with idle expiry, one turn at a time each.

A session is forgotten once idle longer than the bot's ``IdleSessionTTLInSeconds``. A request on a
session that is already in a turn gets ConflictException (409), as Lex answers a second concurrent
request for the same session; requests on other sessions never wait for it. Memory stays bounded:
expired sessions are swept periodically, and past ``max_sessions`` the least recently used idle
session is dropped.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .errors import ConflictException
from .state import DialogAction, IntentState

SessionKey = tuple[str, str, str, str]  # bot id, alias id, locale id, session id
Clock = Callable[[], float]


@dataclass(eq=False)
class Session:
    key: SessionKey
    ttl_seconds: float
    last_used: float
    attributes: dict[str, str] = field(default_factory=dict)
    active_contexts: list[dict[str, Any]] = field(default_factory=list)
    context_expiry: dict[str, float] = field(default_factory=dict)  # context name -> clock deadline
    intent: IntentState | None = None
    dialog_action: DialogAction | None = None
    attempts: int = 0  # retries used for the prompt now pending
    view: dict[str, Any] | None = None  # what GetSession answers: the state after the last turn
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def session_id(self) -> str:
        return self.key[3]


class SessionStore:
    def __init__(
        self,
        *,
        clock: Clock = time.monotonic,
        max_sessions: int = 10_000,
        sweep_interval_seconds: float = 30.0,
    ) -> None:
        self._clock = clock
        self._max_sessions = max_sessions
        self._sweep_interval = sweep_interval_seconds
        self._sessions: OrderedDict[SessionKey, Session] = OrderedDict()
        self._lock = threading.Lock()
        self._last_sweep = clock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._sessions)

    def _expired(self, session: Session, now: float) -> bool:
        return now - session.last_used > session.ttl_seconds and not session.lock.locked()

    def _sweep(self, now: float) -> None:
        if now - self._last_sweep < self._sweep_interval:
            return
        self._last_sweep = now
        for key in [key for key, session in self._sessions.items() if self._expired(session, now)]:
            del self._sessions[key]

    def _current(self, key: SessionKey, now: float) -> Session | None:
        session = self._sessions.get(key)
        if session is not None and self._expired(session, now):
            del self._sessions[key]
            return None
        return session

    def _evict_over_capacity(self) -> None:
        if len(self._sessions) <= self._max_sessions:
            return
        for key in list(self._sessions):
            if len(self._sessions) <= self._max_sessions:
                break
            if not self._sessions[key].lock.locked():
                del self._sessions[key]

    def begin(self, key: SessionKey, ttl_seconds: float, *, create: bool = True) -> Session | None:
        """The session, locked for one turn (created if missing and ``create``); ConflictException if busy."""
        with self._lock:
            now = self._clock()
            self._sweep(now)
            session = self._current(key, now)
            if session is None:
                if not create:
                    return None
                session = Session(key=key, ttl_seconds=ttl_seconds, last_used=now)
                self._sessions[key] = session
                self._evict_over_capacity()
            if not session.lock.acquire(blocking=False):
                raise ConflictException(
                    f"Session {key[3]} is already processing a request. Wait for it to finish, then retry."
                )
            self._sessions.move_to_end(key)
            return session

    def end(self, session: Session) -> None:
        """Release the turn lock; the idle countdown starts now."""
        session.last_used = self._clock()
        session.lock.release()

    def view(self, key: SessionKey) -> dict[str, Any] | None:
        """The session as GetSession shows it, or None when there is none (or it expired)."""
        with self._lock:
            session = self._current(key, self._clock())
            return session.view if session is not None else None

    def delete(self, key: SessionKey) -> bool:
        """Forget a session; False when there was none; ConflictException while it is in a turn."""
        with self._lock:
            session = self._current(key, self._clock())
            if session is None:
                return False
            if session.lock.locked():
                raise ConflictException(
                    f"Session {key[3]} is processing a request and cannot be deleted now."
                )
            del self._sessions[key]
            return True
