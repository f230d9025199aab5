"""lexhook: reading a code-hook event and turning a handler's answer into Lex V2's response shape."""

from __future__ import annotations

import pytest

from lexhook import (
    Button,
    ImageCard,
    IntentRequest,
    LlmUnavailableError,
    Ssml,
    close,
    confirm_intent,
    delegate,
    elicit_intent,
    elicit_slot,
    to_lex,
)
from lexhook.testing import make_event, make_request


def test_request_reads_the_event_fields_a_handler_needs() -> None:
    event = make_event(
        "OrderCoffee",
        source="DialogCodeHook",
        slots={"Drink": "latte", "Quantity": None},
        locale="ko_KR",
        transcript="라떼 주세요",
        session_attributes={"table": "7"},
        request_attributes={"x-chatbot-turn": "abc"},
        confirmation_state="Confirmed",
        proposed_slot="Quantity",
    )
    event["invocationLabel"] = "validate"
    request = IntentRequest(event)

    assert (request.intent_name, request.invocation_source, request.locale) == (
        "OrderCoffee",
        "DialogCodeHook",
        "ko_KR",
    )
    assert request.is_dialog
    assert not request.is_fulfillment
    assert request.input_transcript == "라떼 주세요"
    assert request.value("Drink") == "latte"
    assert request.slot("Quantity") is None
    assert request.confirmation_state == "Confirmed"
    assert request.request_attributes == {"x-chatbot-turn": "abc"}
    assert request.invocation_label == "validate"
    proposed = request.proposed_next_state
    assert proposed is not None
    assert (proposed.action, proposed.slot_to_elicit) == ("ElicitSlot", "Quantity")


def test_slot_values_keep_original_interpreted_and_resolved_apart() -> None:
    event = make_event("OrderCoffee")
    event["sessionState"]["intent"]["slots"]["Drink"] = {
        "shape": "Scalar",
        "value": {
            "originalValue": "flat white",
            "interpretedValue": "latte",
            "resolvedValues": ["latte", "mocha"],
        },
    }
    slot = IntentRequest(event).slot("Drink")

    assert slot is not None
    assert (slot.original, slot.interpreted, slot.resolved) == ("flat white", "latte", ("latte", "mocha"))
    assert not slot.is_list


def test_multi_value_slots_list_each_value() -> None:
    request = make_request("OrderCoffee", slots={"Extras": ["oat milk", "extra shot"]})

    extras = request.slot("Extras")
    assert extras is not None
    assert extras.is_list
    assert extras.interpreted_values() == ["oat milk", "extra shot"]


@pytest.mark.parametrize("event", [None, 42, {}, {"sessionState": "x"}, {"sessionState": {"intent": []}}])
def test_a_malformed_event_reads_as_empty_without_raising(event: object) -> None:
    request = IntentRequest(event)  # type: ignore[arg-type]

    assert request.intent_name == ""
    assert request.slots == {}
    assert request.session_attributes == {}
    assert request.locale == "en_US"


def test_set_and_clear_slot_change_what_the_response_returns() -> None:
    request = make_request("OrderCoffee", slots={"Drink": "latte", "Quantity": "40"})
    request.clear_slot("Quantity")
    request.set_slot("Drink", "mocha")

    wire = to_lex(elicit_slot("Quantity", "How many? 1 to 10."), request)

    slots = wire["sessionState"]["intent"]["slots"]
    assert slots["Quantity"] is None
    assert slots["Drink"]["value"]["interpretedValue"] == "mocha"
    assert wire["sessionState"]["dialogAction"] == {"type": "ElicitSlot", "slotToElicit": "Quantity"}
    assert wire["sessionState"]["intent"]["state"] == "InProgress"
    assert wire["messages"] == [{"contentType": "PlainText", "content": "How many? 1 to 10."}]


def test_session_attributes_are_a_copy_the_response_carries_back() -> None:
    event = make_event("OrderCoffee", session_attributes={"a": "1"})
    request = IntentRequest(event)
    request.session_attributes["orders"] = "2"

    wire = to_lex(delegate(), request)

    assert wire["sessionState"]["sessionAttributes"] == {"a": "1", "orders": "2"}
    assert event["sessionState"]["sessionAttributes"] == {"a": "1"}


def test_each_builder_gives_its_dialog_action_and_intent_state() -> None:
    request = make_request("OrderCoffee", intent_state="InProgress", confirmation_state="Denied")

    assert to_lex(delegate(), request)["sessionState"]["intent"]["state"] == "InProgress"
    assert "messages" not in to_lex(delegate(), request)
    confirm = to_lex(confirm_intent("Sure?"), request)["sessionState"]
    assert (confirm["dialogAction"]["type"], confirm["intent"]["state"]) == ("ConfirmIntent", "InProgress")
    assert confirm["intent"]["confirmationState"] == "Denied"
    elicit = to_lex(elicit_intent("What else?"), request)["sessionState"]
    assert elicit["dialogAction"] == {"type": "ElicitIntent"}
    assert "intent" not in elicit
    done = to_lex(close(), request)
    assert done["sessionState"]["intent"]["state"] == "Fulfilled"
    assert "messages" not in done
    failed = to_lex(close("No beans left.", fulfilled=False), request)
    assert failed["sessionState"]["intent"]["state"] == "Failed"


def test_rich_messages_take_their_wire_shapes() -> None:
    card = ImageCard("Pick a size", buttons=[Button("Small", "small"), Button("Large", "large")])
    wire = to_lex(close(["Here:", Ssml("<speak>Hi</speak>"), card]), make_request("OrderCoffee"))

    assert [m["contentType"] for m in wire["messages"]] == ["PlainText", "SSML", "ImageResponseCard"]
    assert wire["messages"][2]["imageResponseCard"]["buttons"][1] == {"text": "Large", "value": "large"}


def test_builders_refuse_what_cannot_be_a_message() -> None:
    with pytest.raises(TypeError, match="must be a str"):
        close(42)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least one message"):
        confirm_intent([])


def test_ask_llm_uses_the_injected_asker_and_fails_clearly_without_one() -> None:
    seen: list[tuple[str, str | None]] = []

    def fake(prompt: str, instructions: str | None) -> str:
        seen.append((prompt, instructions))
        return "a poem"

    assert make_request("OrderCoffee", ask_llm=fake).ask_llm("write", instructions="short") == "a poem"
    assert seen == [("write", "short")]
    with pytest.raises(LlmUnavailableError) as info:
        make_request("OrderCoffee").ask_llm("write")
    assert info.value.kind == "not_configured"


def test_validate_slots_re_elicits_the_first_bad_filled_slot_in_the_order_given() -> None:
    from lexhook import SlotValue, validate_slots

    seen: list[str] = []

    def never(value: SlotValue, request: IntentRequest) -> str | None:
        seen.append(value.interpreted)
        return f"{value.interpreted} will not do"

    request = make_request("OrderCoffee", slots={"Drink": "tea", "Quantity": "4", "Size": None})

    response = validate_slots(request, {"Size": never, "Quantity": never, "Drink": never})

    assert seen == ["4"]
    assert (response.action, response.slot_to_elicit) == ("ElicitSlot", "Quantity")
    assert response.messages == ({"contentType": "PlainText", "content": "4 will not do"},)
    assert request.slot("Quantity") is None
    assert request.value("Drink") == "tea"


def test_validate_slots_delegates_when_every_value_is_fine() -> None:
    from lexhook import validate_slots

    request = make_request("OrderCoffee", slots={"Drink": "tea"})

    assert validate_slots(request, {"Drink": lambda value, request: None}).action == "Delegate"
    assert request.value("Drink") == "tea"
