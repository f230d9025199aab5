"""The answer routes over an answer store, knowing nothing of Lambda or HTTP servers.

Each route takes what the request carried as plain strings (path ids, the token header, the cursor)
and returns the success body, or raises RouteError (errors.py). The Lambda handler and the dev
server only move these to and from their requests and responses.

- read (`GET /chat/answers/{id}`): `read_long_poll` (one buffered long poll) or `open_stream` (one
  streamed response until the end); both check the cursor, then the token.
- `stop` (`POST /chat/answers/{id}/stop`), `regenerate` (`POST /chat/answers/{id}/regenerate`),
  `conversation` (`GET /chat/conversations/{sessionId}`).

Tokens: an answer opens with its own token or its session's conversation token (X-Answer-Token);
the conversation with the conversation token (X-Conversation-Token). A malformed id, an unknown or
expired one, and a missing or wrong token all get the same 404, before anything else is read.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from answer_store import Answer, AnswerStore, SessionBusyError

from .errors import (
    answer_not_found,
    cannot_regenerate,
    conversation_not_found,
    invalid_cursor,
    session_busy,
)
from .reading import DEFAULT_LIMITS, DEFAULT_LOCALE, PollLimits, long_poll, notice_for, stream_events
from .sse_format import encode_all

ANSWERS_PATH = "/chat/answers/"
_ANSWER_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_SESSION_ID = re.compile(r"[0-9a-zA-Z._:-]{2,100}")  # Lex's session id pattern (as /chat checks it)
_CURSOR = re.compile(r"[0-9]{1,9}")
_TOKEN = re.compile(r"[\x21-\x7e]{1,256}")  # tokens are URL-safe base64; anything else opens nothing
# How many regenerations a lookup follows to the newest answer (a guard against a cycle).
_MAX_HOPS = 32

StartWorker = Callable[[str], None]


def parse_cursor(after: str | None, last_event_id: str | None = None) -> int:
    """The reader's cursor: `after` (query), else the `Last-Event-ID` header, else 0."""
    raw = after if after is not None else last_event_id
    if raw is None:
        return 0
    if not _CURSOR.fullmatch(raw):
        raise invalid_cursor()
    return int(raw)


def authorize_answer(store: AnswerStore, answer_id: str, token: str | None) -> None:
    """Raise the 404 unless `token` opens this answer (same error for every reason)."""
    if not _ANSWER_ID.fullmatch(answer_id) or token is None or not _TOKEN.fullmatch(token):
        raise answer_not_found()
    if not store.check_token(answer_id, token):
        raise answer_not_found()


