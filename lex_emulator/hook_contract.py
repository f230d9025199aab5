"""The code-hook response contract: what a Lex V2 Lambda may answer, checked before the dialog uses it.

`validate_hook_response` turns a handler's return value into a `HookResponse` or raises
`InvalidHookResponseError` with a message that names the field. Checked: the response is a JSON object
of at most 25 KB; ``sessionState`` is present; ``dialogAction.type`` is Close, ConfirmIntent,
Delegate, ElicitIntent or ElicitSlot (``slotToElicit`` required for ElicitSlot, and a slot of the
intent); ``intent`` has a ``name`` the locale knows, a ``state`` among Fulfilled, Failed, InProgress,
ReadyForFulfillment (the latter only with Delegate), a valid ``confirmationState`` and slots of the
intent in the ``{"value": {"interpretedValue": ...}}`` shape (a null interpretedValue with
``resolvedValues`` is Lex's ambiguous value and is accepted; or ``"shape": "List"`` with Scalar
``values``, for a multi-value slot; Composite slots are refused); ``sessionAttributes`` are strings to
strings of at most 12 KB in all; ``messages`` are at most 10, each with a valid ``contentType`` and
1 to 1024 characters of content (or a valid image response card); ElicitIntent and ConfirmIntent
carry messages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .definition import CUSTOM_PAYLOAD, IMAGE_RESPONSE_CARD, PLAIN_TEXT, SSML, LocaleDef
from .slot_types.context import AmbiguousSlotValue
from .state import (
    CLOSE,
    CONFIRM_INTENT,
    DELEGATE,
    ELICIT_INTENT,
    ELICIT_SLOT,
    FAILED,
    FULFILLED,
    IN_PROGRESS,
    NO_CONFIRMATION,
    READY_FOR_FULFILLMENT,
    DialogAction,
    IntentState,
    SlotValue,
)

MAX_RESPONSE_BYTES = 25 * 1024
MAX_SESSION_ATTRIBUTES_BYTES = 12 * 1024
MAX_MESSAGES = 10
MAX_CONTENT_CHARS = 1024

DIALOG_ACTION_TYPES = (CLOSE, CONFIRM_INTENT, DELEGATE, ELICIT_INTENT, ELICIT_SLOT)
INTENT_STATES = (FULFILLED, FAILED, IN_PROGRESS, READY_FOR_FULFILLMENT)
CONFIRMATION_STATES = ("Confirmed", "Denied", NO_CONFIRMATION)
CONTENT_TYPES = (PLAIN_TEXT, CUSTOM_PAYLOAD, SSML, IMAGE_RESPONSE_CARD)


class InvalidHookResponseError(ValueError):
    """The code hook answered something Lex would not accept."""


@dataclass
class HookResponse:
    dialog_action: DialogAction
    intent: IntentState | None
    session_attributes: dict[str, str] | None
    active_contexts: list[dict[str, Any]] | None
    messages: list[dict[str, Any]] = field(default_factory=list)
    # Whether the hook's intent gave a confirmationState (when it does not, the dialog keeps the
    # session's: the Lex V2 guide does not say; a hook returning name, slots and state only, as
    # many do, should not undo the user's "yes").
    confirmation_given: bool = True


def _fail(path: str, problem: str) -> InvalidHookResponseError:
    return InvalidHookResponseError(f"{path} {problem}")


def _object(raw: Any, path: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise _fail(path, f"must be a JSON object, got {type(raw).__name__}")
    return raw


def _string_map(raw: Any, path: str) -> dict[str, str]:
    mapping = _object(raw, path)
    for key, value in mapping.items():
        if not isinstance(key, str) or not key:
            raise _fail(path, "keys must be non-empty strings")
        if not isinstance(value, str):
            raise _fail(f"{path}.{key}", f"must be a string, got {type(value).__name__}")
    return mapping


def validate_message(raw: Any, path: str) -> dict[str, Any]:
    """One message in the runtime's shape; returns a clean copy."""
    message = _object(raw, path)
    content_type = message.get("contentType")
    if content_type not in CONTENT_TYPES:
        raise _fail(f"{path}.contentType", f"must be one of {', '.join(CONTENT_TYPES)}, got {content_type!r}")
    if content_type == IMAGE_RESPONSE_CARD:
        card = _object(message.get("imageResponseCard"), f"{path}.imageResponseCard")
        title = card.get("title")
        if not isinstance(title, str) or not 1 <= len(title) <= 250:
            raise _fail(f"{path}.imageResponseCard.title", "must be a string of 1 to 250 characters")
        for key in ("subtitle", "imageUrl"):
            if key in card and (not isinstance(card[key], str) or not 1 <= len(card[key]) <= 250):
                raise _fail(f"{path}.imageResponseCard.{key}", "must be a string of 1 to 250 characters")
        buttons = card.get("buttons", [])
        if not isinstance(buttons, list) or len(buttons) > 5:
            raise _fail(f"{path}.imageResponseCard.buttons", "must be a list of at most 5 buttons")
        for index, button_raw in enumerate(buttons):
            button = _object(button_raw, f"{path}.imageResponseCard.buttons[{index}]")
            for key in ("text", "value"):
                if not isinstance(button.get(key), str) or not 1 <= len(button[key]) <= 50:
                    raise _fail(
                        f"{path}.imageResponseCard.buttons[{index}].{key}",
                        "must be a string of 1 to 50 characters",
                    )
        clean: dict[str, Any] = {"contentType": content_type, "imageResponseCard": card}
        if isinstance(message.get("content"), str) and message["content"]:
            clean["content"] = message["content"]
        return clean
    content = message.get("content")
    if not isinstance(content, str) or not 1 <= len(content) <= MAX_CONTENT_CHARS:
        raise _fail(f"{path}.content", f"must be a string of 1 to {MAX_CONTENT_CHARS} characters")
    return {"contentType": content_type, "content": content}


