"""AMAZON.FreeFormInput: the user's whole input, as said (developer guide: "any words or characters")."""

from __future__ import annotations

from ..state import SlotValue
from .context import SlotContext, single


def resolve_free_form(text: str, context: SlotContext) -> SlotValue | None:
    value = text.strip()
    return single(value, value) if value else None
