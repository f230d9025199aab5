"""Dialog code hooks, turn by turn (Lex V2 guide: "Invoking Lambda functions during a conversation",
"AWS Lambda input event format for Lex V2", "AWS Lambda response format for Lex V2")."""

from __future__ import annotations

from typing import Any

import pytest

from lex_emulator.errors import DependencyFailedException

from .dialog_support import Conversation, bot, delegate, intent, number, say, slot, slot_value, state, texts

ORDER = intent(
    "OrderPizza",
    ["I want pizza", "I want {Count} pizzas"],
    [slot("Count", "How many pizzas?"), slot("Size", "What size, in inches?")],
    DialogCodeHook={"Enabled": True},
    FulfillmentCodeHook={
        "Enabled": False,
        "PostFulfillmentStatusSpecification": {"SuccessResponse": say("Ordered.")},
    },
)

# ORDER with an elicitation code hook (label "count") on its Count slot.
ORDER_WITH_COUNT_HOOK = {
    **ORDER,
    "Slots": [
        slot(
            "Count",
            "How many pizzas?",
            SlotCaptureSetting={
                "ElicitationCodeHook": {"EnableCodeHookInvocation": True, "InvocationLabel": "count"}
            },
        ),
        ORDER["Slots"][1],
    ],
}


def test_an_enabled_dialog_code_hook_runs_on_every_turn_and_delegate_lets_lex_pick_the_next_step() -> None:
    conversation = Conversation(bot(ORDER), hook=lambda event, context: delegate(event))

    first = conversation.say("I want 2 pizzas")
    second = conversation.say("12")

    assert [event["invocationSource"] for event in conversation.events] == [
        "DialogCodeHook",
        "DialogCodeHook",
    ]
    opening = conversation.events[0]
    # Slot values from the input are filled before the hook sees the intent.
    assert opening["sessionState"]["intent"]["slots"]["Count"]["value"]["interpretedValue"] == "2"
    assert opening["sessionState"]["intent"]["slots"]["Count"]["shape"] == "Scalar"
    assert opening["proposedNextState"]["dialogAction"] == {"type": "ElicitSlot", "slotToElicit": "Size"}
    assert opening["proposedNextState"]["prompt"] == {"attempt": "Initial"}
    assert opening["inputTranscript"] == "I want 2 pizzas"
    assert opening["interpretations"][0]["intent"]["name"] == "OrderPizza"
    assert "transcriptions" not in opening  # text input: Lex sends transcriptions only for speech
    assert (texts(first), state(first)) == (
        ["What size, in inches?"],
        ("ElicitSlot", "Size", "OrderPizza", "InProgress"),
    )
    # The last slot filled: nothing left to propose but fulfilment, so no proposedNextState.
    assert "proposedNextState" not in conversation.events[1]
    assert texts(second) == ["Ordered."]
    assert state(second) == ("Close", None, "OrderPizza", "ReadyForFulfillment")


def test_the_hook_can_elicit_another_slot_with_its_own_message_and_overwrite_a_slot() -> None:
    def hook(event: dict[str, Any], context: Any) -> dict[str, Any]:
        current = event["sessionState"]["intent"]
        if current["slots"]["Count"] and current["slots"]["Count"]["value"]["interpretedValue"] == "40":
            current["slots"]["Count"] = None
            return {
                "sessionState": {
                    "dialogAction": {"type": "ElicitSlot", "slotToElicit": "Count"},
                    "intent": current,
                },
                "messages": [{"contentType": "PlainText", "content": "At most 10, please. How many?"}],
            }
        return delegate(event)

    conversation = Conversation(bot(ORDER), hook=hook)

    answer = conversation.say("I want 40 pizzas")

    assert texts(answer) == ["At most 10, please. How many?"]
    assert state(answer) == ("ElicitSlot", "Count", "OrderPizza", "InProgress")
    assert slot_value(answer, "Count") is None
    assert state(conversation.say("3")) == ("ElicitSlot", "Size", "OrderPizza", "InProgress")