def validate_messages(raw: Any, path: str) -> list[dict[str, Any]]:
    if not isinstance(raw, list):
        raise _fail(path, "must be a list")
    if len(raw) > MAX_MESSAGES:
        raise _fail(path, f"has {len(raw)} messages; at most {MAX_MESSAGES} are allowed")
    return [validate_message(item, f"{path}[{index}]") for index, item in enumerate(raw)]


def _slot_value(raw: Any, path: str) -> SlotValue | None:
    if raw is None:
        return None
    slot = _object(raw, path)
    shape = slot.get("shape", "Scalar")
    if shape == "List":
        items_raw = slot.get("values")
        if not isinstance(items_raw, list) or not items_raw:
            raise _fail(f"{path}.values", "must be a non-empty list with shape List")
        items = []
        for index, item_raw in enumerate(items_raw):
            item = _slot_value(item_raw, f"{path}.values[{index}]")
            if item is None or item.is_list:
                raise _fail(f"{path}.values[{index}]", "must be a Scalar slot value")
            items.append(item)
        original = ", ".join(item.original for item in items)
        interpreted = None
        if isinstance(slot.get("value"), dict):
            if isinstance(slot["value"].get("originalValue"), str):
                original = slot["value"]["originalValue"] or original
            if isinstance(slot["value"].get("interpretedValue"), str):
                interpreted = slot["value"]["interpretedValue"] or None
        return SlotValue.of_list(original, tuple(items), interpreted)
    if shape != "Scalar":
        raise _fail(f"{path}.shape", f"{shape!r} slots (Composite) are not supported by the emulator")
    value = _object(slot.get("value"), f"{path}.value")
    resolved = value.get("resolvedValues", [])
    if not isinstance(resolved, list) or not all(isinstance(item, str) for item in resolved):
        raise _fail(f"{path}.value.resolvedValues", "must be a list of strings")
    interpreted = value.get("interpretedValue")
    if interpreted is None and any(resolved):
        # Lex's own shape for a value it could not settle ("AMAZON.Time": "10 o'clock" has a null
        # interpretedValue and both times in resolvedValues); a hook returning the event's slot
        # unchanged hands it back, and the slot stays filled and ambiguous.
        candidates = tuple(item for item in resolved if item)
        original = value.get("originalValue") or candidates[0]
        if not isinstance(original, str):
            raise _fail(f"{path}.value.originalValue", "must be a string")
        return AmbiguousSlotValue(original=original, interpreted=candidates[0], resolved=candidates)
    if not isinstance(interpreted, str) or not interpreted:
        raise _fail(
            f"{path}.value.interpretedValue",
            "must be a non-empty string (or null with resolvedValues, for an ambiguous value)",
        )
    original = value.get("originalValue", interpreted)
    if not isinstance(original, str):
        raise _fail(f"{path}.value.originalValue", "must be a string")
    return SlotValue(original=original or interpreted, interpreted=interpreted, resolved=tuple(resolved))


def _intent(raw: Any, path: str, locale: LocaleDef) -> IntentState:
    intent = _object(raw, path)
    name = intent.get("name")
    if not isinstance(name, str) or not name:
        raise _fail(f"{path}.name", "is required (a non-empty string)")
    definition = locale.intent(name)
    if definition is None:
        raise _fail(f"{path}.name", f"{name!r} is not an intent of locale {locale.locale_id}")
    state = intent.get("state", IN_PROGRESS)
    if state not in INTENT_STATES:
        raise _fail(f"{path}.state", f"must be one of {', '.join(INTENT_STATES)}, got {state!r}")
    confirmation = intent.get("confirmationState", NO_CONFIRMATION)
    if confirmation not in CONFIRMATION_STATES:
        raise _fail(
            f"{path}.confirmationState",
            f"must be one of {', '.join(CONFIRMATION_STATES)}, got {confirmation!r}",
        )
    slots_raw = intent.get("slots") or {}
    slots_map = _object(slots_raw, f"{path}.slots")
    slots: dict[str, SlotValue | None] = {slot_name: None for slot_name in definition.slot_names}
    for slot_name, slot_raw in slots_map.items():
        if slot_name not in slots:
            raise _fail(f"{path}.slots.{slot_name}", f"is not a slot of intent {name}")
        slots[slot_name] = _slot_value(slot_raw, f"{path}.slots.{slot_name}")
    return IntentState(name=name, slots=slots, state=state, confirmation_state=confirmation)


def _attributes_size(attributes: dict[str, str]) -> int:
    return sum(len(key.encode("utf-8")) + len(value.encode("utf-8")) for key, value in attributes.items())


def validate_hook_response(raw: Any, locale: LocaleDef) -> HookResponse:
    """Check a code hook's return value against the Lex V2 response contract."""
    if not isinstance(raw, dict):
        raise InvalidHookResponseError(f"the response must be a JSON object, got {type(raw).__name__}")
    try:
        size = len(json.dumps(raw, ensure_ascii=False).encode("utf-8"))
    except (TypeError, ValueError) as error:
        raise InvalidHookResponseError(f"the response is not JSON-serialisable: {error}") from None
    if size > MAX_RESPONSE_BYTES:
        raise InvalidHookResponseError(
            f"the response is {size} bytes; Lex accepts at most {MAX_RESPONSE_BYTES}"
        )
    if "sessionState" not in raw:
        raise _fail("sessionState", "is required")
    session_state = _object(raw["sessionState"], "sessionState")
    action_raw = _object(session_state.get("dialogAction"), "sessionState.dialogAction")
    action_type = action_raw.get("type")
    if action_type not in DIALOG_ACTION_TYPES:
        raise _fail(
            "sessionState.dialogAction.type",
            f"must be one of {', '.join(DIALOG_ACTION_TYPES)}, got {action_type!r}",
        )
    intent = None
    if session_state.get("intent") is not None:
        intent = _intent(session_state["intent"], "sessionState.intent", locale)
    elif action_type in (CONFIRM_INTENT, DELEGATE, ELICIT_SLOT):
        raise _fail("sessionState.intent", f"is required with dialogAction {action_type}")
    slot_to_elicit = action_raw.get("slotToElicit")
    if action_type == ELICIT_SLOT:
        if not isinstance(slot_to_elicit, str) or not slot_to_elicit:
            raise _fail("sessionState.dialogAction.slotToElicit", "is required with ElicitSlot")
        assert intent is not None
        if slot_to_elicit not in intent.slots:
            raise _fail(
                "sessionState.dialogAction.slotToElicit",
                f"{slot_to_elicit!r} is not a slot of intent {intent.name}",
            )
    if intent is not None and intent.state == READY_FOR_FULFILLMENT and action_type != DELEGATE:
        raise _fail(
            "sessionState.intent.state", "ReadyForFulfillment is only valid with dialogAction Delegate"
        )
    attributes = None
    if session_state.get("sessionAttributes") is not None:
        attributes = _string_map(session_state["sessionAttributes"], "sessionState.sessionAttributes")
        total = _attributes_size(attributes)
        if total > MAX_SESSION_ATTRIBUTES_BYTES:
            raise _fail(
                "sessionState.sessionAttributes",
                f"hold {total} bytes; at most {MAX_SESSION_ATTRIBUTES_BYTES}",
            )
    contexts = None
    if session_state.get("activeContexts") is not None:
        contexts_raw = session_state["activeContexts"]
        if not isinstance(contexts_raw, list) or not all(isinstance(item, dict) for item in contexts_raw):
            raise _fail("sessionState.activeContexts", "must be a list of objects")
        contexts = list(contexts_raw)
    messages = validate_messages(raw.get("messages") or [], "messages")
    if action_type in (ELICIT_INTENT, CONFIRM_INTENT) and not messages:
        raise _fail("messages", f"are required with dialogAction {action_type}")
    return HookResponse(
        dialog_action=DialogAction(action_type, slot_to_elicit if action_type == ELICIT_SLOT else None),
        intent=intent,
        confirmation_given=intent is not None and "confirmationState" in session_state["intent"],
        session_attributes=attributes,
        active_contexts=contexts,
        messages=messages,
    )
