"""A bot other than HelloWorld: custom and built-in slot types, priorities, optional slots, two aliases."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from lex_emulator import BotDeployment, DeploymentError, LexEmulator
from tests.integration.emulator.emulator_support import lex_client


def message(text: str) -> dict[str, Any]:
    return {"MessageGroupsList": [{"Message": {"PlainTextMessage": {"Value": text}}}]}


def slot(name: str, slot_type: str, prompt: str, *, required: bool = True, **extra: Any) -> dict[str, Any]:
    return {
        "Name": name,
        "SlotTypeName": slot_type,
        "ValueElicitationSetting": {
            "SlotConstraint": "Required" if required else "Optional",
            "PromptSpecification": {**message(prompt), "MaxRetries": 1},
            **extra,
        },
    }


COFFEE_BOT = {
    "IdleSessionTTLInSeconds": 600,
    "BotLocales": [
        {
            "LocaleId": "en_US",
            "NluConfidenceThreshold": 0.4,
            "SlotTypes": [
                {
                    "Name": "CupSize",
                    "SlotTypeValues": [
                        {"SampleValue": {"Value": "small"}, "Synonyms": [{"Value": "tall"}]},
                        {
                            "SampleValue": {"Value": "large"},
                            "Synonyms": [{"Value": "venti"}, {"Value": "big"}],
                        },
                    ],
                    "ValueSelectionSetting": {"ResolutionStrategy": "TOP_RESOLUTION"},
                }
            ],
            "Intents": [
                {
                    "Name": "OrderCoffee",
                    "SampleUtterances": [
                        {"Utterance": "I want coffee"},
                        {"Utterance": "order a coffee"},
                        {"Utterance": "I want {Count} {Size} coffees"},
                    ],
                    "Slots": [
                        slot(
                            "Size",
                            "CupSize",
                            "Small or large?",
                            SampleUtterances=[{"Utterance": "make it {Size}"}],
                        ),
                        slot("Count", "AMAZON.Number", "How many cups?"),
                        slot("Voucher", "AMAZON.AlphaNumeric", "Voucher?", required=False),
                    ],
                    "SlotPriorities": [
                        {"Priority": 2, "SlotName": "Size"},
                        {"Priority": 1, "SlotName": "Count"},
                        {"Priority": 3, "SlotName": "Voucher"},
                    ],
                    "IntentConfirmationSetting": {
                        "PromptSpecification": {**message("{Count} {Size} coffees?"), "MaxRetries": 1},
                        "ConfirmationResponse": message("Great."),
                        "DeclinationResponse": message("Cancelled."),
                    },
                    "FulfillmentCodeHook": {
                        "Enabled": False,
                        "PostFulfillmentStatusSpecification": {
                            "SuccessResponse": {
                                "MessageGroupsList": [
                                    {
                                        "Message": {"PlainTextMessage": {"Value": "Brewing {Count}."}},
                                        "Variations": [{"PlainTextMessage": {"Value": "On it: {Count}."}}],
                                    }
                                ]
                            }
                        },
                    },
                    "IntentClosingSetting": {"ClosingResponse": message("Bye."), "IsActive": False},
                },
                {"Name": "FallbackIntent", "ParentIntentSignature": "AMAZON.FallbackIntent"},
            ],
        }
    ],
}


@pytest.fixture
def coffee(tmp_path: Path) -> Iterator[Callable[..., dict[str, Any]]]:
    path = tmp_path / "coffee.json"
    path.write_text(json.dumps(COFFEE_BOT), encoding="utf-8")
    emulator = LexEmulator(rng=random.Random(3))
    for alias in ("TSTALIASID", "PRODALIAS1"):
        emulator.add_bot(
            BotDeployment(
                bot_id="COFFEEBOT1",
                alias_id=alias,
                alias_name=alias.lower(),
                bot_name="Coffee",
                definition_path=path,
            )
        )
    running = emulator.serve()
    client = lex_client(running.url)

    def say(text: str, alias: str = "TSTALIASID") -> dict[str, Any]:
        return client.recognize_text(  # type: ignore[no-any-return]
            botId="COFFEEBOT1", botAliasId=alias, localeId="en_US", sessionId="cup", text=text
        )

    yield say
    running.shutdown()


def texts(response: dict[str, Any]) -> list[str]:
    return [m["content"] for m in response.get("messages", [])]


def test_required_slots_are_elicited_in_priority_order_and_optional_ones_are_not(coffee: Any) -> None:
    assert texts(coffee("order a coffee")) == ["How many cups?"]
    assert texts(coffee("three please")) == ["Small or large?"]
    confirm = coffee("make it venti")

    assert texts(confirm) == ["3 large coffees?"]
    slots = confirm["sessionState"]["intent"]["slots"]
    assert slots["Size"]["value"] == {
        "originalValue": "venti",
        "interpretedValue": "large",
        "resolvedValues": ["large"],
    }
    assert slots["Voucher"] is None
    done = coffee("yes")
    assert texts(done)[0] == "Great."
    assert texts(done)[1] in ("Brewing 3.", "On it: 3.")
    assert len(texts(done)) == 2  # the closing response is not active


def test_two_slots_come_from_one_utterance(coffee: Any) -> None:
    response = coffee("I want 2 big coffees")

    assert texts(response) == ["2 large coffees?"]
    assert texts(coffee("no")) == ["Cancelled."]


def test_a_value_not_in_the_slot_type_is_prompted_again_then_the_fallback_closes(coffee: Any) -> None:
    coffee("I want coffee")
    coffee("1")

    again = coffee("medium")
    gave_up = coffee("extra medium")

    assert texts(again) == ["Small or large?"]
    assert gave_up["sessionState"]["intent"]["name"] == "FallbackIntent"
    assert gave_up["sessionState"]["dialogAction"] == {"type": "Close"}
    assert "messages" not in gave_up  # a fallback intent with no responses says nothing


def test_aliases_of_one_bot_keep_separate_sessions(coffee: Any) -> None:
    coffee("order a coffee", alias="TSTALIASID")

    other = coffee("order a coffee", alias="PRODALIAS1")

    assert texts(other) == ["How many cups?"]
    assert texts(coffee("2", alias="TSTALIASID")) == ["Small or large?"]


def test_the_same_alias_cannot_be_added_twice(tmp_path: Path) -> None:
    path = tmp_path / "coffee.json"
    path.write_text(json.dumps(COFFEE_BOT), encoding="utf-8")
    emulator = LexEmulator()
    deployment = BotDeployment(
        bot_id="COFFEEBOT1", alias_id="TSTALIASID", alias_name="test", bot_name="Coffee", definition_path=path
    )
    emulator.add_bot(deployment)

    with pytest.raises(DeploymentError, match="already deployed"):
        emulator.add_bot(deployment)
    with pytest.raises(DeploymentError, match="10 letters or digits"):
        emulator.add_bot(BotDeployment("SHORT", "A", "a", "b", path))
