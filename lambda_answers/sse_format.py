"""The bytes of the read route's Server-Sent Events (the framing docs/streaming-protocol.md gives).

    event: delta            new text; `id` is the cursor after it (send it back as `after`)
    id: 12
    data: {"text": "..."}

    event: end              exactly once, last: how the answer ended
    id: 12
    data: {"status": "done|stopped|failed", "errorKind": ..., "finishReason": ..., "notice": ...}

    : keep-alive            a comment while nothing happens

Each event's data is one line of compact JSON: JSON escapes CR and LF inside strings, so no text
can break an event apart, whatever it holds. Lines end in LF, events in a blank line, UTF-8.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

KEEP_ALIVE = b": keep-alive\n\n"


@dataclass(frozen=True)
class Delta:
    """New text of the answer, and the cursor after it."""

    text: str
    cursor: int


@dataclass(frozen=True)
class End:
    """The answer has ended: its status, why, and what a reader shows under it (None when done)."""

    cursor: int
    status: str
    error_kind: str | None = None
    finish_reason: str | None = None
    notice: str | None = None


@dataclass(frozen=True)
class KeepAlive:
    """Nothing new yet (a comment, which SSE readers skip)."""


Event = Delta | End | KeepAlive


def encode(event: Event) -> bytes:
    """One event's bytes."""
    if isinstance(event, KeepAlive):
        return KEEP_ALIVE
    if isinstance(event, Delta):
        return _framed("delta", event.cursor, {"text": event.text})
    return _framed(
        "end",
        event.cursor,
        {
            "status": event.status,
            "errorKind": event.error_kind,
            "finishReason": event.finish_reason,
            "notice": event.notice,
        },
    )


def encode_all(events: Iterable[Event]) -> bytes:
    """Several events' bytes, in order (a long poll's whole body)."""
    return b"".join(encode(event) for event in events)


def _framed(name: str, cursor: int, data: dict[str, Any]) -> bytes:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # A lone surrogate (JSON "\\ud800" from a model) has no UTF-8 form: it becomes "?".
    return f"event: {name}\nid: {cursor}\ndata: {payload}\n\n".encode("utf-8", errors="replace")
