"""What a handler answers: `delegate`, `elicit_slot`, `confirm_intent`, `elicit_intent`, `close`.

Each builder returns a `Response`, a small description of the next step; `to_lex(response, request)`
turns it into the Lex V2 code-hook response, with the request's (possibly changed) slots and
session attributes, the event's confirmation state and the intent state each action implies:

| builder | dialogAction | intent state | messages |
| --- | --- | --- | --- |
| `delegate()` | Delegate | as Lex sent it | none: Lex goes on with its own dialog |
| `elicit_slot(slot, message=None)` | ElicitSlot | InProgress | optional: the slot's prompt plays when none |
| `confirm_intent(message=...)` | ConfirmIntent | InProgress | required |
| `elicit_intent(message=...)` | ElicitIntent | (no intent) | required |
| `close(messages=None, fulfilled=True)` | Close | Fulfilled / Failed | optional (*) |

(*) with none, the bot's own success (or failure) response and closing response play.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from .messages import Message, messages_to_wire
from .request import IntentRequest

Action = Literal["Delegate", "ElicitSlot", "ConfirmIntent", "ElicitIntent", "Close"]


@dataclass(frozen=True)
class Response:
    """The next step of the dialog, as a handler decides it. Build one with the functions below."""

    action: Action
    messages: tuple[dict[str, Any], ...] = ()
    slot_to_elicit: str | None = None
    fulfilled: bool = True


def delegate() -> Response:
    """Let Lex carry on with the bot's own dialog (elicit the next slot, confirm, fulfil)."""
    return Response("Delegate")


def elicit_slot(slot: str, message: Message | Sequence[Message] | None = None) -> Response:
    """Ask the user for `slot` (again), with `message` or else the slot's own prompt."""
    if not isinstance(slot, str) or not slot:
        raise TypeError("elicit_slot needs the slot's name")
    return Response("ElicitSlot", tuple(messages_to_wire(message)), slot_to_elicit=slot)


def confirm_intent(message: Message | Sequence[Message]) -> Response:
    """Ask the user to confirm (yes/no); the next dialog hook sees `confirmation_state`."""
    return Response("ConfirmIntent", tuple(_required(message, "confirm_intent")))


def elicit_intent(message: Message | Sequence[Message]) -> Response:
    """End this intent without fulfilling it and let the user say what they want next."""
    return Response("ElicitIntent", tuple(_required(message, "elicit_intent")))


def close(messages: Message | Sequence[Message] | None = None, *, fulfilled: bool = True) -> Response:
    """End the intent, fulfilled or failed; with no messages the bot's own response for that outcome plays."""
    return Response("Close", tuple(messages_to_wire(messages)), fulfilled=fulfilled)


def _required(message: Message | Sequence[Message], builder: str) -> list[dict[str, Any]]:
    wire = messages_to_wire(message)
    if not wire:
        raise ValueError(f"{builder} needs at least one message")
    return wire


def to_lex(response: Response, request: IntentRequest) -> dict[str, Any]:
    """The Lex V2 code-hook response for `response` to `request`."""
    dialog_action: dict[str, Any] = {"type": response.action}
    if response.slot_to_elicit:
        dialog_action["slotToElicit"] = response.slot_to_elicit
    session_state: dict[str, Any] = {
        "sessionAttributes": dict(request.session_attributes),
        "dialogAction": dialog_action,
    }
    if response.action != "ElicitIntent":
        session_state["intent"] = {
            "name": request.intent_name,
            "slots": request.slots_wire(),
            "state": _intent_state(response, request),
            "confirmationState": request.confirmation_state,
        }
    if request.active_contexts is not None:
        session_state["activeContexts"] = request.active_contexts
    wire: dict[str, Any] = {"sessionState": session_state}
    if response.messages:
        wire["messages"] = [dict(message) for message in response.messages]
    return wire


def _intent_state(response: Response, request: IntentRequest) -> str:
    if response.action == "Close":
        return "Fulfilled" if response.fulfilled else "Failed"
    if response.action == "Delegate":
        return request.intent_state
    return "InProgress"
