"""A checker for Lex V2 code-hook responses, written from the documented contract (not from our code).

`problems(response)` lists every way a response breaks what Lex accepts; `assert_fallback_close`
adds what our LLM fallback promises on top (Close, Fulfilled, PlainText messages).
"""

from __future__ import annotations

import json
from typing import Any

DIALOG_ACTIONS = {"Close", "ConfirmIntent", "Delegate", "ElicitIntent", "ElicitSlot"}
INTENT_STATES = {
    "Failed",
    "Fulfilled",
    "InProgress",
    "ReadyForFulfillment",
    "Waiting",
    "FulfillmentInProgress",
}
CONFIRMATION_STATES = {"Confirmed", "Denied", "None"}
CONTENT_TYPES = {"CustomPayload", "ImageResponseCard", "PlainText", "SSML"}
MAX_MESSAGES = 10
MAX_MESSAGE_CHARS = 1024
MAX_SESSION_ATTRIBUTES_BYTES = 12 * 1024
MAX_RESPONSE_BYTES = 25 * 1024


def _utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def problems(response: Any) -> list[str]:
    """Everything wrong with `response` as a code-hook answer (empty when it is valid)."""
    found: list[str] = []
    if not isinstance(response, dict):
        return ["the response is not a JSON object"]
    try:
        utf8 = json.dumps(response, ensure_ascii=False).encode("utf-8")
        escaped = json.dumps(response, ensure_ascii=True).encode("ascii")
    except (TypeError, ValueError, UnicodeEncodeError) as error:
        return [f"the response is not serialisable as JSON: {error}"]
    if max(len(utf8), len(escaped)) > MAX_RESPONSE_BYTES:
        found.append(f"the response is {max(len(utf8), len(escaped))} bytes, over Lambda's 25 KB for Lex")
    unknown = set(response) - {"sessionState", "messages", "requestAttributes"}
    if unknown:
        found.append(f"unknown top-level fields {sorted(unknown)}")

    state = response.get("sessionState")
    if not isinstance(state, dict):
        return [*found, "sessionState is required and must be an object"]
    action = state.get("dialogAction")
    if not isinstance(action, dict) or action.get("type") not in DIALOG_ACTIONS:
        found.append(f"sessionState.dialogAction.type must be one of {sorted(DIALOG_ACTIONS)}")
    elif action["type"] == "ElicitSlot" and not isinstance(action.get("slotToElicit"), str):
        found.append("ElicitSlot needs slotToElicit")
    intent = state.get("intent")
    if intent is not None:
        if not isinstance(intent, dict) or not isinstance(intent.get("name"), str) or not intent["name"]:
            found.append("sessionState.intent needs a name")
        else:
            if "state" in intent and intent["state"] not in INTENT_STATES:
                found.append(f"intent.state {intent['state']!r} is not a Lex intent state")
            if intent.get("state") == "ReadyForFulfillment" and (action or {}).get("type") != "Delegate":
                found.append("ReadyForFulfillment is only valid with Delegate")
            if "confirmationState" in intent and intent["confirmationState"] not in CONFIRMATION_STATES:
                found.append("intent.confirmationState is not a Lex confirmation state")
            if "slots" in intent and not isinstance(intent["slots"], dict):
                found.append("intent.slots must be an object")
    attributes = state.get("sessionAttributes", {})
    if not isinstance(attributes, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in attributes.items()
    ):
        found.append("sessionAttributes must map strings to strings")
    else:
        size = sum(len(k.encode()) + len(v.encode()) for k, v in attributes.items())
        if size > MAX_SESSION_ATTRIBUTES_BYTES:
            found.append(f"sessionAttributes are {size} bytes, over 12 KB")

    messages = response.get("messages", [])
    if not isinstance(messages, list):
        return [*found, "messages must be a list"]
    if len(messages) > MAX_MESSAGES:
        found.append(f"{len(messages)} messages, at most {MAX_MESSAGES} allowed")
    for index, message in enumerate(messages):
        if not isinstance(message, dict) or message.get("contentType") not in CONTENT_TYPES:
            found.append(f"messages[{index}] has no valid contentType")
            continue
        content = message.get("content")
        is_text = message["contentType"] != "ImageResponseCard"
        if is_text and (not isinstance(content, str) or not 1 <= _utf16_units(content) <= MAX_MESSAGE_CHARS):
            found.append(f"messages[{index}].content must be 1 to {MAX_MESSAGE_CHARS} characters")
    return found


def assert_valid(response: Any) -> None:
    found = problems(response)
    assert not found, "invalid code-hook response:\n- " + "\n- ".join(found)


def assert_fallback_close(response: Any) -> None:
    """Valid for Lex, and the shape our fallback promises: Close, Fulfilled, PlainText, 1+ messages."""
    assert_valid(response)
    state = response["sessionState"]
    assert state["dialogAction"]["type"] == "Close"
    assert state["intent"]["state"] == "Fulfilled"
    assert response["messages"], "the fallback always says something"
    assert all(m["contentType"] == "PlainText" for m in response["messages"])


def texts(response: dict[str, Any]) -> list[str]:
    return [m["content"] for m in response["messages"]]
