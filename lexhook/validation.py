"""Slot validation for dialog hooks, one small function per slot.

    def dialog(request: IntentRequest) -> Response:
        return validate_slots(request, {"Quantity": one_to_ten, "Drink": on_the_menu})

A validator gets the slot's value and the request and returns None when the value is fine, or the
message to re-ask with when it is not. `validate_slots` checks the filled slots in the order given:
the first bad one is cleared and elicited again with that message; when all are fine, Lex carries
on (`delegate()`). Empty slots are Lex's to elicit, so they are not validated.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from .messages import Message
from .request import IntentRequest, SlotValue
from .responses import Response, delegate, elicit_slot

SlotValidator = Callable[[SlotValue, IntentRequest], Message | None]
"""`(value, request) -> None` when the value is fine, else the message to ask again with."""


def validate_slots(request: IntentRequest, validators: Mapping[str, SlotValidator]) -> Response:
    """Re-elicit the first filled slot whose validator objects; else `delegate()`."""
    for name, validator in validators.items():
        value = request.slot(name)
        if value is None:
            continue
        problem = validator(value, request)
        if problem is not None:
            request.clear_slot(name)
            return elicit_slot(name, problem)
    return delegate()
