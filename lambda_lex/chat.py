"""The /chat core: one user turn in, Lex's answer out, shaped as the API's 200 body.

It knows nothing of Lambda or HTTP; the gateway it is given does the talking to Lex.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from .request import ChatRequest

FALLBACK_INTENT = "FallbackIntent"
MESSAGE_SEPARATOR = "\n\n"


class RecognizeText(Protocol):
    """The part of LexGateway the core uses (a fake in unit tests)."""

    def recognize_text(
        self,
        *,
        bot_id: str,
        bot_alias_id: str,
        locale_id: str,
        session_id: str,
        text: str,
        time_left: Callable[[], float] | None = None,
    ) -> Mapping[str, Any]: ...


@dataclass(frozen=True)
class ChatReply:
    """The 200 body of /chat."""

    msg: str
    messages: list[dict[str, str]]
    session_id: str
    locale: str
    intent: str | None
    intent_state: str | None
    dialog_action: str | None
    source: str

    def to_body(self) -> dict[str, Any]:
        return {
            "msg": self.msg,
            "messages": self.messages,
            "sessionId": self.session_id,
            "locale": self.locale,
            "intent": self.intent,
            "intentState": self.intent_state,
            "dialogAction": self.dialog_action,
            "source": self.source,
        }


def converse(
    request: ChatRequest,
    lex: RecognizeText,
    *,
    bot_id: str,
    bot_alias_id: str,
    time_left: Callable[[], float] | None = None,
) -> ChatReply:
    """Send the turn to Lex and describe its answer; Lex errors propagate as LexCallError."""
    response = lex.recognize_text(
        bot_id=bot_id,
        bot_alias_id=bot_alias_id,
        locale_id=request.locale,
        session_id=request.session_id,
        text=request.text,
        time_left=time_left,
    )
    return reply_from_lex(response, session_id=request.session_id, locale=request.locale)


def reply_from_lex(response: Mapping[str, Any], *, session_id: str, locale: str) -> ChatReply:
    """Map a RecognizeText response to the API's reply; tolerant of missing parts."""
    messages = _messages(response.get("messages"))
    state = _mapping(response.get("sessionState"))
    intent = _mapping(state.get("intent"))
    intent_name = _text_or_none(intent.get("name"))
    if intent_name is None:
        interpretations = response.get("interpretations")
        if isinstance(interpretations, Sequence) and interpretations:
            first = _mapping(interpretations[0])
            intent_name = _text_or_none(_mapping(first.get("intent")).get("name"))
    return ChatReply(
        msg=MESSAGE_SEPARATOR.join(m["content"] for m in messages if m["content"]),
        messages=messages,
        session_id=session_id,
        locale=locale,
        intent=intent_name,
        intent_state=_text_or_none(intent.get("state")),
        dialog_action=_text_or_none(_mapping(state.get("dialogAction")).get("type")),
        source="llm" if intent_name == FALLBACK_INTENT else "lex",
    )


def _messages(raw: object) -> list[dict[str, str]]:
    result: list[dict[str, str]] = []
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        return result
    for item in raw:
        message = _mapping(item)
        content_type = _text_or_none(message.get("contentType")) or "PlainText"
        content = message.get("content")
        if not isinstance(content, str):
            # An ImageResponseCard may come without content: show its title.
            content = _text_or_none(_mapping(message.get("imageResponseCard")).get("title")) or ""
        result.append({"contentType": content_type, "content": content})
    return result


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
