"""Reading an answer as events: one long poll (the Lambda) or one long stream (the dev server).

Both read the store from a cursor (`after`: how many pieces the reader has) and turn what they get
into `sse_format` events: a `Delta` for new text, one `End` when the answer has ended, `KeepAlive`
while nothing happens.

- `long_poll` (AWS, API Gateway buffers the response): returns as soon as there is new text, after
  a short coalescing pause (~100 ms) so a fast answer comes in fewer, larger batches, or at the end,
  or after `max_wait` (20 s) with only a keep-alive; never past the Lambda's remaining time. The
  client asks again with `after=<last id>` until it sees `end`.
- `stream_events` (local mode): the same events as one response that lasts until `end`, with a
  keep-alive comment every 15 s of silence. A plain generator of bytes the dev server iterates
  (from a worker thread: each step may block up to `poll_seconds` in the store).

Time is injectable (`clock`, `sleep`) so the timing rules are tested without waiting.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from answer_store import AnswerStore, ReadResult

from .sse_format import Delta, End, Event, KeepAlive, encode

MAX_WAIT_SECONDS = 20.0
COALESCE_SECONDS = 0.1
KEEPALIVE_SECONDS = 15.0
# What a long poll leaves of the Lambda's remaining time for building and returning the response.
RESPONSE_MARGIN_SECONDS = 1.5
DEFAULT_LOCALE = "en_US"


@dataclass(frozen=True)
class PollLimits:
    """How long a long poll may wait, and how long it waits for more after the first new text."""

    max_wait: float = MAX_WAIT_SECONDS
    coalesce: float = COALESCE_SECONDS
    margin: float = RESPONSE_MARGIN_SECONDS


DEFAULT_LIMITS = PollLimits()


def notice_for(status: str, error_kind: str | None, locale: str) -> str | None:
    """What a reader shows under an ended answer, in the user's language (None when it is done)."""
    if status == "done":
        return None
    from lambda_chatgpt.texts import answer_notice  # the fallback's texts, shipped with this Lambda

    secret_name = os.environ.get("LLM_SECRET_NAME", "").strip() or None
    return answer_notice(status, error_kind, locale, secret_name=secret_name)


def answer_locale(store: AnswerStore, answer_id: str) -> str:
    """The locale the answer was asked in (from its job), for its notice."""
    answer = store.get(answer_id)
    locale = answer.job.get("locale") if answer is not None else None
    return locale if isinstance(locale, str) and locale else DEFAULT_LOCALE


def end_event(store: AnswerStore, answer_id: str, result: ReadResult, locale: str | None = None) -> End:
    """The terminal event for a read that found the answer ended."""
    locale = locale or answer_locale(store, answer_id)
    return End(
        cursor=result.cursor,
        status=result.status,
        error_kind=result.error_kind,
        finish_reason=result.finish_reason,
        notice=notice_for(result.status, result.error_kind, locale),
    )


def long_poll(
    store: AnswerStore,
    answer_id: str,
    after: int,
    *,
    limits: PollLimits = DEFAULT_LIMITS,
    time_left: Callable[[], float] | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Event] | None:
    """The events of one long poll from cursor `after`; None when the answer is unknown or expired."""
    budget = limits.max_wait
    if time_left is not None:
        budget = min(budget, time_left() - limits.margin)
    budget = max(0.0, budget)
    deadline = clock() + budget
    result = store.read(answer_id, after, budget)
    if result is None:
        return None
    text, cursor = result.text, result.cursor
    if text and not result.finished:
        pause = min(limits.coalesce, deadline - clock())
        if pause > 0:
            sleep(pause)
        more = store.read(answer_id, cursor, 0.0)
        if more is not None:
            text, cursor, result = text + more.text, more.cursor, more
    events: list[Event] = []
    if text:
        events.append(Delta(text, cursor))
    if result.finished:
        events.append(end_event(store, answer_id, result))
    return events or [KeepAlive()]


def stream_events(
    store: AnswerStore,
    answer_id: str,
    after: int,
    *,
    keepalive_seconds: float = KEEPALIVE_SECONDS,
    poll_seconds: float = 1.0,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[bytes]:
    """The answer's events from cursor `after` until its end, as bytes (the caller has checked the
    token: see `routes.open_stream`). Each step waits at most `poll_seconds` in the store, so a
    consumer that stops iterating (the client went away) is let go within that time. An answer
    that expires while being read ends as failed("unavailable")."""
    locale = answer_locale(store, answer_id)
    cursor = after
    quiet_since = clock()
    while True:
        result = store.read(answer_id, cursor, min(poll_seconds, keepalive_seconds))
        if result is None:
            notice = notice_for("failed", "unavailable", locale)
            yield encode(End(cursor=cursor, status="failed", error_kind="unavailable", notice=notice))
            return
        if result.text:
            cursor = result.cursor
            quiet_since = clock()
            yield encode(Delta(result.text, cursor))
        if result.finished:
            yield encode(end_event(store, answer_id, result, locale))
            return
        if clock() - quiet_since >= keepalive_seconds:
            quiet_since = clock()
            yield encode(KeepAlive())
