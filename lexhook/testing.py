"""Build code-hook events and requests in a handler's unit tests, with no AWS and no Lex.

request = make_request("OrderCoffee", slots={"Size": "large"}, source="FulfillmentCodeHook")
response = order_coffee.fulfillment(request)
assert response.action == "Close"
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .request import IntentRequest, LlmAsker


def make_event(
    intent: str,
    *,
    source: str = "DialogCodeHook",
    slots: Mapping[str, str | Sequence[str] | None] | None = None,
    locale: str = "en_US",
    transcript: str = "",
    session_attributes: Mapping[str, str] | None = None,
    request_attributes: Mapping[str, str] | None = None,
    confirmation_state: str = "None",
    intent_state: str = "InProgress",
    proposed_slot: str | None = None,
    session_id: str = "test-session",
) -> dict[str, Any]:
    """A Lex V2 code-hook event (message version 1.0) with these values; slots given as plain text."""
    wire_slots: dict[str, Any] = {}
    holder = IntentRequest({})
    for name, value in (slots or {}).items():
        holder.set_slot(name, value)
    wire_slots = holder.slots_wire()
    event: dict[str, Any] = {
        "messageVersion": "1.0",
        "invocationSource": source,
        "inputMode": "Text",
        "responseContentType": "text/plain; charset=utf-8",
        "sessionId": session_id,
        "inputTranscript": transcript,
        "bot": {
            "id": "TESTBOT001",
            "name": "TestBot",
            "localeId": locale,
            "version": "1",
            "aliasId": "TESTALIAS",
            "aliasName": "live",
        },
        "interpretations": [],
        "sessionState": {
            "sessionAttributes": dict(session_attributes or {}),
            "intent": {
                "name": intent,
                "slots": wire_slots,
                "state": intent_state,
                "confirmationState": confirmation_state,
            },
        },
    }
    if request_attributes is not None:
        event["requestAttributes"] = dict(request_attributes)
    if proposed_slot is not None:
        event["proposedNextState"] = {
            "dialogAction": {"type": "ElicitSlot", "slotToElicit": proposed_slot},
            "intent": event["sessionState"]["intent"],
            "prompt": {"attempt": "Initial"},
        }
    return event


def make_request(intent: str, *, ask_llm: LlmAsker | None = None, **fields: Any) -> IntentRequest:
    """An `IntentRequest` for `make_event(intent, **fields)`; `ask_llm` stands in for the LLM."""
    return IntentRequest(make_event(intent, **fields), ask_llm=ask_llm)
