"""Messages Lex sends: one per message group, with ``{Slot}`` references filled in.

``{SlotName}`` in a message is replaced by the slot's interpreted value (an empty string while the
slot is empty). Only names that are slots of the intent are references; other braces are text.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from typing import Any

from .definition import (
    IMAGE_RESPONSE_CARD,
    ImageCard,
    MessageGroup,
    MessageTemplate,
    ResponseSpec,
)

_REFERENCE = re.compile(r"\{([0-9A-Za-z](?:[_-]?[0-9A-Za-z])*)\}")

MAX_MESSAGES = 10


def slot_references(text: str) -> list[str]:
    """The names written as ``{Name}`` in a message or utterance, in order."""
    return _REFERENCE.findall(text)


def fill_slots(text: str, values: Mapping[str, str | None]) -> str:
    """Replace ``{Slot}`` with the slot's value for every name in ``values``; leave other braces."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            return match.group(0)
        return values[name] or ""

    return _REFERENCE.sub(replace, text)


def _card_to_wire(card: ImageCard, values: Mapping[str, str | None]) -> dict[str, Any]:
    wire: dict[str, Any] = {"title": fill_slots(card.title, values)}
    if card.subtitle is not None:
        wire["subtitle"] = fill_slots(card.subtitle, values)
    if card.image_url is not None:
        wire["imageUrl"] = card.image_url
    if card.buttons:
        wire["buttons"] = [
            {"text": fill_slots(button.text, values), "value": fill_slots(button.value, values)}
            for button in card.buttons
        ]
    return wire


def render_message(template: MessageTemplate, values: Mapping[str, str | None]) -> dict[str, Any]:
    """One message in RecognizeText's wire shape (``contentType`` + ``content`` or a card)."""
    if template.content_type == IMAGE_RESPONSE_CARD and template.card is not None:
        return {"contentType": IMAGE_RESPONSE_CARD, "imageResponseCard": _card_to_wire(template.card, values)}
    return {"contentType": template.content_type, "content": fill_slots(template.content or "", values)}


def choose(
    group: MessageGroup, rng: random.Random, *, ordered: bool = False, attempt: int = 0
) -> MessageTemplate:
    """The message Lex picks from a group: at random among the message and its variations, or, with
    the Ordered selection strategy, the message first and the variations on the following attempts."""
    if not group.variations:
        return group.message
    choices = (group.message, *group.variations)
    if ordered:
        return choices[attempt % len(choices)]
    return rng.choice(choices)


def render_response(
    spec: ResponseSpec | None,
    values: Mapping[str, str | None],
    rng: random.Random,
    *,
    ordered: bool = False,
    attempt: int = 0,
) -> list[dict[str, Any]]:
    """The messages of a response or prompt: one per message group, slots filled in."""
    if spec is None:
        return []
    return [
        render_message(choose(group, rng, ordered=ordered, attempt=attempt), values) for group in spec.groups
    ]