def read_long_poll(
    store: AnswerStore,
    answer_id: str,
    token: str | None,
    after: str | None,
    last_event_id: str | None = None,
    *,
    limits: PollLimits = DEFAULT_LIMITS,
    time_left: Callable[[], float] | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> bytes:
    """The body of one long poll (text/event-stream)."""
    cursor = parse_cursor(after, last_event_id)
    authorize_answer(store, answer_id, token)
    events = long_poll(store, answer_id, cursor, limits=limits, time_left=time_left, clock=clock, sleep=sleep)
    if events is None:
        raise answer_not_found()
    return encode_all(events)


def open_stream(
    store: AnswerStore,
    answer_id: str,
    token: str | None,
    after: str | None,
    last_event_id: str | None = None,
    *,
    keepalive_seconds: float = 15.0,
    poll_seconds: float = 1.0,
) -> Iterator[bytes]:
    """Check the request now (raising RouteError before any byte), then return the generator of the
    answer's events until its end: what the dev server streams as one response."""
    cursor = parse_cursor(after, last_event_id)
    authorize_answer(store, answer_id, token)
    return stream_events(
        store, answer_id, cursor, keepalive_seconds=keepalive_seconds, poll_seconds=poll_seconds
    )


def stop(store: AnswerStore, answer_id: str, token: str | None) -> dict[str, Any]:
    """Ask the worker to stop: `{"stopped": <was it still active>, "status": <its status now>}`."""
    authorize_answer(store, answer_id, token)
    stopped = store.request_stop(answer_id)
    answer = store.get(answer_id)
    if answer is None:
        raise answer_not_found()
    return {"stopped": stopped, "status": answer.status}


def regenerate(
    store: AnswerStore,
    answer_id: str,
    token: str | None,
    *,
    ttl_seconds: int,
    start_worker: StartWorker | None = None,
) -> dict[str, Any]:
    """A new answer to the same job, replacing the session's last LLM answer; its handle.

    409 `session_busy` while the session has an answer being written, `cannot_regenerate` for any
    answer but the newest of the session's last LLM turn. A worker that cannot be started leaves
    the new answer failed("unavailable"), which its reader then sees."""
    authorize_answer(store, answer_id, token)
    answer = store.get(answer_id)
    if answer is None:
        raise answer_not_found()
    active = store.active_answer(answer.session_id)
    if active:
        raise session_busy(active)
    if not _is_last_llm_answer(store, answer):
        raise cannot_regenerate()
    new_token = secrets.token_urlsafe(32)
    try:
        new_id = store.create(
            session_id=answer.session_id,
            token=new_token,
            job=answer.job,
            ttl_seconds=ttl_seconds,
            replaces=answer_id,
        )
    except SessionBusyError as busy:
        raise session_busy(busy.answer_id) from None
    try:
        (start_worker or _invoke_worker)(new_id)
    except Exception:  # the reader sees why: the answer ends failed instead of never starting
        store.finish(new_id, "failed", error_kind="unavailable")
    return {"answer": {"id": new_id, "token": new_token, "url": f"{ANSWERS_PATH}{new_id}"}}


def conversation(store: AnswerStore, session_id: str, token: str | None) -> dict[str, Any]:
    """The session's kept conversation: its turns, each streamed one with its newest answer."""
    if not _SESSION_ID.fullmatch(session_id) or token is None or not _TOKEN.fullmatch(token):
        raise conversation_not_found()
    if not store.check_conversation_token(session_id, token):
        raise conversation_not_found()
    kept = store.conversation(session_id)
    if kept is None:
        raise conversation_not_found()
    turns = [_with_answer(store, turn) for turn in kept.turns]
    return {"sessionId": session_id, "turns": turns, "activeAnswer": kept.active_answer}


def newest(store: AnswerStore, answer_id: str) -> Answer | None:
    """The answer, or the newest answer that regenerated it (following `superseded_by`)."""
    answer = store.get(answer_id)
    for _ in range(_MAX_HOPS):
        if answer is None or not answer.superseded_by:
            break
        newer = store.get(answer.superseded_by)
        if newer is None:
            break
        answer = newer
    return answer


def _with_answer(store: AnswerStore, turn: Mapping[str, Any]) -> dict[str, Any]:
    shown = dict(turn)
    answer_id = turn.get("answerId")
    if turn.get("role") != "bot" or not isinstance(answer_id, str):
        return shown
    answer = newest(store, answer_id)
    if answer is None:  # expired before the conversation did
        shown["answer"] = {
            "id": answer_id,
            "status": "failed",
            "errorKind": "unavailable",
            "text": "",
            "cursor": 0,
            "notice": notice_for("failed", "unavailable", DEFAULT_LOCALE),
        }
        return shown
    locale = answer.job.get("locale")
    shown["answer"] = {
        "id": answer.answer_id,
        "status": answer.status,
        "errorKind": answer.error_kind,
        "text": answer.text,
        "cursor": answer.pieces,
        "notice": notice_for(
            answer.status, answer.error_kind, locale if isinstance(locale, str) else DEFAULT_LOCALE
        )
        if answer.status not in ("pending", "running")
        else None,
    }
    return shown


def _is_last_llm_answer(store: AnswerStore, answer: Answer) -> bool:
    """Whether `answer` is the newest answer of the conversation's last bot turn."""
    if answer.superseded_by:
        return False
    kept = store.conversation(answer.session_id)
    if kept is None:
        return False
    bot_turns = [turn for turn in kept.turns if turn.get("role") == "bot"]
    if not bot_turns:
        return False
    last_id = bot_turns[-1].get("answerId")
    if not isinstance(last_id, str):
        return False
    latest = newest(store, last_id)
    return latest is not None and latest.answer_id == answer.answer_id


def _invoke_worker(answer_id: str) -> None:
    from lambda_chatgpt.worker_invoke import invoke_worker  # boto3 only when a regenerate needs it

    invoke_worker(answer_id)
