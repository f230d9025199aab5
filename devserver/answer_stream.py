"""`GET /chat/answers/{id}` locally: one real Server-Sent Events response until the answer's `end` event.

In AWS the answers Lambda answers a buffered long poll (the client re-requests with ``after=<last
id>``); locally the same events flow in one response, written by sse-starlette's
`EventSourceResponse` on uvicorn. What the events are (validation, the token check, the framing)
is not decided here: an `AnswerStreams` callable opens a request's stream, returning either a
refusal (the JSON error to answer) or an iterator of complete SSE frames as bytes, ending after
the `end` event. An empty frame means "nothing new yet": it lets the transport look at the client.

The frames' iterator blocks (it reads the answer store), so it is driven by its own daemon thread
that hands frames to the response through a queue. When the client disconnects (or the server
stops) the thread stops asking for frames at the next one and closes the iterator: the reader
stops reading the store, while the answer itself goes on being written by its worker.
Keep-alive comments (``: keep-alive``) go out every `keep_alive_seconds` while the stream is open.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
import traceback
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass

from sse_starlette.event import ServerSentEvent
from sse_starlette.sse import EventSourceResponse

KEEP_ALIVE_SECONDS = 15.0
KEEP_ALIVE_COMMENT = "keep-alive"


@dataclass(frozen=True)
class StreamRequest:
    """What a read names: the answer, the token header, the cursor (query or Last-Event-ID), raw."""

    answer_id: str
    token: str | None
    after: str | None
    last_event_id: str | None


@dataclass(frozen=True)
class StreamRefused:
    """The JSON error a read gets instead of a stream (404 answer_not_found, 400 invalid_cursor...)."""

    status: int
    code: str
    message: str


AnswerStreams = Callable[[StreamRequest], "StreamRefused | Iterator[bytes]"]


def _keep_alive() -> ServerSentEvent:
    return ServerSentEvent(comment=KEEP_ALIVE_COMMENT, sep="\n")


async def _drive(frames: Iterator[bytes], closing: threading.Event) -> AsyncIterator[bytes]:
    """The frames, read by a daemon thread; stops it (and closes the iterator) when the response ends."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[bytes | None] = asyncio.Queue()
    stop = threading.Event()

    def hand_over(frame: bytes | None) -> None:
        with contextlib.suppress(RuntimeError):  # the loop has closed: the server has stopped
            loop.call_soon_threadsafe(queue.put_nowait, frame)

    def pump() -> None:
        try:
            for frame in frames:
                if stop.is_set() or closing.is_set():
                    break
                if frame:
                    hand_over(frame)
        except Exception:
            sys.stderr.write("devserver: an answer stream failed (the client sees it end early):\n")
            sys.stderr.write(traceback.format_exc())
        finally:
            close = getattr(frames, "close", None)
            if close is not None:
                with contextlib.suppress(Exception):
                    close()
            hand_over(None)

    threading.Thread(target=pump, name="devserver-answer-stream", daemon=True).start()
    try:
        while (frame := await queue.get()) is not None:
            yield frame
    finally:
        stop.set()


def event_stream_response(
    frames: Iterator[bytes], *, keep_alive_seconds: float, closing: threading.Event
) -> EventSourceResponse:
    """The SSE response for an opened stream: ``text/event-stream; charset=utf-8``, not cached."""
    return EventSourceResponse(
        _drive(frames, closing),
        headers={"Cache-Control": "no-store"},
        ping=keep_alive_seconds,
        ping_message_factory=_keep_alive,
        sep="\n",
    )
