"""What every answer store offers: the records a streamed LLM answer and its conversation live in.

A streamed answer outlives the Lex call that asked for it (docs/streaming-design.md): the code hook
creates the record, a worker claims it and appends the text in pieces, readers (the page, the CLI,
a second tab) read "the pieces after cursor N", waiting for new ones. The conversation (what the
page shows, by session) is kept beside it for a configurable time (each turn for the TTL it was
added with) so a reload or a new tab can reopen it. Two implementations: DynamoDB (AWS) and an
embedded one (local mode, tests).

Cursors are piece sequence numbers, not character offsets (a JavaScript string counts UTF-16 units,
Python code points): piece 1 is the first text appended, cursor 0 means "nothing read yet".
Tokens are never stored, only their SHA-256; they are compared in constant time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

Status = Literal["pending", "running", "done", "stopped", "failed"]
ACTIVE_STATUSES: frozenset[str] = frozenset({"pending", "running"})
TERMINAL_STATUSES: frozenset[str] = frozenset({"done", "stopped", "failed"})
# A running answer whose worker has not written (text or heartbeat) for this long is dead
# (crashed, or killed at Lambda's 15 minutes): readers see it as failed("unavailable").
STALE_AFTER_SECONDS = 30.0
# An answer never claimed this long after creation is failed too, and can no longer be claimed: the
# async event was lost, or it waited in Lambda's queue behind the worker's reserved concurrency
# longer than a reader should (a worker that gets it later finds it taken and exits).
UNCLAIMED_AFTER_SECONDS = 30.0


class SessionBusyError(Exception):
    """The session already has an answer being written (one active answer per session)."""

    def __init__(self, answer_id: str) -> None:
        super().__init__(f"session has an active answer {answer_id}")
        self.answer_id = answer_id


@dataclass(frozen=True)
class Answer:
    """One answer's record as a reader or the worker sees it (status already made effective:
    a stale running or unclaimed pending answer reads as failed/unavailable)."""

    answer_id: str
    session_id: str
    status: str
    job: Mapping[str, Any]  # what the worker needs (messages, locale, ...), written by create()
    text: str  # every piece appended so far, joined
    pieces: int  # how many pieces were appended (the cursor after the last one)
    created_at: float
    updated_at: float
    expires_at: float
    stop_requested: bool = False
    error_kind: str | None = None
    finish_reason: str | None = None
    replaces: str | None = None  # the answer this one regenerates
    superseded_by: str | None = None  # set when a regenerated answer replaces this one


@dataclass(frozen=True)
class ReadResult:
    """Pieces after a cursor: their text, the cursor after them, and the answer's status."""

    text: str
    cursor: int
    status: str
    error_kind: str | None = None
    finish_reason: str | None = None

    @property
    def finished(self) -> bool:
        return self.status in TERMINAL_STATUSES


@dataclass(frozen=True)
class Conversation:
    """What a page shows of one session: its turns in order (plain JSON dicts, see
    `append_turns`) and when the record expires."""

    session_id: str
    turns: Sequence[Mapping[str, Any]] = field(default_factory=tuple)
    active_answer: str | None = None
    expires_at: float = 0.0


class AnswerStore(Protocol):
    """The store behind streamed answers and kept conversations; every method is thread-safe."""

    def create(
        self,
        *,
        session_id: str,
        token: str,
        job: Mapping[str, Any],
        ttl_seconds: int,
        replaces: str | None = None,
    ) -> str:
        """A new `pending` answer for the session and its id (uuid4); `token` is what a reader must
        present. Raises SessionBusyError when the session already has an active answer. With
        `replaces`, the old answer is marked `superseded_by` the new one."""
        ...

    def claim(self, answer_id: str) -> Answer | None:
        """pending -> running, exactly once: the answer for the first caller, None for any other
        (a duplicated or retried async event) or for an unknown/expired id."""
        ...

    def append(self, answer_id: str, text: str) -> int:
        """Add a piece of text to a running answer (also a heartbeat); the cursor after it.
        Empty text is only a heartbeat and returns the current cursor."""
        ...

    def finish(
        self, answer_id: str, status: str, *, error_kind: str | None = None, finish_reason: str | None = None
    ) -> None:
        """End the answer as done / stopped / failed (keeping every piece) and clear the session's
        active answer. Finishing an already finished answer changes nothing."""
        ...

    def request_stop(self, answer_id: str) -> bool:
        """Ask the worker to stop; True if the answer was still active."""
        ...

    def get(self, answer_id: str, *, include_text: bool = True) -> Answer | None:
        """The record (effective status), or None when unknown or expired. `include_text=False` leaves
        `text` empty and `job` {} (`pieces` still counts): the worker's cheap check for a stop."""
        ...

    def read(self, answer_id: str, after: int, wait_seconds: float) -> ReadResult | None:
        """The text of the pieces after cursor `after`, waiting up to `wait_seconds` for at least one
        new piece or the end; None when unknown or expired. Returns at once when there is new text
        or the answer has ended."""
        ...

    def check_token(self, answer_id: str, token: str) -> bool:
        """Whether `token` opens this answer: its own token, or its session's conversation token."""
        ...

    def active_answer(self, session_id: str) -> str | None:
        """The session's answer still being written (pending or running, not stale), if any."""
        ...

    def open_conversation(self, session_id: str, token: str, ttl_seconds: int) -> bool:
        """Give the session its conversation token if it has none yet; True if this call set it."""
        ...

    def check_conversation_token(self, session_id: str, token: str) -> bool:
        """Whether `token` is the session's conversation token."""
        ...

    def append_turns(self, session_id: str, turns: Sequence[Mapping[str, Any]], ttl_seconds: int) -> None:
        """Add turns (JSON-able dicts) to the session's kept conversation. Each turn is kept
        `ttl_seconds` from now, then expires on its own (so does an answer its bot turn points to);
        the conversation shows its newest unexpired turns within the store's bound, and its token
        lives at least as long as its newest turn. No turns: nothing changes."""
        ...

    def conversation(self, session_id: str) -> Conversation | None:
        """The session's kept conversation, or None when unknown or expired (its token and every
        turn)."""
        ...
