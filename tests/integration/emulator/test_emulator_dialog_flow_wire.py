"""The newer Lex V2 conversation flow through unmodified boto3: a dialog code hook that validates a
slot, conditional branching on its value, and an output context (Lex V2 guide: "Invoking Lambda
functions during a conversation", "Add conditions to branch conversations", "Setting intent context")."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lex_emulator import BotDeployment, LexEmulator
from tests.integration.emulator.emulator_support import lex_client


def say(text: str) -> dict[str, Any]:
    return {"MessageGroupsList": [{"Message": {"PlainTextMessage": {"Value": text}}}]}


LONG_WITHOUT_MEMBERSHIP = "{Hours} >= 24 AND NOT EXISTS([member])"
RENTAL_BOT: dict[str, Any] = {
    "IdleSessionTTLInSeconds": 300,
    "BotLocales": [
        {
            "LocaleId": "en_US",
            "NluConfidenceThreshold": "0.40",
            "Intents": [
                {
                    "Name": "RentBike",
                    "SampleUtterances": [
                        {"Utterance": "rent a bike"},
                        {"Utterance": "rent a bike for {Hours} hours"},
                    ],
                    "DialogCodeHook": {"Enabled": "true"},
                    "Slots": [
                        {
                            "Name": "Hours",
                            "SlotTypeName": "AMAZON.Number",
                            "ValueElicitationSetting": {
                                "SlotConstraint": "Required",
                                "PromptSpecification": {**say("For how many hours?"), "MaxRetries": "2"},
                                "SlotCaptureSetting": {
                                    "CaptureConditional": {
                                        "IsActive": True,
                                        "ConditionalBranches": [
                                            {
                                                "Name": "Long",
                                                "Condition": {"ExpressionString": LONG_WITHOUT_MEMBERSHIP},
                                                "Response": say(
                                                    "Rentals of a day or more need a membership."
                                                ),
                                                "NextStep": {"DialogAction": {"Type": "EndConversation"}},
                                            }
                                        ],
                                        "DefaultBranch": {
                                            "NextStep": {"DialogAction": {"Type": "InvokeDialogCodeHook"}}
                                        },
                                    },
                                    "CodeHook": {
                                        "EnableCodeHookInvocation": True,
                                        "IsActive": True,
                                        "InvocationLabel": "hours",
                                        "PostCodeHookSpecification": {"SuccessResponse": say("Noted.")},
                                    },
                                },
                            },
                        }
                    ],
                    "SlotPriorities": [{"Priority": 1, "SlotName": "Hours"}],
                    "OutputContexts": [{"Name": "rented", "TimeToLiveInSeconds": 300, "TurnsToLive": 3}],
                    "FulfillmentCodeHook": {
                        "Enabled": False,
                        "PostFulfillmentStatusSpecification": {
                            "SuccessResponse": say("Bike booked for {Hours} hours.")
                        },
                    },
                },
                {"Name": "FallbackIntent", "ParentIntentSignature": "AMAZON.FallbackIntent"},
            ],
        }
    ],
}

EVENTS: list[dict[str, Any]] = []


def rental_hook(event: dict[str, Any], context: Any) -> dict[str, Any]:
    EVENTS.append(event)
    return {"sessionState": {"dialogAction": {"type": "Delegate"}, "intent": event["sessionState"]["intent"]}}


@pytest.fixture
def rental(tmp_path: Path) -> Iterator[Any]:
    EVENTS.clear()
    path = tmp_path / "rental.json"
    path.write_text(json.dumps(RENTAL_BOT), encoding="utf-8")
    emulator = LexEmulator()
    emulator.add_bot(
        BotDeployment(
            bot_id="RENTALBOT1",
            alias_id="LIVE",
            alias_name="live",
            bot_name="Rental",
            definition_path=path,
            code_hook=rental_hook,
        )
    )
    running = emulator.serve()
    client = lex_client(running.url)

    def turn(text: str, session: str = "rider-1", **extra: Any) -> dict[str, Any]:
        return client.recognize_text(  # type: ignore[no-any-return]
            botId="RENTALBOT1", botAliasId="LIVE", localeId="en_US", sessionId=session, text=text, **extra
        )

    yield turn
    running.shutdown()


def contents(response: dict[str, Any]) -> list[str]:
    return [message["content"] for message in response.get("messages", [])]


def test_a_short_rental_runs_the_capture_hook_then_books_and_sets_the_context(rental: Any) -> None:
    asked = rental("rent a bike")
    assert contents(asked) == ["For how many hours?"]
    assert EVENTS[0]["invocationSource"] == "DialogCodeHook"

    booked = rental("3")

    assert EVENTS[-1]["invocationLabel"] == "hours"
    assert EVENTS[-1]["sessionState"]["intent"]["slots"]["Hours"]["value"]["interpretedValue"] == "3"
    assert contents(booked) == ["Noted.", "Bike booked for 3 hours."]
    assert booked["sessionState"]["intent"]["state"] == "ReadyForFulfillment"
    assert booked["sessionState"]["activeContexts"][0]["name"] == "rented"
    assert booked["sessionState"]["activeContexts"][0]["contextAttributes"] == {"Hours": "3"}


def test_a_long_rental_takes_the_branch_unless_the_session_says_member(rental: Any) -> None:
    rental("rent a bike")
    refused = rental("30")
    assert contents(refused) == ["Rentals of a day or more need a membership."]
    assert refused["sessionState"]["dialogAction"]["type"] == "Close"

    member = rental(
        "rent a bike for 30 hours", session="rider-2", sessionState={"sessionAttributes": {"member": "yes"}}
    )
    assert contents(member) == ["Bike booked for 30 hours."]
