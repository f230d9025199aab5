"""INTERIM ADAPTER (to be replaced by lambda_answers' framework-neutral core when it lands on main):
an answer store's pieces as the read protocol's SSE frames, for `answer_stream`.

It follows the spec's read protocol closely enough to run the local flow end to end (404
answer_not_found for an unknown id or a wrong token alike, 400 invalid_cursor, ``delta`` then one
``end`` event), without the localized notice of a stopped or failed answer (None here); the
lambda_answers core owns that and the exact framing, and the dev server switches to it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from .answer_stream import StreamRefused, StreamRequest

# How long one store read waits for new text: the longest the stream goes without looking at its
# client (a disconnect is noticed within this time).
READ_WAIT_SECONDS = 1.0
_NOT_FOUND = StreamRefused(404, "answer_not_found", "No such answer, or the token does not open it.")


def frame(event: str, cursor: int, data: dict[str, Any]) -> bytes:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"event: {event}\nid: {cursor}\ndata: {payload}\n\n".encode()


def parse_cursor(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return 0
    return int(raw) if raw.isascii() and raw.isdigit() else None


class StoreAnswerStreams:
    """Opens reads on an answer store (`answer_store.AnswerStore`)."""

    def __init__(self, store: Any, wait_seconds: float = READ_WAIT_SECONDS) -> None:
        self.store = store
        self.wait_seconds = wait_seconds

    def __call__(self, request: StreamRequest) -> StreamRefused | Iterator[bytes]:
        if not request.token or not self.store.check_token(request.answer_id, request.token):
            return _NOT_FOUND
        raw = request.after if request.after is not None else request.last_event_id
        cursor = parse_cursor(raw)
        if cursor is None:
            return StreamRefused(400, "invalid_cursor", "after must be a whole number (0 or more).")
        return self._frames(request.answer_id, cursor)

    def _frames(self, answer_id: str, cursor: int) -> Iterator[bytes]:
        while True:
            result = self.store.read(answer_id, cursor, self.wait_seconds)
            if result is None:
                end = {"status": "failed", "errorKind": "expired", "finishReason": None, "notice": None}
                yield frame("end", cursor, end)
                return
            if result.text:
                yield frame("delta", result.cursor, {"text": result.text})
            cursor = result.cursor
            if result.finished:
                end = {
                    "status": result.status,
                    "errorKind": result.error_kind,
                    "finishReason": result.finish_reason,
                    "notice": None,
                }
                yield frame("end", cursor, end)
                return
            if not result.text:
                yield b""  # nothing new yet: the transport looks at its client
