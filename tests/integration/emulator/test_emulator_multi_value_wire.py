"""Multi-value slots through unmodified boto3 (Lex V2 guide, "Using multiple values in a slot"): the
emulator's answer, and List-shaped slots a client sends in sessionState (RecognizeText, PutSession);
relative dates against a pinned ``today``."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from lex_emulator import BotDeployment, LexEmulator
from lex_emulator.wire import unpack_header
from tests.integration.emulator.emulator_support import lex_client


def say(text: str) -> dict[str, Any]:
    return {"MessageGroupsList": [{"Message": {"PlainTextMessage": {"Value": text}}}]}


def required(name: str, slot_type: str, prompt: str, **extra: Any) -> dict[str, Any]:
    return {
        "Name": name,
        "SlotTypeName": slot_type,
        "ValueElicitationSetting": {
            "SlotConstraint": "Required",
            "PromptSpecification": {**say(prompt), "MaxRetries": 1},
        },
        **extra,
    }


SANDWICH_BOT: dict[str, Any] = {
    "IdleSessionTTLInSeconds": 300,
    "BotLocales": [
        {
            "LocaleId": "en_US",
            "NluConfidenceThreshold": 0.4,
            "Intents": [
                {
                    "Name": "OrderSandwich",
                    "SampleUtterances": [
                        {"Utterance": "order a sandwich"},
                        {"Utterance": "a sandwich with {Fillings}"},
                    ],
                    "Slots": [
                        required(
                            "Fillings",
                            "Filling",
                            "What goes in it?",
                            MultipleValuesSetting={"AllowMultipleValues": True},
                        ),
                        required("Day", "AMAZON.Date", "For which day?"),
                    ],
                    "SlotPriorities": [
                        {"Priority": 1, "SlotName": "Fillings"},
                        {"Priority": 2, "SlotName": "Day"},
                    ],
                    "FulfillmentCodeHook": {
                        "Enabled": False,
                        "PostFulfillmentStatusSpecification": {
                            "SuccessResponse": say("A sandwich with {Fillings} on {Day}.")
                        },
                    },
                },
                {"Name": "FallbackIntent", "ParentIntentSignature": "AMAZON.FallbackIntent"},
            ],
            "SlotTypes": [
                {
                    "Name": "Filling",
                    "SlotTypeValues": [
                        {"SampleValue": {"Value": "cheese"}},
                        {"SampleValue": {"Value": "tomato"}, "Synonyms": [{"Value": "tomatoes"}]},
                        {"SampleValue": {"Value": "lettuce"}},
                    ],
                    "ValueSelectionSetting": {"ResolutionStrategy": "TOP_RESOLUTION"},
                }
            ],
        }
    ],
}
PINNED = datetime.date(2026, 3, 12)  # a Thursday


@pytest.fixture
def deli(tmp_path: Path) -> Iterator[Any]:
    path = tmp_path / "sandwich.json"
    path.write_text(json.dumps(SANDWICH_BOT), encoding="utf-8")
    emulator = LexEmulator(today=PINNED)
    emulator.add_bot(
        BotDeployment(
            bot_id="SANDWICH01",
            alias_id="LIVE",
            alias_name="live",
            bot_name="Sandwich",
            definition_path=path,
        )
    )
    running = emulator.serve()
    yield lex_client(running.url)
    running.shutdown()


IDS = {"botId": "SANDWICH01", "botAliasId": "LIVE", "localeId": "en_US"}


def scalar(original: str, interpreted: str) -> dict[str, Any]:
    return {
        "shape": "Scalar",
        "value": {
            "originalValue": original,
            "interpretedValue": interpreted,
            "resolvedValues": [interpreted],
        },
    }


def test_a_sample_utterance_fills_a_list_that_reads_as_the_phrase(deli: Any) -> None:
    asked = deli.recognize_text(**IDS, sessionId="s1", text="a sandwich with cheese, tomatoes and lettuce")

    fillings = asked["sessionState"]["intent"]["slots"]["Fillings"]
    assert fillings["shape"] == "List"
    assert fillings["value"]["interpretedValue"] == "cheese, tomatoes and lettuce"
    assert fillings["values"] == [
        scalar("cheese", "cheese"),
        scalar("tomatoes", "tomato"),
        scalar("lettuce", "lettuce"),
    ]
    done = deli.recognize_text(**IDS, sessionId="s1", text="tomorrow")
    assert [m["content"] for m in done["messages"]] == [
        "A sandwich with cheese, tomatoes and lettuce on 2026-03-13."  # today pinned as a date
    ]


def list_slot(*items: str) -> dict[str, Any]:
    return {
        "shape": "List",
        "value": {"originalValue": " and ".join(items), "interpretedValue": " and ".join(items)},
        "values": [{"shape": "Scalar", "value": {"originalValue": i, "interpretedValue": i}} for i in items],
    }


def test_a_client_may_send_a_list_slot_in_recognize_text_and_put_session(deli: Any) -> None:
    # The runtime's Slot structure has shape Scalar | List | Composite; a List carries its values.
    state = {
        "dialogAction": {"type": "ElicitSlot", "slotToElicit": "Day"},
        "intent": {"name": "OrderSandwich", "slots": {"Fillings": list_slot("cheese", "lettuce")}},
    }

    done = deli.recognize_text(**IDS, sessionId="s2", text="tomorrow", sessionState=state)

    assert [m["content"] for m in done["messages"]] == ["A sandwich with cheese and lettuce on 2026-03-13."]
    sent = done["sessionState"]["intent"]["slots"]["Fillings"]
    assert [item["value"]["interpretedValue"] for item in sent["values"]] == ["cheese", "lettuce"]

    put = deli.put_session(**IDS, sessionId="s3", sessionState=state)
    # PutSession's messages come in a packed header (gzip, base64), as Lex sends them.
    assert [m["content"] for m in unpack_header(put["messages"])] == ["For which day?"]
    shown = deli.get_session(**IDS, sessionId="s3")
    assert shown["sessionState"]["intent"]["slots"]["Fillings"]["shape"] == "List"
    assert len(shown["sessionState"]["intent"]["slots"]["Fillings"]["values"]) == 2


@pytest.mark.parametrize(
    ("slot", "field"),
    [
        ({"shape": "List", "values": []}, "Fillings.values"),
        ({"shape": "List", "values": [{"shape": "List", "values": []}]}, "Fillings.values.1.member"),
        ({"shape": "Composite", "subSlots": {}}, "Fillings.shape"),
        ({"shape": "Round", "value": {"interpretedValue": "x"}}, "Fillings.shape"),
    ],
)
def test_a_malformed_list_slot_is_a_validation_exception_naming_the_field(
    deli: Any, slot: dict[str, Any], field: str
) -> None:
    state = {"intent": {"name": "OrderSandwich", "slots": {"Fillings": slot}}}

    with pytest.raises(ClientError) as raised:
        deli.recognize_text(**IDS, sessionId="s4", text="hello", sessionState=state)

    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert field in raised.value.response["Error"]["Message"]
