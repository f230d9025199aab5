"""The embedded answer store: dicts in this process behind one lock (local mode, tests).

Local mode runs the dev server, lambda_lex, the code hook and the worker threads in one process, so
one store object (see `factory.from_env`) is shared by all of them. A reader waiting in `read` is
woken by the append or finish it waits for rather than polling: each answer has a
`threading.Condition` on the store's lock, so a write wakes that answer's readers and no others.
Expiry and staleness use the injectable `clock` (epoch seconds), so tests move time instead of
sleeping; `read`'s own wait is real time. Nothing is persisted: a restart forgets every answer and
conversation.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import records
from .protocol import ACTIVE_STATUSES, Answer, Conversation, ReadResult, SessionBusyError

# Expired records are dropped in a sweep once the store holds more than this many answers.
SWEEP_ABOVE = 2_000
SWEEP_EVERY_SECONDS = 60.0
# A waiting reader re-checks the clock at least this often (an answer can go stale while it waits).
RECHECK_SECONDS = 1.0


@dataclass
class _AnswerRecord:
    answer_id: str
    session_id: str
    token_hash: str
    job: str  # JSON text
    created_at: float
    updated_at: float
    expires_at: int
    changed: threading.Condition = field(repr=False, compare=False)  # wakes this answer's readers only
    status: str = "pending"
    pieces: list[str] = field(default_factory=list)
    stop_requested: bool = False
    error_kind: str | None = None
    finish_reason: str | None = None
    replaces: str | None = None
    superseded_by: str | None = None


@dataclass
class _SessionRecord:
    active_answer: str | None = None
    token_hash: str | None = None
    expires_at: int = 0  # of the answer pointer and the conversation token
    # Each kept turn: its JSON text and when it expires (the TTL of the call that added it), in order.
    turns: list[tuple[str, int]] = field(default_factory=list)


class EmbeddedAnswerStore:
    """Answers and conversations in memory; every method is thread-safe."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._answers: dict[str, _AnswerRecord] = {}
        self._sessions: dict[str, _SessionRecord] = {}
        self._next_sweep = 0.0

    # --- answers -------------------------------------------------------------------------------

    def create(
        self,
        *,
        session_id: str,
        token: str,
        job: Mapping[str, Any],
        ttl_seconds: int,
        replaces: str | None = None,
    ) -> str:
        records.check_id("session_id", session_id)
        records.check_id("token", token)
        job_text = records.job_json(job)
        with self._lock:
            now = self._clock()
            expires_at = records.expiry(now, ttl_seconds)
            session = self._live_session(session_id, now)
            active = self._active_of(session, now)
            if active is not None:
                raise SessionBusyError(active)
            old = self._live_answer(replaces, now) if replaces else None
            if old is not None and old.session_id != session_id:
                raise ValueError(f"replaces: answer {replaces} belongs to another session")
            answer_id = records.new_answer_id()
            self._answers[answer_id] = _AnswerRecord(
                answer_id=answer_id,
                session_id=session_id,
                token_hash=records.hash_token(token),
                job=job_text,
                created_at=now,
                updated_at=now,
                expires_at=expires_at,
                replaces=replaces,
                changed=threading.Condition(self._lock),
            )
            if old is not None:
                old.superseded_by = answer_id
            session = self._sessions.setdefault(session_id, _SessionRecord())
            session.active_answer = answer_id
            session.expires_at = max(session.expires_at, expires_at)
            self._sweep(now)
            return answer_id

    def claim(self, answer_id: str) -> Answer | None:
        with self._lock:
            now = self._clock()
            record = self._live_answer(answer_id, now)
            if record is None or self._status(record, now)[0] != "pending":
                return None
            record.status = "running"
            record.updated_at = now
            record.changed.notify_all()
            return self._snapshot(record, now)

    def append(self, answer_id: str, text: str) -> int:
        if not isinstance(text, str):
            raise ValueError(f"text must be a string, got {type(text).__name__}")
        with self._lock:
            now = self._clock()
            record = self._live_answer(answer_id, now)
            if record is None:
                return 0
            if self._status(record, now)[0] != "running":
                return len(record.pieces)
            record.updated_at = now
            if text:
                record.pieces.append(text)
                record.changed.notify_all()
            return len(record.pieces)

    def finish(
        self, answer_id: str, status: str, *, error_kind: str | None = None, finish_reason: str | None = None
    ) -> None:
        records.terminal_status(status)
        with self._lock:
            now = self._clock()
            record = self._live_answer(answer_id, now)
            if record is None:
                return
            if self._status(record, now)[0] in ACTIVE_STATUSES:
                record.status = status
                record.error_kind = error_kind
                record.finish_reason = finish_reason
                record.updated_at = now
            session = self._sessions.get(record.session_id)
            if session is not None and session.active_answer == answer_id:
                session.active_answer = None
            record.changed.notify_all()

    def request_stop(self, answer_id: str) -> bool:
        with self._lock:
            now = self._clock()
            record = self._live_answer(answer_id, now)
            if record is None or self._status(record, now)[0] not in ACTIVE_STATUSES:
                return False
            record.stop_requested = True
            record.changed.notify_all()
            return True

    def get(self, answer_id: str, *, include_text: bool = True) -> Answer | None:
        with self._lock:
            now = self._clock()
            record = self._live_answer(answer_id, now)
            return None if record is None else self._snapshot(record, now, include_text=include_text)

    def read(self, answer_id: str, after: int, wait_seconds: float) -> ReadResult | None:
        records.check_cursor(after)
        give_up = time.monotonic() + max(0.0, wait_seconds)
        with self._lock:
            while True:
                now = self._clock()
                record = self._live_answer(answer_id, now)
                if record is None:
                    return None
                status, error_kind = self._status(record, now)
                new_text = len(record.pieces) > after
                left = give_up - time.monotonic()
                if new_text or status not in ACTIVE_STATUSES or left <= 0:
                    return ReadResult(
                        text="".join(record.pieces[after:]),
                        cursor=max(after, len(record.pieces)),
                        status=status,
                        error_kind=error_kind,
                        finish_reason=record.finish_reason,
                    )
                record.changed.wait(min(left, RECHECK_SECONDS))

    def check_token(self, answer_id: str, token: str) -> bool:
        with self._lock:
            now = self._clock()
            record = self._live_answer(answer_id, now)
            if record is None:
                return False
            if records.token_matches(token, record.token_hash):
                return True
            session = self._live_session(record.session_id, now)
            return session is not None and records.token_matches(token, session.token_hash)

    def active_answer(self, session_id: str) -> str | None:
        with self._lock:
            now = self._clock()
            return self._active_of(self._live_session(session_id, now), now)

    # --- conversations -------------------------------------------------------------------------

    def open_conversation(self, session_id: str, token: str, ttl_seconds: int) -> bool:
        records.check_id("session_id", session_id)
        records.check_id("token", token)
        with self._lock:
            now = self._clock()
            expires_at = records.expiry(now, ttl_seconds)
            session = self._live_session(session_id, now)
            if session is not None and session.token_hash:
                return False
            session = self._sessions.setdefault(session_id, _SessionRecord())
            session.token_hash = records.hash_token(token)
            session.expires_at = max(session.expires_at, expires_at)
            return True

    def check_conversation_token(self, session_id: str, token: str) -> bool:
        with self._lock:
            session = self._live_session(session_id, self._clock())
            return session is not None and records.token_matches(token, session.token_hash)

    def append_turns(self, session_id: str, turns: Sequence[Mapping[str, Any]], ttl_seconds: int) -> None:
        records.check_id("session_id", session_id)
        encoded = records.bound_turns(records.turns_json(turns))  # as one DynamoDB item is bounded
        with self._lock:
            now = self._clock()
            expires_at = records.expiry(now, ttl_seconds)
            if not encoded:
                return
            session = self._sessions.setdefault(session_id, _SessionRecord())
            candidates = self._live_turns(session, now) + [(turn, expires_at) for turn in encoded]
            kept = len(records.bound_turns([turn for turn, _ in candidates]))
            session.turns = candidates[len(candidates) - kept :]
            # The token and the answer pointer live as long as the newest turn (see records).
            if not records.expired(session.expires_at, now) and session.expires_at < expires_at:
                session.expires_at = records.session_expiry(expires_at, ttl_seconds)
            self._sweep(now)

    def conversation(self, session_id: str) -> Conversation | None:
        with self._lock:
            now = self._clock()
            session = self._sessions.get(session_id)
            if session is None:
                return None
            meta_alive = not records.expired(session.expires_at, now)
            turns = self._live_turns(session, now)
            if not meta_alive and not turns:
                return None
            return Conversation(
                session_id=session_id,
                turns=records.decoded_turns([turn for turn, _ in turns]),
                active_answer=self._active_of(session, now) if meta_alive else None,
                expires_at=float(max(session.expires_at if meta_alive else 0, turns[-1][1] if turns else 0)),
            )

    # --- inside the lock -----------------------------------------------------------------------

    def _live_answer(self, answer_id: str | None, now: float) -> _AnswerRecord | None:
        record = self._answers.get(answer_id) if answer_id else None
        if record is None or records.expired(record.expires_at, now):
            return None
        return record

    def _live_session(self, session_id: str, now: float) -> _SessionRecord | None:
        """The session's answer pointer and token, None when it has none or they expired."""
        session = self._sessions.get(session_id)
        if session is None or records.expired(session.expires_at, now):
            if session is not None:
                session.active_answer = None
                session.token_hash = None
            return None
        return session

    @staticmethod
    def _live_turns(session: _SessionRecord, now: float) -> list[tuple[str, int]]:
        """The newest run of unexpired turns (older ones expired first, or with a shorter TTL)."""
        start = len(session.turns)
        while start > 0 and not records.expired(session.turns[start - 1][1], now):
            start -= 1
        return session.turns[start:]

    def _active_of(self, session: _SessionRecord | None, now: float) -> str | None:
        if session is None or session.active_answer is None:
            return None
        record = self._live_answer(session.active_answer, now)
        if record is None or self._status(record, now)[0] not in ACTIVE_STATUSES:
            return None
        return record.answer_id

    @staticmethod
    def _status(record: _AnswerRecord, now: float) -> tuple[str, str | None]:
        return records.effective_status(
            record.status, record.error_kind, record.created_at, record.updated_at, now
        )

    def _snapshot(self, record: _AnswerRecord, now: float, *, include_text: bool = True) -> Answer:
        status, error_kind = self._status(record, now)
        return Answer(
            answer_id=record.answer_id,
            session_id=record.session_id,
            status=status,
            job=json.loads(record.job) if include_text else {},
            text="".join(record.pieces) if include_text else "",
            pieces=len(record.pieces),
            created_at=record.created_at,
            updated_at=record.updated_at,
            expires_at=float(record.expires_at),
            stop_requested=record.stop_requested,
            error_kind=error_kind,
            finish_reason=record.finish_reason,
            replaces=record.replaces,
            superseded_by=record.superseded_by,
        )

    def _sweep(self, now: float) -> None:
        if now < self._next_sweep or (
            len(self._answers) <= SWEEP_ABOVE and len(self._sessions) <= SWEEP_ABOVE
        ):
            return
        self._next_sweep = now + SWEEP_EVERY_SECONDS
        for answer_id in [a for a, r in self._answers.items() if records.expired(r.expires_at, now)]:
            del self._answers[answer_id]
        for session_id in [
            s
            for s, r in self._sessions.items()
            if records.expired(r.expires_at, now) and not self._live_turns(r, now)
        ]:
            del self._sessions[session_id]