@pytest.mark.parametrize("intent_state", ["Failed", "Fulfilled", "InProgress"])
def test_close_from_the_dialog_hook_ends_the_turn_with_its_messages_and_intent_state(
    intent_state: str,
) -> None:
    def hook(event: dict[str, Any], context: Any) -> dict[str, Any]:
        current = {**event["sessionState"]["intent"], "state": intent_state}
        return {
            "sessionState": {
                "dialogAction": {"type": "Close"},
                "intent": current,
                "sessionAttributes": {"k": "v"},
            },
            "messages": [{"contentType": "PlainText", "content": "The shop is closed."}],
        }

    conversation = Conversation(bot(ORDER), hook=hook)

    answer = conversation.say("I want pizza")

    assert texts(answer) == ["The shop is closed."]
    assert state(answer) == ("Close", None, "OrderPizza", intent_state)
    assert answer.session_state["sessionAttributes"] == {"k": "v"}


def test_confirm_intent_and_elicit_intent_answers_wait_for_the_user() -> None:
    with_confirmation = {
        **ORDER,
        "IntentConfirmationSetting": {"PromptSpecification": {**say("Order {Count}?"), "MaxRetries": 1}},
    }

    def hook(event: dict[str, Any], context: Any) -> dict[str, Any]:
        if event["inputTranscript"] == "I want pizza":
            current = event["sessionState"]["intent"]
            current["slots"] = {"Count": number("2"), "Size": number("12")}
            return {
                "sessionState": {"dialogAction": {"type": "ConfirmIntent"}, "intent": current},
                "messages": [{"contentType": "PlainText", "content": "Two 12-inch pizzas as usual?"}],
            }
        return {
            "sessionState": {"dialogAction": {"type": "ElicitIntent"}},
            "messages": [{"contentType": "PlainText", "content": "What else can I do?"}],
        }

    conversation = Conversation(bot(with_confirmation), hook=hook)

    asked = conversation.say("I want pizza")
    assert (texts(asked), state(asked)) == (
        ["Two 12-inch pizzas as usual?"],
        ("ConfirmIntent", None, "OrderPizza", "InProgress"),
    )
    answered = conversation.say("yes")
    assert conversation.events[-1]["sessionState"]["intent"]["confirmationState"] == "Confirmed"
    assert texts(answered) == ["What else can I do?"]
    assert answered.session_state["dialogAction"] == {"type": "ElicitIntent"}


@pytest.mark.parametrize(
    "answer",
    [
        RuntimeError("boom"),
        {"sessionState": {"dialogAction": {"type": "Jump"}}},
        {
            "sessionState": {
                "dialogAction": {"type": "ElicitSlot", "slotToElicit": "Crust"},
                "intent": {"name": "OrderPizza"},
            }
        },
    ],
    ids=["exception", "unknown-action", "slot-not-in-intent"],
)
def test_a_failing_or_invalid_dialog_hook_is_dependency_failed_and_the_session_is_unchanged(
    answer: Any,
) -> None:
    def hook(event: dict[str, Any], context: Any) -> Any:
        if isinstance(answer, Exception):
            raise answer
        return answer

    conversation = Conversation(bot(ORDER), hook=hook)

    with pytest.raises(DependencyFailedException):
        conversation.say("I want pizza")
    assert conversation.session.intent is None


def test_the_post_code_hook_failure_path_answers_instead_of_dependency_failed() -> None:
    labelled = {
        **ORDER,
        "InitialResponseSetting": {
            "CodeHook": {
                "EnableCodeHookInvocation": True,
                "IsActive": True,
                "InvocationLabel": "opening",
                "PostCodeHookSpecification": {
                    "FailureResponse": say("Ordering is down right now."),
                    "FailureNextStep": {"DialogAction": {"Type": "EndConversation"}},
                    "SuccessResponse": say("Let's order."),
                },
            }
        },
    }

    def broken(event: dict[str, Any], context: Any) -> Any:
        raise RuntimeError("database down")

    answer = Conversation(bot(labelled), hook=broken).say("I want pizza")

    assert texts(answer) == ["Ordering is down right now."]
    assert state(answer)[0] == "Close"

    healthy = Conversation(bot(labelled), hook=lambda event, context: delegate(event))
    opened = healthy.say("I want pizza")
    assert healthy.events[0]["invocationLabel"] == "opening"
    assert texts(opened) == ["Let's order.", "How many pizzas?"]


