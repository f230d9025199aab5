"""A Lex V2 console export (.zip) becomes the AWS::Lex::Bot Properties it describes, then loads as such."""

from __future__ import annotations

import copy
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from lex_emulator.cfn_schema import validate_bot_definition
from lex_emulator.console_export import convert_console_export, read_console_export
from lex_emulator.definition_loader import load_bot_definition, parse_bot_definition
from lex_emulator.errors import BotDefinitionError
from tests.bots import HELLO_WORLD
from tests.lex_export import canonical, export_files, export_zip, write_zip

REPO = Path(__file__).resolve().parents[3]
BOT_JSON: dict[str, Any] = json.loads(HELLO_WORLD.read_text(encoding="utf-8"))


def text(value: str) -> dict[str, Any]:
    return {"Message": {"PlainTextMessage": {"Value": value}}}


def response(*values: str) -> dict[str, Any]:
    return {"MessageGroupsList": [text(v) for v in values], "AllowInterrupt": True}


# A bot of our own with what an export can carry: custom slot types (synonyms, a regex filter),
# prompts with variations and per-attempt settings, a card, confirmation, a conditional closing whose
# branches set slots and session attributes, and code hooks.
LIBRARY: dict[str, Any] = {
    "Description": "Renews library loans",
    "IdleSessionTTLInSeconds": 420,
    "BotLocales": [
        {
            "LocaleId": "en_GB",
            "Description": "British English",
            "NluConfidenceThreshold": 0.5,
            "VoiceSettings": {"VoiceId": "Amy", "Engine": "neural"},
            "SlotTypes": [
                {
                    "Name": "Branch",
                    "Description": "Library branches",
                    "SlotTypeValues": [
                        {
                            "SampleValue": {"Value": "central"},
                            "Synonyms": [{"Value": "main"}, {"Value": "town"}],
                        },
                        {"SampleValue": {"Value": "riverside"}},
                    ],
                    "ValueSelectionSetting": {"ResolutionStrategy": "TOP_RESOLUTION"},
                },
                {
                    "Name": "CardNumber",
                    "ParentSlotTypeSignature": "AMAZON.AlphaNumeric",
                    "ValueSelectionSetting": {
                        "ResolutionStrategy": "ORIGINAL_VALUE",
                        "RegexFilter": {"Pattern": "[A-Z]{3}[0-9]{5}"},
                    },
                },
            ],
            "Intents": [
                {
                    "Name": "RenewLoan",
                    "SampleUtterances": [
                        {"Utterance": "renew my books"},
                        {"Utterance": "renew my loans at {Branch}"},
                    ],
                    "Slots": [
                        {
                            "Name": "Card",
                            "SlotTypeName": "CardNumber",
                            "ValueElicitationSetting": {
                                "SlotConstraint": "Required",
                                "PromptSpecification": {
                                    "MessageGroupsList": [
                                        {
                                            "Message": {"PlainTextMessage": {"Value": "Your card number?"}},
                                            "Variations": [
                                                {"PlainTextMessage": {"Value": "Which card is it?"}},
                                                {
                                                    "ImageResponseCard": {
                                                        "Title": "Card number",
                                                        "Buttons": [{"Text": "Help", "Value": "help"}],
                                                    }
                                                },
                                            ],
                                        }
                                    ],
                                    "MaxRetries": 3,
                                    "AllowInterrupt": False,
                                    "MessageSelectionStrategy": "Ordered",
                                    "PromptAttemptsSpecification": {
                                        "Initial": {
                                            "AllowInterrupt": True,
                                            "AllowedInputTypes": {
                                                "AllowAudioInput": False,
                                                "AllowDTMFInput": False,
                                            },
                                        }
                                    },
                                },
                            },
                        },
                        {
                            "Name": "Branch",
                            "SlotTypeName": "Branch",
                            "ValueElicitationSetting": {
                                "SlotConstraint": "Optional",
                                "SampleUtterances": [{"Utterance": "at {Branch}"}],
                            },
                        },
                    ],
                    "SlotPriorities": [
                        {"Priority": 2, "SlotName": "Branch"},
                        {"Priority": 1, "SlotName": "Card"},
                    ],
                    "IntentConfirmationSetting": {
                        "PromptSpecification": {
                            "MessageGroupsList": [text("Renew everything on card {Card}?")],
                            "MaxRetries": 2,
                        },
                        "DeclinationResponse": response("Nothing renewed."),
                        "IsActive": True,
                    },
                    "FulfillmentCodeHook": {
                        "Enabled": True,
                        "IsActive": True,
                        "PostFulfillmentStatusSpecification": {
                            "FailureResponse": response("Renewal failed.")
                        },
                    },
                    "IntentClosingSetting": {
                        "ClosingResponse": response("Done."),
                        "IsActive": True,
                        "Conditional": {
                            "IsActive": True,
                            "ConditionalBranches": [
                                {
                                    "Name": "AtRiverside",
                                    "Condition": {"ExpressionString": '{Branch} = "riverside"'},
                                    "NextStep": {
                                        "DialogAction": {"Type": "ElicitSlot", "SlotToElicit": "Card"},
                                        "Intent": {
                                            "Name": "RenewLoan",
                                            "Slots": [
                                                {
                                                    "SlotName": "Branch",
                                                    "SlotValueOverride": {
                                                        "Shape": "Scalar",
                                                        "Value": {"InterpretedValue": "central"},
                                                    },
                                                }
                                            ],
                                        },
                                        "SessionAttributes": [{"Key": "moved", "Value": "yes"}],
                                    },
                                    "Response": response("Riverside is closed; using central."),
                                }
                            ],
                            "DefaultBranch": {"NextStep": {"DialogAction": {"Type": "EndConversation"}}},
                        },
                    },
                },
                {
                    "Name": "FallbackIntent",
                    "ParentIntentSignature": "AMAZON.FallbackIntent",
                    "FulfillmentCodeHook": {"Enabled": True},
                },
            ],
        }
    ],
}


