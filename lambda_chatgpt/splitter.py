"""Cutting an answer into Lex messages: at most 10, each at most 1024 characters.

Cuts fall on the best boundary inside each window: a blank line, then a line break, then the end
of a sentence, then a space; a hard cut only when a window has none of them. Beyond ten messages
the tenth ends with a marker saying the answer was shortened.

Length is counted in UTF-16 code units (emoji and other characters beyond the Basic Multilingual
Plane count twice): the stricter of the ways a service may count "characters", so Lex never
rejects a message for length. For Korean and other BMP text this equals the number of characters.
"""

from __future__ import annotations

import re

MAX_MESSAGE_CHARS = 1024
MAX_MESSAGES = 10
_SENTENCE_END = re.compile(r"[.!?。！？…](?=[\s\"'”’)\]]|$)|[.!?](?=$)")
# A boundary this early in a window would leave a stub; look for a weaker one further on instead.
_MIN_FILL = 0.5


def lex_length(text: str) -> int:
    """Length as UTF-16 code units."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _prefix_within(text: str, limit: int) -> int:
    """The largest n such that lex_length(text[:n]) <= limit."""
    if len(text) <= limit // 2:
        return len(text)
    units = 0
    for index, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


def _cut_point(window: str) -> int:
    """Where to end a message taken from `window` (a prefix of the remaining text that is too long)."""
    floor = int(len(window) * _MIN_FILL)
    for finder in (_after_blank_line, _after_line_break, _after_sentence, _after_space):
        point = finder(window)
        if point > floor:
            return point
    return len(window)


def _after_blank_line(window: str) -> int:
    index = window.rfind("\n\n")
    return index + 2 if index >= 0 else -1


def _after_line_break(window: str) -> int:
    index = window.rfind("\n")
    return index + 1 if index >= 0 else -1


def _after_sentence(window: str) -> int:
    last = -1
    for match in _SENTENCE_END.finditer(window):
        last = match.end()
    return last


def _after_space(window: str) -> int:
    index = max(window.rfind(" "), window.rfind("\t"))
    return index + 1 if index >= 0 else -1


def split_answer(
    text: str, marker: str, *, max_chars: int = MAX_MESSAGE_CHARS, max_messages: int = MAX_MESSAGES
) -> list[str]:
    """The answer as messages; empty only when the text is blank."""
    pieces: list[str] = []
    rest = text.strip()
    while rest:
        if lex_length(rest) <= max_chars:
            pieces.append(rest)
            break
        window = rest[: _prefix_within(rest, max_chars)]
        point = _cut_point(window)
        piece = rest[:point].strip()
        if piece:
            pieces.append(piece)
        rest = rest[point:].strip()
    if len(pieces) <= max_messages:
        return pieces
    kept = pieces[:max_messages]
    kept[-1] = with_marker(kept[-1], marker, max_chars=max_chars)
    return kept


def with_marker(piece: str, marker: str, *, max_chars: int = MAX_MESSAGE_CHARS) -> str:
    """`piece` shortened (on a boundary if it can be) so that piece + marker fits in one message."""
    room = max_chars - lex_length(marker) - 1
    if lex_length(piece) > room:
        window = piece[: _prefix_within(piece, room)]
        piece = window[: _cut_point(window)].rstrip()
    return f"{piece}\n{marker}" if piece else marker
