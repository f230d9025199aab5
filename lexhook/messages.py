"""Messages a handler can send: plain text (a `str`), SSML, an image response card or a custom payload.

Each type knows its Lex V2 wire shape (`to_wire`). Lex's limits (1 to 1024 characters of content,
cards with a 1-250 character title and at most 5 buttons of 1-50 characters) are checked by the
code hook before the response reaches Lex, so a handler learns about a mistake in its own test.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PlainText:
    """Text shown as is (a bare `str` means the same)."""

    text: str

    def to_wire(self) -> dict[str, Any]:
        return {"contentType": "PlainText", "content": self.text}


@dataclass(frozen=True)
class Ssml:
    """Speech Synthesis Markup Language, for voice channels: `<speak>...</speak>`."""

    ssml: str

    def to_wire(self) -> dict[str, Any]:
        return {"contentType": "SSML", "content": self.ssml}


@dataclass(frozen=True)
class CustomPayload:
    """A string the client interprets itself (often JSON); Lex passes it through untouched."""

    payload: str

    def to_wire(self) -> dict[str, Any]:
        return {"contentType": "CustomPayload", "content": self.payload}


@dataclass(frozen=True)
class Button:
    """A card button: `text` is shown, `value` is what the user "says" by pressing it."""

    text: str
    value: str

    def to_wire(self) -> dict[str, str]:
        return {"text": self.text, "value": self.value}


@dataclass(frozen=True)
class ImageCard:
    """An image response card: a title, optionally a subtitle, an image URL and up to 5 buttons."""

    title: str
    subtitle: str | None = None
    image_url: str | None = None
    buttons: Sequence[Button] = field(default_factory=tuple)

    def to_wire(self) -> dict[str, Any]:
        card: dict[str, Any] = {"title": self.title}
        if self.subtitle is not None:
            card["subtitle"] = self.subtitle
        if self.image_url is not None:
            card["imageUrl"] = self.image_url
        if self.buttons:
            card["buttons"] = [button.to_wire() for button in self.buttons]
        return {"contentType": "ImageResponseCard", "imageResponseCard": card}


Message = str | PlainText | Ssml | CustomPayload | ImageCard
"""Anything a handler may pass where a message is expected."""


def message_to_wire(message: Message) -> dict[str, Any]:
    """The Lex V2 message for `message`; a `str` is plain text. TypeError for anything else."""
    if isinstance(message, str):
        return PlainText(message).to_wire()
    if isinstance(message, PlainText | Ssml | CustomPayload | ImageCard):
        return message.to_wire()
    raise TypeError(
        f"a message must be a str, PlainText, Ssml, CustomPayload or ImageCard, not {type(message).__name__}"
    )


def messages_to_wire(messages: Message | Sequence[Message] | None) -> list[dict[str, Any]]:
    """One message, several, or none, as the Lex V2 `messages` list."""
    if messages is None:
        return []
    if isinstance(messages, str | PlainText | Ssml | CustomPayload | ImageCard):
        return [message_to_wire(messages)]
    if not isinstance(messages, Sequence):
        return [message_to_wire(messages)]  # raises the TypeError that names the type
    return [message_to_wire(message) for message in messages]
