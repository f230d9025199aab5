"""The session store: idle expiry on an injected clock, one turn at a time, bounded size."""

from __future__ import annotations

import pytest

from lex_emulator.errors import ConflictException
from lex_emulator.sessions import SessionStore


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


KEY = ("BOTBOTBOT1", "ALIAS", "en_US", "s-1")


def test_a_session_is_created_kept_and_expires_after_its_idle_ttl() -> None:
    clock = Clock()
    store = SessionStore(clock=clock)
    session = store.begin(KEY, 60)
    assert session is not None
    session.attributes["k"] = "v"
    session.view = {"sessionId": "s-1"}
    store.end(session)

    clock.now = 60
    again = store.begin(KEY, 60)
    assert again is session
    store.end(again)
    clock.now = 120.5

    assert store.view(KEY) is None
    fresh = store.begin(KEY, 60)
    assert fresh is not session
    assert fresh is not None
    assert fresh.attributes == {}


def test_a_second_turn_on_a_busy_session_is_a_conflict_and_other_sessions_are_free() -> None:
    store = SessionStore()
    busy = store.begin(KEY, 60)
    assert busy is not None

    with pytest.raises(ConflictException):
        store.begin(KEY, 60)
    with pytest.raises(ConflictException):
        store.delete(KEY)
    other = store.begin((*KEY[:3], "s-2"), 60)
    assert other is not None
    store.end(other)
    store.end(busy)
    assert store.delete(KEY)
    assert not store.delete(KEY)


def test_a_busy_session_does_not_expire_under_its_turn() -> None:
    clock = Clock()
    store = SessionStore(clock=clock)
    session = store.begin(KEY, 10)
    assert session is not None
    clock.now = 100

    with pytest.raises(ConflictException):
        store.begin(KEY, 10)
    store.end(session)
    assert store.begin(KEY, 10) is session


def test_begin_without_create_does_not_make_a_session() -> None:
    store = SessionStore()

    assert store.begin(KEY, 60, create=False) is None
    assert len(store) == 0


def test_expired_sessions_are_swept_periodically() -> None:
    clock = Clock()
    store = SessionStore(clock=clock, sweep_interval_seconds=30)
    for index in range(5):
        session = store.begin((*KEY[:3], f"old-{index}"), 10)
        assert session is not None
        store.end(session)
    clock.now = 31

    newcomer = store.begin((*KEY[:3], "new"), 10)
    assert newcomer is not None
    store.end(newcomer)

    assert len(store) == 1


def test_past_capacity_the_least_recently_used_idle_session_goes() -> None:
    store = SessionStore(max_sessions=2)
    keys = [(*KEY[:3], name) for name in ("a", "b", "c")]
    for key in keys[:2]:
        session = store.begin(key, 60)
        assert session is not None
        store.end(session)
    touched = store.begin(keys[0], 60)
    assert touched is not None
    store.end(touched)

    third = store.begin(keys[2], 60)
    assert third is not None
    store.end(third)

    assert len(store) == 2
    assert store.begin(keys[1], 60, create=False) is None
    assert store.begin(keys[0], 60, create=False) is not None
