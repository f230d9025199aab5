"""The code-hook contract checks that go beyond the shape: what Lex (or the emulator) could not carry
out even though the JSON looks right."""

from __future__ import annotations

from typing import Any

import pytest

from lambda_codehook.bot_model import BotModel
from lambda_codehook.contract import ContractError, check_response

BOT = BotModel.from_dict(
    {
        "BotLocales": [
            {
                "LocaleId": "en_US",
                "Intents": [
                    {
                        "Name": "BookRoom",
                        "Slots": [
                            {
                                "Name": "Nights",
                                "ValueElicitationSetting": {
                                    "PromptSpecification": {"MessageGroupsList": [], "MaxRetries": 1}
                                },
                            },
                            {"Name": "Note", "ValueElicitationSetting": {"SlotConstraint": "Optional"}},
                        ],
                        "IntentConfirmationSetting": {"PromptSpecification": {"MaxRetries": 1}},
                    },
                    {"Name": "CheckOut"},
                ],
            }
        ]
    }
)


def answer(
    action: dict[str, Any], intent: str = "BookRoom", messages: list[str] | None = None
) -> dict[str, Any]:
    response: dict[str, Any] = {"sessionState": {"dialogAction": action, "intent": {"name": intent}}}
    if messages:
        response["messages"] = [{"contentType": "PlainText", "content": m} for m in messages]
    return response


def check(response: dict[str, Any], source: str = "DialogCodeHook") -> dict[str, Any]:
    return check_response(response, bot=BOT, locale="en_US", source=source)


def test_elicit_slot_without_a_message_needs_the_slot_to_have_its_own_prompt() -> None:
    assert check(answer({"type": "ElicitSlot", "slotToElicit": "Nights"}))
    assert check(answer({"type": "ElicitSlot", "slotToElicit": "Note"}, messages=["Any note?"]))
    with pytest.raises(ContractError, match="ElicitSlot Note has no message and the slot has no prompt"):
        check(answer({"type": "ElicitSlot", "slotToElicit": "Note"}))


def test_confirm_intent_needs_a_confirmation_setting_on_the_intent() -> None:
    assert check(answer({"type": "ConfirmIntent"}, messages=["Sure?"]))
    with pytest.raises(
        ContractError, match="ConfirmIntent for CheckOut, which has no IntentConfirmationSetting"
    ):
        check(answer({"type": "ConfirmIntent"}, intent="CheckOut", messages=["Sure?"]))


def test_an_intent_of_another_locale_or_none_is_refused() -> None:
    with pytest.raises(ContractError, match="'Dance' is not an intent of locale en_US"):
        check(answer({"type": "Close"}, intent="Dance"))
    with pytest.raises(ContractError, match=r"sessionState\.intent must be a JSON object"):
        check({"sessionState": {"dialogAction": {"type": "Close"}}})


def test_ready_for_fulfillment_only_with_delegate_and_no_delegate_from_fulfillment() -> None:
    ready = answer({"type": "Close"})
    ready["sessionState"]["intent"]["state"] = "ReadyForFulfillment"
    with pytest.raises(ContractError, match="ReadyForFulfillment is only valid with Delegate"):
        check(ready)
    with pytest.raises(ContractError, match="Delegate from a fulfillment hook"):
        check(answer({"type": "Delegate"}), source="FulfillmentCodeHook")


@pytest.mark.parametrize(
    ("attributes", "problem"),
    [({"a": 1}, "sessionAttributes.a must be a string"), ({"k": "v" * 13_000}, "Lex takes at most 12288")],
)
def test_session_attributes_are_strings_within_lex_budget(attributes: dict[str, Any], problem: str) -> None:
    response = answer({"type": "Close"})
    response["sessionState"]["sessionAttributes"] = attributes

    with pytest.raises(ContractError, match=problem):
        check(response)


def test_a_card_within_lex_limits_passes_and_one_beyond_them_is_named() -> None:
    card = {"title": "Rooms", "buttons": [{"text": "Twin", "value": "twin"}]}
    response = answer({"type": "Close"})
    response["messages"] = [{"contentType": "ImageResponseCard", "imageResponseCard": card}]
    assert check(response)

    card["buttons"] = [{"text": "x" * 51, "value": "v"}]
    with pytest.raises(ContractError, match=r"buttons\[0\]\.text must be a non-blank string of at most 50"):
        check(response)
