"""lambda_answers' read core as the dev server's `AnswerStreams`: the same checks and bytes as in AWS.

`lambda_answers.routes.open_stream` checks a read (cursor, token: 404 answer_not_found for an
unknown id and a wrong token alike, 400 invalid_cursor) before any byte and returns the answer's
events as SSE bytes until its `end`. Its keep-alive comments are asked for after every idle store
read (`poll_seconds`) and handed to the transport as empty frames ("nothing new yet"): each one
lets the transport look at its client, so a departed client stops the store reads within a poll.
The keep-alive comments the client sees are the transport's (`answer_stream`), every 15 s.
"""

from __future__ import annotations

from collections.abc import Iterator

from answer_store import AnswerStore
from lambda_answers.errors import RouteError
from lambda_answers.routes import open_stream
from lambda_answers.sse_format import KEEP_ALIVE

from .answer_stream import StreamRefused, StreamRequest

# How long one store read waits for new text: the longest a stream goes without looking at its client.
POLL_SECONDS = 1.0


def _idle_ticks(frames: Iterator[bytes]) -> Iterator[bytes]:
    try:
        for frame in frames:
            yield b"" if frame == KEEP_ALIVE else frame
    finally:
        close = getattr(frames, "close", None)
        if close is not None:
            close()


class StoreAnswerStreams:
    """Opens reads on an answer store through lambda_answers' core."""

    def __init__(self, store: AnswerStore, poll_seconds: float = POLL_SECONDS) -> None:
        self.store = store
        self.poll_seconds = poll_seconds

    def __call__(self, request: StreamRequest) -> StreamRefused | Iterator[bytes]:
        try:
            frames = open_stream(
                self.store,
                request.answer_id,
                request.token,
                request.after,
                request.last_event_id,
                keepalive_seconds=self.poll_seconds,
                poll_seconds=self.poll_seconds,
            )
        except RouteError as error:
            return StreamRefused(error.status, error.code, error.message)
        return _idle_ticks(frames)