def test_a_slot_capture_code_hook_can_be_switched_off_while_the_intent_hook_stays_on() -> None:
    quiet = {
        **ORDER,
        "Slots": [
            slot(
                "Count",
                "How many pizzas?",
                SlotCaptureSetting={
                    "CodeHook": {
                        "EnableCodeHookInvocation": False,
                        "IsActive": True,
                        "PostCodeHookSpecification": {},
                    }
                },
            ),
            ORDER["Slots"][1],
        ],
    }
    conversation = Conversation(bot(quiet), hook=lambda event, context: delegate(event))

    conversation.say("I want pizza")
    after_count = conversation.say("2")

    assert len(conversation.events) == 1  # the initial response only
    assert state(after_count) == ("ElicitSlot", "Size", "OrderPizza", "InProgress")


def test_the_elicitation_code_hook_runs_between_attempts_with_the_retry_number() -> None:
    conversation = Conversation(bot(ORDER_WITH_COUNT_HOOK), hook=lambda event, context: delegate(event))

    conversation.say("I want pizza")
    retry = conversation.say("lots")

    event = conversation.events[-1]
    assert event["invocationLabel"] == "count"
    assert event["proposedNextState"]["dialogAction"] == {"type": "ElicitSlot", "slotToElicit": "Count"}
    assert event["proposedNextState"]["prompt"] == {"attempt": "Retry1"}
    assert texts(retry) == ["How many pizzas?"]


