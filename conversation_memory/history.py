"""Conversation memory kept in Lex session attributes, as one JSON string attribute.

`{"v": 1, "messages": [{"role": "user" | "assistant", "content": "..."}, ...]}` holds the last
messages of the conversation, oldest first. Lex allows 12 KB of session attributes; this module
keeps *all* of them (ours plus any others) under a smaller budget, 8 KB of UTF-8 by default, by
dropping the oldest messages first and, if the newest pair alone is too big, shortening it. A value
this module cannot read (corrupted, or written by someone else) is treated as no memory.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

ATTRIBUTE = "llmHistory"
FORMAT_VERSION = 1
SESSION_ATTRIBUTES_BUDGET_BYTES = 8 * 1024
MAX_STORED_CHARS = 1500
_SHRINK_STEPS = (1500, 800, 400, 200)
ELLIPSIS = "…"

Role = Literal["user", "assistant"]


@dataclass(frozen=True)
class Message:
    """One remembered message: what the user said, or what the bot answered."""

    role: Role
    content: str


def load_history(attributes: Mapping[str, str]) -> tuple[list[Message], str | None]:
    """The remembered messages, oldest first, and a note for the log when the value was unusable."""
    raw = attributes.get(ATTRIBUTE)
    if raw is None:
        return [], None
    try:
        document = json.loads(raw)
    except (TypeError, ValueError, RecursionError):
        return [], "memory attribute is not JSON; starting afresh"
    entries = document.get("messages") if isinstance(document, dict) else None
    if not isinstance(entries, list) or document.get("v") != FORMAT_VERSION:
        return [], "memory attribute has an unknown shape; starting afresh"
    history: list[Message] = []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        role, content = entry.get("role"), entry.get("content")
        if role in ("user", "assistant") and isinstance(content, str) and content.strip():
            history.append(Message(role, content))
    return history, None


def alternating(history: Sequence[Message]) -> list[Message]:
    """The history as the providers want it: starting with a user message, roles alternating
    (consecutive messages of one role are joined)."""
    result: list[Message] = []
    for message in history:
        if not result and message.role != "user":
            continue
        if result and result[-1].role == message.role:
            result[-1] = Message(message.role, f"{result[-1].content}\n\n{message.content}")
        else:
            result.append(message)
    return result


def attributes_size(attributes: Mapping[str, str]) -> int:
    """Bytes of all keys and values in UTF-8: the measure the budget applies to."""
    return sum(len(key.encode("utf-8")) + len(value.encode("utf-8")) for key, value in attributes.items())


def encode(messages: Sequence[Message]) -> str:
    """The attribute's value for these messages (UTF-8 text, not \\u escapes: half the bytes for Korean)."""
    payload = {"v": FORMAT_VERSION, "messages": [{"role": m.role, "content": m.content} for m in messages]}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def remember(
    attributes: Mapping[str, str],
    history: Sequence[Message],
    user_text: str,
    answer: str,
    *,
    max_messages: int,
    budget_bytes: int = SESSION_ATTRIBUTES_BUDGET_BYTES,
) -> dict[str, str]:
    """The session attributes to write back: the others unchanged, the memory updated and trimmed.

    A blank `answer` (a turn the bot answered with no message) remembers only the user's text."""
    others = {key: value for key, value in attributes.items() if key != ATTRIBUTE}
    if max_messages <= 0:
        return others
    room = budget_bytes - attributes_size(others) - len(ATTRIBUTE.encode("utf-8"))
    messages = [*history, Message("user", user_text)]
    if answer.strip():
        messages.append(Message("assistant", answer))
    messages = [Message(m.role, _shorten(m.content, MAX_STORED_CHARS)) for m in messages if m.content.strip()]
    messages = _from_user(messages[-max_messages:])
    while messages and len(encode(messages).encode("utf-8")) > room:
        if len(messages) > 2:
            messages = _from_user(messages[1:])
            continue
        messages = _shrink_pair(messages, room)
        break
    if not messages:
        return others
    return {**others, ATTRIBUTE: encode(messages)}


def _from_user(messages: list[Message]) -> list[Message]:
    """Drop leading assistant messages so the memory starts with a question."""
    start = 0
    while start < len(messages) and messages[start].role != "user":
        start += 1
    return messages[start:]


def _shrink_pair(messages: list[Message], room: int) -> list[Message]:
    """The newest messages shortened until they fit in `room` bytes, or nothing."""
    for limit in _SHRINK_STEPS:
        shortened = [Message(m.role, _shorten(m.content, limit)) for m in messages]
        if len(encode(shortened).encode("utf-8")) <= room:
            return shortened
    return []


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS
