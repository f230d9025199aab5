"""Server-sent events, decoded incrementally from the bytes of a streamed HTTP body.

The WHATWG event-stream rules an LLM stream needs: lines end in CR, LF or CRLF (also when a CRLF is
split between two reads), a leading BOM is dropped, `:` lines are comments (keep-alives), `data`
lines of one event are joined with "\n", `event` names it, a blank line dispatches it, an event with
no data is not dispatched. `id` and `retry` only matter to a reconnecting browser and are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SseEvent:
    """One dispatched event: its type (`message` unless named) and its data."""

    data: str
    event: str = "message"


class SseDecoder:
    """Feed it the body's bytes as they arrive; it returns the events they complete."""

    def __init__(self) -> None:
        self._buffer = b""
        self._skip_lf = False
        self._started = False
        self._data: list[str] = []
        self._event = ""

    def feed(self, chunk: bytes) -> list[SseEvent]:
        if self._skip_lf and chunk.startswith(b"\n"):
            chunk = chunk[1:]
        self._skip_lf = False
        self._buffer += chunk
        events: list[SseEvent] = []
        while True:
            cut = _line_end(self._buffer)
            if cut is None:
                return events
            end, width = cut
            if width == 1 and self._buffer[end : end + 1] == b"\r" and end + 1 == len(self._buffer):
                self._skip_lf = True  # a CR at the end of this read may be the first half of a CRLF
            line = self._buffer[:end]
            self._buffer = self._buffer[end + width :]
            event = self._line(line.decode("utf-8", errors="replace"))
            if event is not None:
                events.append(event)

    def _line(self, line: str) -> SseEvent | None:
        if not self._started:
            self._started = True
            line = line.removeprefix("\ufeff")
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        return None

    def _dispatch(self) -> SseEvent | None:
        data, event = self._data, self._event
        self._data, self._event = [], ""
        if not data:
            return None
        return SseEvent("\n".join(data), event or "message")


def _line_end(buffer: bytes) -> tuple[int, int] | None:
    """Where the first line of `buffer` ends and how wide its end is (CRLF: 2), or None."""
    cr, lf = buffer.find(b"\r"), buffer.find(b"\n")
    if cr == -1 and lf == -1:
        return None
    if cr == -1 or (lf != -1 and lf < cr):
        return lf, 1
    if buffer[cr + 1 : cr + 2] == b"\n":
        return cr, 2
    return cr, 1