def test_the_project_bot_survives_a_round_trip_through_a_console_export(tmp_path: Path) -> None:
    path = export_zip(
        copy.deepcopy(BOT_JSON), tmp_path / "HelloWorldBot_DRAFT_ABC_LexJson.zip", "HelloWorldBot"
    )

    assert read_console_export(path) == canonical(BOT_JSON)
    assert load_bot_definition(path) == parse_bot_definition(canonical(BOT_JSON))


def test_slots_slot_types_prompts_and_conditional_flows_convert_to_cloudformation(tmp_path: Path) -> None:
    files = export_files(copy.deepcopy(LIBRARY), "LibraryBot")
    intent_file = files["LibraryBot/BotLocales/en_GB/Intents/RenewLoan/Intent.json"]
    assert intent_file["intentClosingSetting"]["active"] is True  # the export speaks the models API
    assert "slotId" in intent_file["slotPriorities"][0]
    branch_type = files["LibraryBot/BotLocales/en_GB/SlotTypes/Branch/SlotType.json"]
    assert branch_type["valueSelectionSetting"]["resolutionStrategy"] == "TopResolution"

    properties = read_console_export(write_zip(files, tmp_path / "library.zip"))

    assert properties == canonical(LIBRARY)
    assert validate_bot_definition(properties) == canonical(LIBRARY)


def test_the_emulator_refuses_by_name_a_valid_feature_of_the_export_it_does_not_run(tmp_path: Path) -> None:
    files = export_files(copy.deepcopy(BOT_JSON))
    intent = files["TestBot/BotLocales/en_US/Intents/HelloWorld/Intent.json"]
    intent["kendraConfiguration"] = {
        "kendraIndex": "arn:aws:kendra:eu-west-1:123456789012:index/library-faq",
        "queryFilterStringEnabled": False,
        "queryFilterString": None,
    }
    path = write_zip(files, tmp_path / "with-kendra.zip")
    properties = read_console_export(path)
    assert properties["BotLocales"][0]["Intents"][1]["KendraConfiguration"] == {
        "KendraIndex": "arn:aws:kendra:eu-west-1:123456789012:index/library-faq",
        "QueryFilterStringEnabled": False,
    }
    validate_bot_definition(properties)  # valid for CloudFormation

    with pytest.raises(BotDefinitionError) as raised:
        load_bot_definition(path)

    assert raised.value.path == "BotLocales[0].Intents[1].KendraConfiguration"
    assert "emulator" in raised.value.problem