def test_a_fulfillment_hook_sees_fulfillment_code_hook_and_no_proposed_state() -> None:
    fulfilled = {**ORDER, "DialogCodeHook": {"Enabled": False}, "FulfillmentCodeHook": {"Enabled": True}}

    def hook(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return {
            "sessionState": {
                "dialogAction": {"type": "Close"},
                "intent": {**event["sessionState"]["intent"], "state": "Fulfilled"},
            },
            "messages": [{"contentType": "PlainText", "content": "Baking."}],
        }

    conversation = Conversation(bot(fulfilled), hook=hook)
    conversation.say("I want 2 pizzas")
    done = conversation.say("12")

    assert [event["invocationSource"] for event in conversation.events] == ["FulfillmentCodeHook"]
    assert "proposedNextState" not in conversation.events[0]
    assert (texts(done), state(done)) == (["Baking."], ("Close", None, "OrderPizza", "Fulfilled"))


def test_with_the_dialog_hook_on_an_answer_that_fills_nothing_also_reaches_the_hook() -> None:
    # Every turn of the intent reaches the hook; its own ElicitSlot replaces Lex's re-prompt.
    def hook(event: dict[str, Any], context: Any) -> dict[str, Any]:
        if event["inputTranscript"] == "a lot":
            return {
                "sessionState": {
                    "dialogAction": {"type": "ElicitSlot", "slotToElicit": "Count"},
                    "intent": event["sessionState"]["intent"],
                },
                "messages": [{"contentType": "PlainText", "content": "A number like 3, please."}],
            }
        return delegate(event)

    conversation = Conversation(bot(ORDER), hook=hook)
    conversation.say("I want pizza")

    custom = conversation.say("a lot")
    plain = conversation.say("many")

    assert texts(custom) == ["A number like 3, please."]
    assert conversation.events[1]["proposedNextState"]["prompt"] == {"attempt": "Retry1"}
    assert texts(plain) == ["How many pizzas?"]
    assert [event["inputTranscript"] for event in conversation.events] == ["I want pizza", "a lot", "many"]


CONFIRMED_ORDER = {
    **ORDER,
    "DialogCodeHook": {"Enabled": False},
    "FulfillmentCodeHook": {"Enabled": True},
    "IntentConfirmationSetting": {
        "PromptSpecification": {**say("{Count} pizzas of {Size} inches?"), "MaxRetries": 1},
        "DeclinationResponse": say("Cancelled."),
    },
}


@pytest.mark.parametrize("returned", ["Confirmed", "None", "Denied", "left out"])
def test_the_fulfillment_hooks_close_reports_the_intent_the_hook_returned(returned: str) -> None:
    # "AWS Lambda response format for Lex V2": Lex reports the intent the hook returns. A hook that
    # leaves confirmationState out keeps the user's answer (the guide is silent; our choice).
    def hook(event: dict[str, Any], context: Any) -> dict[str, Any]:
        current = {key: event["sessionState"]["intent"][key] for key in ("name", "slots")}
        if returned != "left out":
            current["confirmationState"] = returned
        return {
            "sessionState": {"dialogAction": {"type": "Close"}, "intent": {**current, "state": "Fulfilled"}},
            "messages": [{"contentType": "PlainText", "content": "Baking."}],
        }

    conversation = Conversation(bot(CONFIRMED_ORDER), hook=hook)
    conversation.say("I want 2 pizzas")
    assert texts(conversation.say("12")) == ["2 pizzas of 12 inches?"]
    done = conversation.say("yes")

    assert conversation.events[0]["sessionState"]["intent"]["confirmationState"] == "Confirmed"
    expected = "Confirmed" if returned == "left out" else returned
    assert done.session_state["intent"]["confirmationState"] == expected
    assert done.interpretations[0]["intent"]["confirmationState"] == expected
    assert (texts(done), state(done)) == (["Baking."], ("Close", None, "OrderPizza", "Fulfilled"))


@pytest.mark.parametrize("with_message", [True, False])
def test_an_elicitation_hooks_elicit_slot_message_replaces_the_slots_own_prompt(with_message: bool) -> None:
    # SlotCaptureSetting.ElicitationCodeHook runs when Lex does not capture a value; a Lambda's
    # ElicitSlot with messages is what Lex says ("AWS Lambda response format for Lex V2": without
    # messages Lex uses the bot's own prompt) - one or the other, never both.

    def hook(event: dict[str, Any], context: Any) -> dict[str, Any]:
        if event.get("invocationLabel") != "count":
            return delegate(event)
        answer: dict[str, Any] = {
            "sessionState": {
                "dialogAction": {"type": "ElicitSlot", "slotToElicit": "Count"},
                "intent": event["sessionState"]["intent"],
            }
        }
        if with_message:
            answer["messages"] = [{"contentType": "PlainText", "content": "Say a number, like 2."}]
        return answer

    conversation = Conversation(bot(ORDER_WITH_COUNT_HOOK), hook=hook)
    conversation.say("I want pizza")
    retry = conversation.say("lots")

    assert conversation.events[-1]["invocationLabel"] == "count"
    assert texts(retry) == (["Say a number, like 2."] if with_message else ["How many pizzas?"])
    assert state(retry) == ("ElicitSlot", "Count", "OrderPizza", "InProgress")


def test_a_hook_that_hands_back_an_ambiguous_time_unchanged_keeps_the_dialog_going() -> None:
    # "AMAZON.Time": "10 o'clock" has a null interpretedValue and both times in resolvedValues.
    alarm = intent(
        "SetAlarm",
        ["set an alarm"],
        [
            slot("At", "For what time?", "AMAZON.Time"),
            slot("Label", "What should it say?", "AMAZON.AlphaNumeric"),
        ],
        DialogCodeHook={"Enabled": True},
    )
    conversation = Conversation(bot(alarm), hook=lambda event, context: delegate(event))
    conversation.say("set an alarm")

    answered = conversation.say("10 o'clock")

    sent = conversation.events[-1]["sessionState"]["intent"]["slots"]["At"]["value"]
    assert sent["interpretedValue"] is None
    assert sorted(sent["resolvedValues"]) == ["10:00", "22:00"]
    assert texts(answered) == ["What should it say?"]
    assert answered.session_state["intent"]["slots"]["At"]["value"]["interpretedValue"] is None
