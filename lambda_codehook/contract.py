"""The Lex V2 code-hook response contract, checked before a handler's answer reaches Lex.

`check_response` returns the response (as JSON would carry it) or raises `ContractError` naming the
field: a JSON object under Lambda's 25 KB for Lex; `sessionState.dialogAction.type` one of Close,
ConfirmIntent, Delegate, ElicitIntent, ElicitSlot (`slotToElicit`, a slot of the intent, for
ElicitSlot); an `intent` (except for ElicitIntent) named like one of the locale's intents, with a
valid `state` (ReadyForFulfillment only with Delegate), `confirmationState` and slots of that
intent in the `{"value": {"interpretedValue": ...}}` shape; string session attributes of at most
12 KB; at most 10 messages of 1 to 1024 characters (cards: title 1-250, at most 5 buttons of 1-50);
messages on ConfirmIntent and ElicitIntent, and on ElicitSlot for a slot with no prompt of its
own; ConfirmIntent only for an intent with a confirmation setting; no Delegate from a fulfillment
hook (the intent would be fulfilled again). See the Lex V2 guide's "AWS Lambda response format for Lex V2".
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from lambda_chatgpt.codehook import MAX_RESPONSE_BYTES, wire_size
from lambda_chatgpt.splitter import MAX_MESSAGE_CHARS, MAX_MESSAGES, lex_length

from .bot_model import BotModel, IntentInfo

ACTIONS = ("Close", "ConfirmIntent", "Delegate", "ElicitIntent", "ElicitSlot")
INTENT_STATES = ("Fulfilled", "Failed", "InProgress", "ReadyForFulfillment")
CONFIRMATION_STATES = ("Confirmed", "Denied", "None")
CONTENT_TYPES = ("PlainText", "SSML", "CustomPayload", "ImageResponseCard")
SLOT_SHAPES = ("Scalar", "List")
MAX_SESSION_ATTRIBUTES_BYTES = 12 * 1024


class ContractError(ValueError):
    """The response is not one Lex accepts; the message names the field and the problem."""


def check_response(response: object, *, bot: BotModel, locale: str, source: str) -> dict[str, Any]:
    """`response` as Lex will get it, or ContractError."""
    try:
        clean = json.loads(json.dumps(response, ensure_ascii=False, allow_nan=False))
    except (TypeError, ValueError) as error:
        raise ContractError(f"the response is not JSON: {error}") from None
    top = _object(clean, "response")
    if wire_size(top) > MAX_RESPONSE_BYTES:
        raise ContractError(f"the response is {wire_size(top)} bytes; Lex takes at most {MAX_RESPONSE_BYTES}")
    state = _object(top.get("sessionState"), "sessionState")
    action = _object(state.get("dialogAction"), "sessionState.dialogAction")
    kind = action.get("type")
    if kind not in ACTIONS:
        raise ContractError(
            f"sessionState.dialogAction.type must be one of {', '.join(ACTIONS)}, not {kind!r}"
        )
    if kind == "Delegate" and source == "FulfillmentCodeHook":
        raise ContractError(
            "sessionState.dialogAction.type Delegate from a fulfillment hook would fulfil the intent again; "
            "close it (fulfilled or failed), or elicit a slot"
        )
    if "sessionAttributes" in state:
        _session_attributes(state["sessionAttributes"])
    if "activeContexts" in state and not isinstance(state["activeContexts"], list):
        raise ContractError("sessionState.activeContexts must be a list")
    info = None
    if "intent" in state or kind != "ElicitIntent":
        info = _intent(state.get("intent"), bot, locale, kind)
    messages = top.get("messages", [])
    if kind == "ElicitSlot" and info is not None:
        slot = action.get("slotToElicit")
        if not isinstance(slot, str) or not slot:
            raise ContractError("sessionState.dialogAction.slotToElicit is required for ElicitSlot")
        if slot not in info.slots:
            raise ContractError(
                f"sessionState.dialogAction.slotToElicit {slot!r} is not a slot of the intent "
                f"(slots: {', '.join(sorted(info.slots)) or 'none'})"
            )
        if not messages and slot not in info.prompted_slots:
            raise ContractError(f"ElicitSlot {slot} has no message and the slot has no prompt of its own")
    if kind == "ConfirmIntent" and info is not None and not info.confirmation:
        raise ContractError(
            f"ConfirmIntent for {info.name}, which has no IntentConfirmationSetting: give the intent one "
            "(its prompt and MaxRetries) to confirm it"
        )
    if not isinstance(messages, list):
        raise ContractError("messages must be a list")
    if len(messages) > MAX_MESSAGES:
        raise ContractError(f"messages has {len(messages)} items; Lex takes at most {MAX_MESSAGES}")
    for index, message in enumerate(messages):
        _message(message, f"messages[{index}]")
    if kind in ("ConfirmIntent", "ElicitIntent") and not messages:
        raise ContractError(f"{kind} needs at least one message")
    return top


def _intent(raw: object, bot: BotModel, locale: str, kind: object) -> IntentInfo:
    intent = _object(raw, "sessionState.intent")
    name = intent.get("name")
    info = bot.intent(locale, name) if isinstance(name, str) else None
    if info is None:
        raise ContractError(f"sessionState.intent.name {name!r} is not an intent of locale {locale}")
    state = intent.get("state", "InProgress")
    if state not in INTENT_STATES:
        raise ContractError(
            f"sessionState.intent.state must be one of {', '.join(INTENT_STATES)}, not {state!r}"
        )
    if state == "ReadyForFulfillment" and kind != "Delegate":
        raise ContractError("sessionState.intent.state ReadyForFulfillment is only valid with Delegate")
    confirmation = intent.get("confirmationState", "None")
    if confirmation not in CONFIRMATION_STATES:
        raise ContractError(
            f"sessionState.intent.confirmationState must be one of {', '.join(CONFIRMATION_STATES)}, "
            f"not {confirmation!r}"
        )
    slots = intent.get("slots", {})
    if slots is None:
        return info
    for slot_name, value in _object(slots, "sessionState.intent.slots").items():
        path = f"sessionState.intent.slots.{slot_name}"
        if slot_name not in info.slots:
            raise ContractError(
                f"{path}: {name} has no such slot (slots: {', '.join(sorted(info.slots)) or 'none'})"
            )
        if value is not None:
            _slot(value, path)
    return info


def _slot(raw: object, path: str) -> None:
    slot = _object(raw, path)
    shape = slot.get("shape", "Scalar")
    if shape not in SLOT_SHAPES:
        raise ContractError(f"{path}.shape must be Scalar or List, not {shape!r}")
    if shape == "List":
        values = slot.get("values")
        if not isinstance(values, list):
            raise ContractError(f"{path}.values must be a list for a List slot")
        for index, item in enumerate(values):
            _slot(item, f"{path}.values[{index}]")
        if "value" not in slot:
            return
    value = _object(slot.get("value"), f"{path}.value")
    interpreted = value.get("interpretedValue")
    if not isinstance(interpreted, str) or not interpreted:
        raise ContractError(f"{path}.value.interpretedValue must be a non-empty string")
    if not isinstance(value.get("originalValue", ""), str):
        raise ContractError(f"{path}.value.originalValue must be a string")
    resolved = value.get("resolvedValues", [])
    if not isinstance(resolved, list) or not all(isinstance(item, str) for item in resolved):
        raise ContractError(f"{path}.value.resolvedValues must be a list of strings")


def _session_attributes(raw: object) -> None:
    attributes = _object(raw, "sessionState.sessionAttributes")
    for key, value in attributes.items():
        if not isinstance(value, str):
            raise ContractError(
                f"sessionState.sessionAttributes.{key} must be a string, not {type(value).__name__}"
            )
    size = sum(len(k.encode()) + len(v.encode()) for k, v in attributes.items())
    if size > MAX_SESSION_ATTRIBUTES_BYTES:
        raise ContractError(
            f"sessionState.sessionAttributes hold {size} bytes; "
            f"Lex takes at most {MAX_SESSION_ATTRIBUTES_BYTES}"
        )


def _message(raw: object, path: str) -> None:
    message = _object(raw, path)
    kind = message.get("contentType")
    if kind not in CONTENT_TYPES:
        raise ContractError(f"{path}.contentType must be one of {', '.join(CONTENT_TYPES)}, not {kind!r}")
    if kind == "ImageResponseCard":
        card = _object(message.get("imageResponseCard"), f"{path}.imageResponseCard")
        _text(card.get("title"), f"{path}.imageResponseCard.title", 250)
        for key in ("subtitle", "imageUrl"):
            if key in card:
                _text(card[key], f"{path}.imageResponseCard.{key}", 250)
        buttons = card.get("buttons", [])
        if not isinstance(buttons, list) or len(buttons) > 5:
            raise ContractError(f"{path}.imageResponseCard.buttons must be a list of at most 5 buttons")
        for index, button in enumerate(buttons):
            item = _object(button, f"{path}.imageResponseCard.buttons[{index}]")
            for key in ("text", "value"):
                _text(item.get(key), f"{path}.imageResponseCard.buttons[{index}].{key}", 50)
        return
    _text(message.get("content"), f"{path}.content", MAX_MESSAGE_CHARS)


def _text(value: object, path: str, limit: int) -> None:
    if not isinstance(value, str) or not value.strip() or lex_length(value) > limit:
        raise ContractError(f"{path} must be a non-blank string of at most {limit} characters")


def _object(raw: object, path: str) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise ContractError(f"{path} must be a JSON object, not {type(raw).__name__}")
    return dict(raw)