def test_an_export_in_the_guides_older_spelling_converts_too() -> None:
    # The developer guide's examples: messageGroupList, a flat valueSelectionStrategy, slotConstraint
    # beside slotValueElicitationSetting, slot priorities by name; a manifest's "metaData" with "BOT" and
    # the misspelt allowMutlipleValues, as other exports have them.
    files = {
        "Manifest.json": {"metaData": {"schemaVersion": "1", "fileFormat": "LexJson", "resourceType": "BOT"}},
        "Kiosk/Bot.json": {
            "name": "Kiosk",
            "dataPrivacy": {"childDirected": False},
            "idleSessionTTLInSeconds": 300,
            "botType": "Bot",
            "errorLogSettings": {"enabled": False},
            "botMembers": None,
        },
        "Kiosk/BotLocales/en_US/BotLocale.json": {"name": "English (US)", "nluConfidenceThreshold": 0.4},
        "Kiosk/BotLocales/en_US/SlotTypes/Size/SlotType.json": {
            "name": "Size",
            "identifier": "SIZE000001",
            "slotTypeValues": [{"sampleValue": {"value": "small"}, "synonyms": None}],
            "parentSlotTypeSignature": None,
            "valueSelectionStrategy": "ORIGINAL_VALUE",
        },
        "Kiosk/BotLocales/en_US/Intents/Order/Intent.json": {
            "name": "Order",
            "parentIntentSignature": None,
            "sampleUtterances": [{"utterance": "a {Size} one"}],
            "slotPriorities": [{"slotName": "Size", "priority": 1}],
        },
        "Kiosk/BotLocales/en_US/Intents/Order/Slots/Size/Slot.json": {
            "name": "Size",
            "slotTypeId": "SIZE000001",
            "multipleValuesSetting": {"allowMutlipleValues": False},
            "slotConstraint": "Required",
            "slotValueElicitationSetting": {
                "promptSpecification": {
                    "messageGroupList": [{"message": {"plainTextMessage": {"value": "Which size?"}}}],
                    "maxRetries": 2,
                },
                "sampleValueElicitingUtterances": None,
                "slotResolutionSetting": {"slotResolutionStrategy": "Default"},
            },
        },
    }

    properties = convert_console_export(files)

    (locale,) = properties["BotLocales"]
    assert locale["LocaleId"] == "en_US"  # from the folder when BotLocale.json has no identifier
    assert locale["SlotTypes"] == [
        {
            "Name": "Size",
            "SlotTypeValues": [{"SampleValue": {"Value": "small"}}],
            "ValueSelectionSetting": {"ResolutionStrategy": "ORIGINAL_VALUE"},
        }
    ]
    (intent,) = locale["Intents"]
    assert intent["SlotPriorities"] == [{"Priority": 1, "SlotName": "Size"}]
    assert intent["Slots"] == [
        {
            "Name": "Size",
            "SlotTypeName": "Size",
            "MultipleValuesSetting": {"AllowMultipleValues": False},
            "ValueElicitationSetting": {
                "SlotConstraint": "Required",
                "PromptSpecification": {"MessageGroupsList": [text("Which size?")], "MaxRetries": 2},
            },
        }
    ]
    assert set(properties) == {"IdleSessionTTLInSeconds", "BotLocales"}  # no defaults, nothing the stack sets
    validate_bot_definition(properties)


