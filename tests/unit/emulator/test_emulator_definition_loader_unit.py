"""Loading HelloWorld (the frozen copy in tests/bots): what the emulator implements, what it accepts as
harmless, and clear refusals."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from lex_emulator.definition_loader import load_bot_definition, parse_bot_definition
from lex_emulator.errors import BotDefinitionError
from tests.bots import HELLO_WORLD
from tests.unit.emulator.refused_values import KENDRA, QNA, S3_BOT_FILE, WAIT_AND_CONTINUE_ON

BOT_JSON = HELLO_WORLD
BASE: dict[str, Any] = json.loads(BOT_JSON.read_text(encoding="utf-8"))

Mutation = Callable[[dict[str, Any]], None]


def changed(mutate: Mutation) -> dict[str, Any]:
    definition = copy.deepcopy(BASE)
    mutate(definition)
    return definition


def hello(definition: dict[str, Any], locale: int = 0) -> dict[str, Any]:
    return definition["BotLocales"][locale]["Intents"][0]  # type: ignore[no-any-return]


def name_slot(definition: dict[str, Any]) -> dict[str, Any]:
    return hello(definition)["Slots"][0]  # type: ignore[no-any-return]


def test_the_project_bot_loads_with_both_locales() -> None:
    bot = load_bot_definition(BOT_JSON)

    assert bot.idle_session_ttl_seconds == 300
    assert sorted(bot.locales) == ["en_US", "ko_KR"]
    korean = bot.locales["ko_KR"]
    assert korean.threshold == 0.4
    assert korean.fallback.name == "FallbackIntent"
    greeting = korean.intent("HelloWorld")
    assert greeting is not None
    assert "제 이름은 {Name}입니다" in greeting.sample_utterances
    (slot,) = greeting.slots
    assert (slot.name, slot.slot_type, slot.required) == ("Name", "AMAZON.FirstName", True)
    assert slot.prompt is not None
    assert slot.prompt.max_retries == 2
    assert greeting.confirmation is not None
    assert greeting.confirmation.declination_response is not None
    assert greeting.fulfillment is not None
    assert not greeting.fulfillment.runs_code_hook
    assert greeting.fulfillment.success_response is not None
    assert greeting.closing is not None
    assert greeting.closing.active
    fallback = korean.fallback.fulfillment
    assert fallback is not None
    assert fallback.runs_code_hook
    assert fallback.failure_response is not None
    assert fallback.timeout_response is not None


H = ("BotLocales", 0, "Intents", 0)
SLOT = (*H, "Slots", 0)
PROMPT = (*SLOT, "ValueElicitationSetting", "PromptSpecification")
CONFIRMATION_MESSAGE = (
    *H,
    "IntentConfirmationSetting",
    "PromptSpecification",
    "MessageGroupsList",
    0,
    "Message",
)
CLOSING = (*H, "IntentClosingSetting", "ClosingResponse")
CONCATENATED = {
    "Name": "Size",
    "SlotTypeValues": [{"SampleValue": {"Value": "s"}}],
    "ValueSelectionSetting": {"ResolutionStrategy": "Concatenation"},
}


def field_path(keys: tuple[Any, ...]) -> str:
    path = ""
    for key in keys:
        path += f"[{key}]" if isinstance(key, int) else (f".{key}" if path else key)
    return path


# (where to set, the value, the extra path inside the value that the error names)
SET_CASES: list[tuple[tuple[Any, ...], Any, str]] = [
    (("BotFileS3Location",), S3_BOT_FILE, ""),
    (("Foo",), 1, ""),
    (("BotLocales", 0, "GenerativeAISettings"), {}, ""),
    ((*H, "KendraConfiguration"), KENDRA, ""),
    ((*H, "QnAIntentConfiguration"), QNA, ""),
    ((*SLOT, "SubSlotSetting"), {}, ""),
    (
        (*SLOT, "ValueElicitationSetting", "WaitAndContinueSpecification"),
        WAIT_AND_CONTINUE_ON,
        ".IsActive",
    ),
    (
        (*H, "InitialResponseSetting"),
        {"NextStep": {"DialogAction": {"Type": "Jump"}}},
        ".NextStep.DialogAction.Type",
    ),
    (
        (*H, "InitialResponseSetting"),
        {"NextStep": {"DialogAction": {"Type": "ElicitSlot", "SlotToElicit": "Age"}}},
        ".NextStep.DialogAction.SlotToElicit",
    ),
    (
        (*H, "InitialResponseSetting"),
        {"NextStep": {"DialogAction": {"Type": "StartIntent"}, "Intent": {"Name": "Nope"}}},
        ".NextStep.Intent.Name",
    ),
    (
        (*H, "InitialResponseSetting"),
        {
            "Conditional": {
                "IsActive": True,
                "ConditionalBranches": [
                    {"Name": "b", "Condition": {"ExpressionString": "{Name} LIKE 'x'"}, "NextStep": {}}
                ],
                "DefaultBranch": {},
            }
        },
        ".Conditional.ConditionalBranches[0].Condition.ExpressionString",
    ),
    (
        (*H, "OutputContexts"),
        [{"Name": "c", "TimeToLiveInSeconds": 1, "TurnsToLive": 1}],
        "[0].TimeToLiveInSeconds",
    ),
    ((*PROMPT, "MaxRetries"), "two", ""),
    ((*PROMPT, "MaxRetries"), "2.5", ""),
    ((*H, "IntentClosingSetting", "IsActive"), "yes", ""),
    ((*SLOT, "MultipleValuesSetting"), {"AllowMultipleValues": True}, ".AllowMultipleValues"),
    ((*SLOT, "SlotTypeName"), "AMAZON.Airport", ""),
    ((*H, "FulfillmentCodeHook", "FulfillmentUpdatesSpecification"), {"Active": True}, ".Active"),
    (("BotLocales", 0, "Intents", 1, "ParentIntentSignature"), "AMAZON.HelpIntent", ""),
    (CONFIRMATION_MESSAGE, {"PlainTextMessage": {"Value": "Are you {Age}?"}}, ".PlainTextMessage.Value"),
    ((*H, "SampleUtterances", 0), {"Utterance": "I am {Age}"}, ".Utterance"),
    (("IdleSessionTTLInSeconds",), 10, ""),
    (("BotLocales", 0, "NluConfidenceThreshold"), 2, ""),
    (("BotLocales", 0, "SlotTypes"), [CONCATENATED], "[0].ValueSelectionSetting.ResolutionStrategy"),
    (
        ("BotLocales", 0, "SlotTypes"),
        [{"Name": "Ext", "ExternalSourceSetting": {}}],
        "[0].ExternalSourceSetting",
    ),
    ((*CLOSING, "MessageGroupsList"), [], ""),
    (
        (*CLOSING, "MessageGroupsList", 0, "Message"),
        {"PlainTextMessage": {"Value": "a"}, "SSMLMessage": {"Value": "b"}},
        "",
    ),
]


@pytest.mark.parametrize(
    ("keys", "value", "inner"), SET_CASES, ids=[field_path(c[0]) + c[2] for c in SET_CASES]
)
def test_what_the_emulator_does_not_implement_is_refused_naming_the_field(
    keys: tuple[Any, ...], value: Any, inner: str
) -> None:
    def mutate(definition: dict[str, Any]) -> None:
        target = definition
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value

    with pytest.raises(BotDefinitionError) as raised:
        parse_bot_definition(changed(mutate))

    assert raised.value.path == field_path(keys) + inner
    assert str(raised.value).startswith(raised.value.path + ": ")


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda d: hello(d).pop("SlotPriorities"), "BotLocales[0].Intents[0].SlotPriorities"),
        (lambda d: d["BotLocales"][0]["Intents"].pop(1), "BotLocales[0].Intents"),
        (lambda d: d["BotLocales"].append(copy.deepcopy(d["BotLocales"][0])), "BotLocales[2].LocaleId"),
    ],
)
def test_structural_problems_name_the_field(mutate: Mutation, path: str) -> None:
    with pytest.raises(BotDefinitionError) as raised:
        parse_bot_definition(changed(mutate))

    assert raised.value.path == path


def test_an_unsupported_field_lists_what_is_supported_there() -> None:
    with pytest.raises(BotDefinitionError, match=r"supported here: .*SampleUtterances"):
        parse_bot_definition(changed(lambda d: hello(d).update(KendraConfiguration=KENDRA)))


def test_fields_harmless_to_a_text_runtime_are_accepted_explicitly() -> None:
    def mutate(definition: dict[str, Any]) -> None:
        definition.update(
            Name="HelloWorldBot",
            RoleArn="arn:aws:iam::123456789012:role/lex-runtime",
            DataPrivacy={"ChildDirected": False},
        )
        definition["AutoBuildBotLocales"] = True
        definition["BotLocales"][0]["VoiceSettings"] = {"VoiceId": "Seoyeon"}
        hello(definition)["DisplayName"] = "Hello"
        hello(definition)["DialogCodeHook"] = {"Enabled": False}
        name_slot(definition)["ObfuscationSetting"] = {"ObfuscationSettingType": "None"}
        name_slot(definition)["MultipleValuesSetting"] = {"AllowMultipleValues": False}
        hello(definition)["FulfillmentCodeHook"]["FulfillmentUpdatesSpecification"] = {"Active": False}

    bot = parse_bot_definition(changed(mutate))

    assert bot.locales["ko_KR"].intent("HelloWorld") is not None


def test_custom_slot_types_with_synonyms_and_strategies_load() -> None:
    def mutate(definition: dict[str, Any]) -> None:
        definition["BotLocales"][0]["SlotTypes"] = [
            {
                "Name": "Size",
                "Description": "drink sizes",
                "SlotTypeValues": [{"SampleValue": {"Value": "large"}, "Synonyms": [{"Value": "big"}]}],
                "ValueSelectionSetting": {"ResolutionStrategy": "TOP_RESOLUTION"},
            },
            {
                "Name": "Booking",
                "ParentSlotTypeSignature": "AMAZON.AlphaNumeric",
                "ValueSelectionSetting": {
                    "ResolutionStrategy": "ORIGINAL_VALUE",
                    "RegexFilter": {"Pattern": "[A-Z]{2}[0-9]{4}"},
                },
            },
        ]
        name_slot(definition)["SlotTypeName"] = "Size"

    locale = parse_bot_definition(changed(mutate)).locales["ko_KR"]

    size = locale.slot_types["Size"]
    assert (size.resolution, size.values[0].value, size.values[0].synonyms) == (
        "TopResolution",
        "large",
        ("big",),
    )
    assert locale.slot_types["Booking"].regex == "[A-Z]{2}[0-9]{4}"


def test_a_file_that_is_not_json_says_where(tmp_path: Path) -> None:
    path = tmp_path / "bot.json"
    path.write_text('{"BotLocales": [}', encoding="utf-8")

    with pytest.raises(BotDefinitionError, match=r"not valid JSON \(line 1, column 17"):
        load_bot_definition(path)


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BotDefinitionError, match="cannot read bot definition"):
        load_bot_definition(tmp_path / "missing.json")


@pytest.mark.parametrize(
    ("spelling", "right"), [("TopResolution", "TOP_RESOLUTION"), ("OriginalValue", "ORIGINAL_VALUE")]
)
def test_the_models_api_spelling_of_resolution_strategy_is_refused_with_the_cloudformation_one(
    spelling: str, right: str
) -> None:
    # AWS::Lex::Bot SlotValueSelectionSetting.ResolutionStrategy: ORIGINAL_VALUE | TOP_RESOLUTION | ...
    def mutate(definition: dict[str, Any]) -> None:
        definition["BotLocales"][0]["SlotTypes"] = [
            {
                "Name": "Size",
                "SlotTypeValues": [{"SampleValue": {"Value": "large"}}],
                "ValueSelectionSetting": {"ResolutionStrategy": spelling},
            }
        ]

    with pytest.raises(BotDefinitionError, match=f"CloudFormation\\) spells it {right}") as raised:
        parse_bot_definition(changed(mutate))

    assert raised.value.path == "BotLocales[0].SlotTypes[0].ValueSelectionSetting.ResolutionStrategy"


def test_numbers_and_booleans_written_as_strings_are_coerced_as_cloudformation_does() -> None:
    def mutate(definition: dict[str, Any]) -> None:
        definition["IdleSessionTTLInSeconds"] = "300"
        definition["BotLocales"][0]["NluConfidenceThreshold"] = "0.40"
        name_slot(definition)["ValueElicitationSetting"]["PromptSpecification"]["MaxRetries"] = "3"
        hello(definition)["IntentClosingSetting"]["IsActive"] = "false"
        hello(definition)["FulfillmentCodeHook"]["Enabled"] = "false"

    bot = parse_bot_definition(changed(mutate))

    locale = bot.locales["ko_KR"]
    intent = locale.intent("HelloWorld")
    assert intent is not None
    assert intent.closing is not None
    assert intent.slots[0].prompt is not None
    assert (bot.idle_session_ttl_seconds, locale.threshold) == (300, 0.4)
    assert (intent.slots[0].prompt.max_retries, intent.closing.active) == (3, False)
