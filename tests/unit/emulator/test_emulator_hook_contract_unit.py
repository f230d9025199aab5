"""The code-hook response contract: what is accepted and how a violation is named."""

from __future__ import annotations

from typing import Any

import pytest

from lex_emulator.definition_loader import parse_bot_definition
from lex_emulator.hook_contract import InvalidHookResponseError, validate_hook_response
from lex_emulator.state import SlotValue

LOCALE = parse_bot_definition(
    {
        "IdleSessionTTLInSeconds": 300,
        "BotLocales": [
            {
                "LocaleId": "en_US",
                "NluConfidenceThreshold": 0.4,
                "Intents": [
                    {
                        "Name": "Greet",
                        "SampleUtterances": [{"Utterance": "hi"}],
                        "Slots": [
                            {
                                "Name": "Name",
                                "SlotTypeName": "AMAZON.FirstName",
                                "ValueElicitationSetting": {
                                    "SlotConstraint": "Required",
                                    "PromptSpecification": {
                                        "MessageGroupsList": [
                                            {"Message": {"PlainTextMessage": {"Value": "Name?"}}}
                                        ],
                                        "MaxRetries": 1,
                                    },
                                },
                            }
                        ],
                        "SlotPriorities": [{"Priority": 1, "SlotName": "Name"}],
                    },
                    {"Name": "FallbackIntent", "ParentIntentSignature": "AMAZON.FallbackIntent"},
                ],
            }
        ],
    }
).locales["en_US"]


def close(**extra: Any) -> dict[str, Any]:
    return {
        "sessionState": {
            "dialogAction": {"type": "Close"},
            "intent": {"name": "FallbackIntent", "state": "Fulfilled"},
        },
        "messages": [{"contentType": "PlainText", "content": "Hi!"}],
        **extra,
    }


def test_a_close_answer_is_accepted() -> None:
    answer = validate_hook_response(close(), LOCALE)

    assert answer.dialog_action.type == "Close"
    assert answer.intent is not None
    assert answer.intent.name == "FallbackIntent"
    assert answer.intent.state == "Fulfilled"
    assert answer.messages == [{"contentType": "PlainText", "content": "Hi!"}]
    assert answer.session_attributes is None


def test_slots_and_session_attributes_are_read() -> None:
    raw = {
        "sessionState": {
            "dialogAction": {"type": "ElicitSlot", "slotToElicit": "Name"},
            "intent": {
                "name": "Greet",
                "state": "InProgress",
                "slots": {"Name": {"shape": "Scalar", "value": {"interpretedValue": "Ann"}}},
            },
            "sessionAttributes": {"k": "v"},
        }
    }

    answer = validate_hook_response(raw, LOCALE)

    assert answer.intent is not None
    assert answer.intent.slots == {"Name": SlotValue("Ann", "Ann", ())}
    assert answer.session_attributes == {"k": "v"}
    assert answer.dialog_action.slot_to_elicit == "Name"


def state(action: str = "Close", **intent: Any) -> dict[str, Any]:
    return {"sessionState": {"dialogAction": {"type": action}, "intent": intent}}


