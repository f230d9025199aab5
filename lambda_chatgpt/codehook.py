"""The Lex V2 code-hook wire: reading the event and writing a Close response Lex accepts.

Reading is forgiving (missing or odd fields get defaults; Lex may add fields at any time). Writing
is strict: `dialogAction.type = Close`, the event's intent (name, slots, confirmationState) with
`state = Fulfilled`, string-to-string session attributes, 1 to 10 PlainText messages of 1 to 1024
characters, and the whole response under Lambda's 25 KB limit for Lex (measured here with every
non-ASCII character escaped, the largest way the runtime may encode it). When the response would
be too big the memory goes first, then trailing messages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .splitter import MAX_MESSAGE_CHARS, MAX_MESSAGES, lex_length, with_marker

FALLBACK_INTENT = "FallbackIntent"
_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_RESPONSE_BYTES = 24_000


@dataclass(frozen=True)
class Turn:
    """What the fallback needs from one code-hook event."""

    session_id: str
    locale: str
    transcript: str
    invocation_source: str
    attributes: dict[str, str]
    intent: dict[str, Any] = field(default_factory=dict)
    active_contexts: list[Any] | None = None
    request_attributes: dict[str, str] = field(default_factory=dict)


def clean_text(text: str) -> str:
    """`text` with lone surrogates (which no UTF-8 encoder accepts) replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def parse_event(event: object) -> Turn:
    """The turn in a code-hook event; never raises, whatever the event looks like."""
    data: Mapping[str, Any] = event if isinstance(event, Mapping) else {}
    bot = _mapping(data.get("bot"))
    state = _mapping(data.get("sessionState"))
    raw_attributes = _mapping(state.get("sessionAttributes"))
    attributes = {
        key: value for key, value in raw_attributes.items() if isinstance(key, str) and isinstance(value, str)
    }
    intent = dict(_mapping(state.get("intent")))
    if not isinstance(intent.get("name"), str) or not intent.get("name"):
        intent = {"name": FALLBACK_INTENT}
    contexts = state.get("activeContexts")
    request_attributes = {
        key: value
        for key, value in _mapping(data.get("requestAttributes")).items()
        if isinstance(key, str) and isinstance(value, str)
    }
    return Turn(
        session_id=_text(data.get("sessionId")),
        locale=_text(bot.get("localeId")) or "en_US",
        transcript=clean_text(_text(data.get("inputTranscript"))),
        invocation_source=_text(data.get("invocationSource")),
        attributes=attributes,
        intent=intent,
        active_contexts=contexts if isinstance(contexts, list) else None,
        request_attributes=request_attributes,
    )


def close_response(turn: Turn, contents: list[str], attributes: Mapping[str, str]) -> dict[str, Any]:
    """A Close response fulfilling the turn's intent with these messages."""
    intent: dict[str, Any] = {"name": turn.intent["name"], "state": "Fulfilled"}
    slots = turn.intent.get("slots")
    if isinstance(slots, Mapping):
        intent["slots"] = dict(slots)
    confirmation = turn.intent.get("confirmationState")
    if isinstance(confirmation, str) and confirmation:
        intent["confirmationState"] = confirmation
    session_state: dict[str, Any] = {
        "sessionAttributes": dict(attributes),
        "dialogAction": {"type": "Close"},
        "intent": intent,
    }
    if turn.active_contexts is not None:
        session_state["activeContexts"] = turn.active_contexts
    return {
        "sessionState": session_state,
        "messages": [{"contentType": "PlainText", "content": content} for content in contents],
    }


def wire_size(value: object) -> int:
    """Bytes of `value` as JSON with every non-ASCII character escaped (the larger encoding)."""
    return len(json.dumps(value, ensure_ascii=True, separators=(",", ":")))


def fitted_response(
    turn: Turn,
    contents: list[str],
    attributes: Mapping[str, str],
    fallback_attributes: Mapping[str, str],
    *,
    marker: str,
    max_bytes: int = MAX_RESPONSE_BYTES,
) -> dict[str, Any]:
    """The Close response, made to fit `max_bytes`: first without the new memory
    (`fallback_attributes`), then with fewer messages (the last one marked as shortened)."""
    contents = _valid_contents(contents, marker)
    for attrs in (attributes, fallback_attributes):
        response = close_response(turn, contents, attrs)
        if wire_size(response) <= max_bytes:
            return response
    room = max_bytes - wire_size(close_response(turn, [], fallback_attributes))
    kept: list[str] = []
    used = 0
    for content in contents:
        size = wire_size({"contentType": "PlainText", "content": content}) + 1
        if used + size > room:
            break
        kept.append(content)
        used += size
    if len(kept) < len(contents):
        while kept:
            marked = with_marker(kept[-1], marker)
            extra = wire_size({"contentType": "PlainText", "content": marked}) - wire_size(
                {"contentType": "PlainText", "content": kept[-1]}
            )
            if used + extra <= room:
                kept[-1] = marked
                break
            used -= wire_size({"contentType": "PlainText", "content": kept.pop()}) + 1
        if not kept:
            kept = [marker]
    return close_response(turn, kept, fallback_attributes)


def _valid_contents(contents: list[str], marker: str) -> list[str]:
    """Messages as Lex requires them: non-blank, at most 1024 characters, at most 10."""
    valid = [c for c in (c.strip() for c in contents) if c]
    valid = [c if lex_length(c) <= MAX_MESSAGE_CHARS else with_marker(c, marker) for c in valid]
    if len(valid) > MAX_MESSAGES:
        valid = [*valid[: MAX_MESSAGES - 1], with_marker(valid[MAX_MESSAGES - 1], marker)]
    return valid or [marker]


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