def test_a_field_with_no_cloudformation_counterpart_is_refused_by_the_schema_naming_it() -> None:
    files = export_files(copy.deepcopy(BOT_JSON))
    files["TestBot/BotLocales/en_US/Intents/HelloWorld/Intent.json"]["sparkles"] = {"level": 3}

    with pytest.raises(BotDefinitionError) as raised:
        validate_bot_definition(convert_console_export(files))

    assert raised.value.path == "BotLocales[0].Intents[1].Sparkles"  # en_US, then ko_KR
    assert "is not a property CloudFormation's AWS::Lex::Bot allows here" in raised.value.problem


def test_an_invalid_export_names_the_field_and_the_file_it_came_from(tmp_path: Path) -> None:
    files = export_files(copy.deepcopy(BOT_JSON), "HelloWorldBot")
    slot = files["HelloWorldBot/BotLocales/ko_KR/Intents/HelloWorld/Slots/Name/Slot.json"]
    slot["valueElicitationSetting"]["promptSpecification"]["maxRetries"] = 9
    files["HelloWorldBot/Bot.json"]["idleSessionTTLInSeconds"] = "a while"

    with pytest.raises(BotDefinitionError) as raised:
        load_bot_definition(write_zip(files, tmp_path / "hello.zip"))
    assert raised.value.path == "IdleSessionTTLInSeconds"
    assert raised.value.problem.endswith("(from HelloWorldBot/Bot.json in hello.zip)")

    files["HelloWorldBot/Bot.json"]["idleSessionTTLInSeconds"] = 300
    with pytest.raises(BotDefinitionError) as raised:
        load_bot_definition(write_zip(files, tmp_path / "hello.zip"))
    assert raised.value.path == (
        "BotLocales[1].Intents[1].Slots[0].ValueElicitationSetting.PromptSpecification.MaxRetries"
    )
    assert "between 0 and 5, got 9" in raised.value.problem
    assert raised.value.problem.endswith(
        "(from HelloWorldBot/BotLocales/ko_KR/Intents/HelloWorld/Slots/Name/Slot.json in hello.zip)"
    )


def _zip(tmp_path: Path, files: dict[str, Any]) -> Path:
    return write_zip(files, tmp_path / "export.zip")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda f: [f.pop(k) for k in list(f) if k != "manifest.json"],
            "no <BotName>/Bot.json found: not a Lex V2 console export of a bot",
        ),
        (lambda f: f.pop("TestBot/Bot.json"), "this is a bot locale export (no <BotName>/Bot.json)"),
        (
            lambda f: f["manifest.json"]["metadata"].update(resourceType="CustomVocabulary"),
            "describes a CustomVocabulary export",
        ),
        (
            lambda f: f.update({"TestBot/Bot.json": ["not", "an", "object"]}),
            "TestBot/Bot.json must hold a JSON object",
        ),
        (
            lambda f: f["TestBot/BotLocales/ko_KR/Intents/HelloWorld/Intent.json"]["slotPriorities"][
                0
            ].update(slotId="NOSUCHSLOT"),
            "slotPriorities names slot id NOSUCHSLOT",
        ),
    ],
)
def test_an_export_that_is_not_a_whole_bot_says_what_is_wrong(
    tmp_path: Path, edit: Any, message: str
) -> None:
    files = export_files(copy.deepcopy(BOT_JSON))
    edit(files)

    with pytest.raises(BotDefinitionError) as raised:
        read_console_export(_zip(tmp_path, files))

    assert message in str(raised.value)


def test_a_file_that_is_not_a_zip_or_holds_broken_json_is_a_clear_error(tmp_path: Path) -> None:
    not_zip = tmp_path / "bot.zip"
    not_zip.write_text("{}", encoding="utf-8")
    with pytest.raises(BotDefinitionError, match="is not a zip file"):
        load_bot_definition(not_zip)

    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("TestBot/Bot.json", '{"name": ')
    with pytest.raises(BotDefinitionError, match=r"TestBot/Bot.json is not valid JSON"):
        load_bot_definition(broken)

    with pytest.raises(BotDefinitionError, match="cannot read bot definition"):
        load_bot_definition(tmp_path / "missing.zip")
