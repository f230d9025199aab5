"""Slot value resolution: turn what the user said into a slot value for the slot's type.

`resolve_slot_value` dispatches on the slot type: the built-ins the emulator implements
(AMAZON.FirstName, AMAZON.Number, AMAZON.AlphaNumeric) and the locale's custom slot types.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..definition import ALPHANUMERIC, FIRST_NAME, NUMBER, CustomSlotType
from ..state import SlotValue
from .alphanumeric import parse_alphanumeric
from .custom import resolve_custom
from .first_name import extract_first_name
from .number import parse_number

__all__ = ["extract_first_name", "parse_alphanumeric", "parse_number", "resolve_custom", "resolve_slot_value"]


def resolve_slot_value(
    slot_type: str, text: str, custom_types: Mapping[str, CustomSlotType]
) -> SlotValue | None:
    """The slot value in ``text`` for a slot of ``slot_type``, or None when there is none."""
    if slot_type == FIRST_NAME:
        name = extract_first_name(text)
        return SlotValue(name, name, (name,)) if name else None
    if slot_type == NUMBER:
        number = parse_number(text)
        return SlotValue(number, number, (number,)) if number else None
    if slot_type == ALPHANUMERIC:
        value = parse_alphanumeric(text)
        return SlotValue(value, value, (value,)) if value else None
    custom = custom_types.get(slot_type)
    if custom is None:
        return None  # the loader refuses unknown slot types
    return resolve_custom(custom, text)