@pytest.mark.parametrize(
    ("raw", "named"),
    [
        ("a string", "JSON object"),
        ({"messages": []}, "sessionState is required"),
        ({"sessionState": {"intent": {"name": "Greet"}}}, "sessionState.dialogAction"),
        (state("Explode", name="Greet"), "sessionState.dialogAction.type"),
        (state("ElicitSlot", name="Greet"), "sessionState.dialogAction.slotToElicit"),
        (
            {
                "sessionState": {
                    "dialogAction": {"type": "ElicitSlot", "slotToElicit": "Age"},
                    "intent": {"name": "Greet"},
                }
            },
            "'Age' is not a slot",
        ),
        ({"sessionState": {"dialogAction": {"type": "Delegate"}}}, "sessionState.intent is required"),
        (state(state="Fulfilled"), "sessionState.intent.name"),
        (state(name="OrderPizza"), "not an intent of locale en_US"),
        (state(name="Greet", state="Done"), "sessionState.intent.state"),
        (state(name="Greet", state="ReadyForFulfillment"), "only valid with dialogAction Delegate"),
        (state(name="Greet", confirmationState="Maybe"), "sessionState.intent.confirmationState"),
        (state(name="Greet", slots={"Age": None}), "sessionState.intent.slots.Age"),
        (state(name="Greet", slots={"Name": {"value": {}}}), "interpretedValue"),
        (
            state(name="Greet", slots={"Name": {"value": {"interpretedValue": None, "resolvedValues": []}}}),
            "null with resolvedValues",
        ),
        (state(name="Greet", slots={"Name": {"shape": "List", "values": []}}), "shape"),
        (state(name="Greet", slots={"Name": {"shape": "Composite", "subSlots": {}}}), "Composite"),
        (close(messages="hi"), "messages must be a list"),
        (close(messages=[{"contentType": "PlainText", "content": "x"}] * 11), "at most 10"),
        (close(messages=[{"contentType": "PlainText", "content": ""}]), "messages[0].content"),
        (close(messages=[{"contentType": "PlainText", "content": "x" * 1025}]), "messages[0].content"),
        (close(messages=[{"contentType": "Markdown", "content": "x"}]), "messages[0].contentType"),
        (close(messages=[{"contentType": "ImageResponseCard"}]), "messages[0].imageResponseCard"),
        ({"sessionState": {"dialogAction": {"type": "ElicitIntent"}}}, "messages are required"),
        (state("ConfirmIntent", name="Greet"), "messages are required"),
        (
            close(sessionState={"dialogAction": {"type": "Close"}, "sessionAttributes": {"n": 1}}),
            "sessionAttributes.n",
        ),
        (
            close(sessionState={"dialogAction": {"type": "Close"}, "sessionAttributes": {"h": "x" * 13000}}),
            "at most 12288",
        ),
        (close(extra="y" * 26_000), "at most 25600"),
        ({"sessionState": {"dialogAction": {"type": "Close"}}, "bad": {1, 2}}, "not JSON-serialisable"),
    ],
)
def test_a_contract_violation_names_the_field(raw: Any, named: str) -> None:
    with pytest.raises(InvalidHookResponseError) as raised:
        validate_hook_response(raw, LOCALE)

    assert named in str(raised.value)


def test_a_list_slot_from_the_hook_keeps_its_values() -> None:
    # "Using multiple values in a slot": shape List, each value a Scalar slot value.
    values = [{"shape": "Scalar", "value": {"interpretedValue": name}} for name in ("Ann", "Bo")]
    answer = validate_hook_response(
        state("Delegate", name="Greet", slots={"Name": {"shape": "List", "values": values}}), LOCALE
    )

    assert answer.intent is not None
    value = answer.intent.slots["Name"]
    assert value is not None
    assert value.interpreted_values == ["Ann", "Bo"]
    assert value.to_wire()["shape"] == "List"


def test_a_null_interpreted_value_with_resolved_values_is_lexs_ambiguous_value_and_is_kept() -> None:
    # "AMAZON.Time": an hour of either half of the day has a null interpretedValue and both times in
    # resolvedValues; a hook that hands the event's slot back unchanged must not fail the turn.
    ambiguous: dict[str, Any] = {
        "shape": "Scalar",
        "value": {"originalValue": "10", "interpretedValue": None, "resolvedValues": ["10:00", "22:00"]},
    }

    answer = validate_hook_response(state("Delegate", name="Greet", slots={"Name": ambiguous}), LOCALE)

    assert answer.intent is not None
    value = answer.intent.slots["Name"]
    assert value is not None
    assert value.to_wire(with_shape=True) == ambiguous  # handed on as Lex sent it
