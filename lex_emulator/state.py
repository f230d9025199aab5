"""Conversation state: slot values, the active intent and the dialog action, and their wire shapes.

The wire shapes are RecognizeText's (``sessionState.intent``, ``sessionState.dialogAction``) and
the code-hook event's (where a filled slot also carries ``"shape": "Scalar"``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

IN_PROGRESS = "InProgress"
READY_FOR_FULFILLMENT = "ReadyForFulfillment"
FULFILLED = "Fulfilled"
FAILED = "Failed"

CONFIRMED = "Confirmed"
DENIED = "Denied"
NO_CONFIRMATION = "None"

CLOSE = "Close"
CONFIRM_INTENT = "ConfirmIntent"
DELEGATE = "Delegate"
ELICIT_INTENT = "ElicitIntent"
ELICIT_SLOT = "ElicitSlot"
NO_ACTION = "None"


@dataclass(frozen=True)
class SlotValue:
    """A slot's value; a multi-value slot (shape List) holds its values in ``values``."""

    original: str
    interpreted: str
    resolved: tuple[str, ...] = ()
    values: tuple[SlotValue, ...] = ()

    @property
    def is_list(self) -> bool:
        return bool(self.values)

    @property
    def interpreted_values(self) -> list[str]:
        return [value.interpreted for value in self.values] if self.values else [self.interpreted]

    @classmethod
    def of_list(cls, phrase: str, values: tuple[SlotValue, ...], interpreted: str | None = None) -> SlotValue:
        """A multi-value slot: its value is the phrase as said ("pepperoni and pineapple") unless
        ``interpreted`` says otherwise; conditions use the comma-joined `interpreted_values`
        (Lex V2 guide, "Using multiple values in a slot" and "Add conditions to branch conversations")."""
        shown = interpreted or phrase
        return cls(original=phrase, interpreted=shown, resolved=(shown,), values=values)

    def to_wire(self, *, with_shape: bool = False) -> dict[str, Any]:
        value: dict[str, Any] = {
            "originalValue": self.original,
            "interpretedValue": self.interpreted,
            "resolvedValues": list(self.resolved),
        }
        wire: dict[str, Any] = {"value": value}
        if self.values:
            wire["shape"] = "List"
            wire["values"] = [item.to_wire(with_shape=True) for item in self.values]
        elif with_shape:
            wire["shape"] = "Scalar"
        return wire

    @classmethod
    def from_wire(cls, raw: dict[str, Any]) -> SlotValue:
        """From an already validated ``{"value": {"interpretedValue": ...}}`` (or a List shape)."""
        if raw.get("shape") == "List" and raw.get("values"):
            items = tuple(cls.from_wire(item) for item in raw["values"] if item and item.get("value"))
            value = raw.get("value") or {}
            phrase = value.get("originalValue") or ", ".join(i.original for i in items)
            return cls.of_list(phrase, items, value.get("interpretedValue") or None)
        value = raw["value"]
        interpreted = value["interpretedValue"]
        return cls(
            original=value.get("originalValue") or interpreted,
            interpreted=interpreted,
            resolved=tuple(value.get("resolvedValues") or ()),
        )


@dataclass
class IntentState:
    name: str
    slots: dict[str, SlotValue | None] = field(default_factory=dict)
    state: str = IN_PROGRESS
    confirmation_state: str = NO_CONFIRMATION

    def slot_values(self) -> dict[str, list[str] | None]:
        """Slot name to interpreted values (several for a multi-value slot), for conditions."""
        return {name: value.interpreted_values if value else None for name, value in self.slots.items()}

    def slot_text(self) -> dict[str, str | None]:
        """Slot name to interpreted value, for ``{Slot}`` templating."""
        return {name: value.interpreted if value else None for name, value in self.slots.items()}

    def to_wire(self, *, with_shape: bool = False) -> dict[str, Any]:
        return {
            "name": self.name,
            "slots": {
                name: value.to_wire(with_shape=with_shape) if value else None
                for name, value in self.slots.items()
            },
            "state": self.state,
            "confirmationState": self.confirmation_state,
        }

    def copy(self) -> IntentState:
        return IntentState(self.name, dict(self.slots), self.state, self.confirmation_state)


@dataclass(frozen=True)
class DialogAction:
    type: str
    slot_to_elicit: str | None = None

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {"type": self.type}
        if self.slot_to_elicit:
            wire["slotToElicit"] = self.slot_to_elicit
        return wire
