"""HelloWorld (the frozen copy in tests/bots): valid for the AWS::Lex::Bot schema cfn-lint ships, and
within Lex's limits."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cfnlint
import pytest
from jsonschema import Draft7Validator

from cdk_chatbot import bot_limits
from cdk_chatbot.bot_definition import BotDefinition, BotDefinitionError
from lex_emulator.definition_loader import parse_bot_definition
from lex_emulator.errors import BotDefinitionError as EmulatorBotDefinitionError
from tests.bots import HELLO_WORLD
from tests.lex_export import canonical, export_zip

BOT_JSON = HELLO_WORLD  # the frozen HelloWorld (tests/bots), not the user's bot/bot.json
SCHEMA_REGION = "us-east-1"


def _lex_bot_schema() -> dict[str, Any]:
    schemas = Path(cfnlint.__file__).parent / "data" / "schemas"
    providers = json.loads((schemas / "providers" / f"{SCHEMA_REGION}.json").read_text())
    schema: dict[str, Any] = json.loads(
        (schemas / "resources" / f"{providers['AWS::Lex::Bot']}.json").read_text()
    )
    assert schema["typeName"] == "AWS::Lex::Bot"
    return schema


def _as_deployed(data: dict[str, Any]) -> dict[str, Any]:
    """The properties the stack deploys: the definition plus what the construct adds."""
    return {
        **data,
        "Name": "ChatbotBot-1234ABCD",
        "RoleArn": "arn:aws:iam::123456789012:role/example",
        "DataPrivacy": {"ChildDirected": False},
        "AutoBuildBotLocales": True,
    }


def _schema_errors(data: dict[str, Any]) -> list[str]:
    validator = Draft7Validator(_lex_bot_schema())
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(_as_deployed(data))
    ]


def _data() -> dict[str, Any]:
    return copy.deepcopy(dict(BotDefinition.from_file(BOT_JSON).properties))


def test_definition_matches_the_cloudformation_schema() -> None:
    assert _schema_errors(_data()) == []


def test_schema_check_catches_a_wrong_shape() -> None:
    data = _data()
    data["BotLocales"][0]["NluConfidenceThreshold"] = "high"
    data["BotLocales"][1]["Intents"][0]["SampleUtterances"] = ["Hello"]
    errors = _schema_errors(data)
    assert any("NluConfidenceThreshold" in e for e in errors), errors
    assert any("SampleUtterances" in e for e in errors), errors


def test_definition_is_within_lex_limits() -> None:
    assert bot_limits.problems(BotDefinition.from_file(BOT_JSON)) == []


def test_ships_korean_and_english_with_a_fallback_in_each() -> None:
    definition = BotDefinition.from_file(BOT_JSON)
    assert definition.locale_ids == ("ko_KR", "en_US")
    for locale in definition.properties["BotLocales"]:
        names = {intent["Name"] for intent in locale["Intents"]}
        assert {"HelloWorld", "FallbackIntent"} <= names


def _hello(data: dict[str, Any], locale: int = 0) -> dict[str, Any]:
    return next(i for i in data["BotLocales"][locale]["Intents"] if i["Name"] == "HelloWorld")


def _fallback(data: dict[str, Any], locale: int = 0) -> dict[str, Any]:
    return next(i for i in data["BotLocales"][locale]["Intents"] if i["Name"] == "FallbackIntent")


def _closing(intent: dict[str, Any]) -> dict[str, Any]:
    group = intent["IntentClosingSetting"]["ClosingResponse"]["MessageGroupsList"][0]
    return dict(group["Message"]["PlainTextMessage"])


def _no_fallback(data: dict[str, Any]) -> None:
    data["BotLocales"][1]["Intents"] = [_hello(data, 1)]


def _hook_off(data: dict[str, Any]) -> None:
    _fallback(data)["FulfillmentCodeHook"]["Enabled"] = False


def _no_timeout_response(data: dict[str, Any]) -> None:
    del _fallback(data, 1)["FulfillmentCodeHook"]["PostFulfillmentStatusSpecification"]["TimeoutResponse"]


def _no_failure_response(data: dict[str, Any]) -> None:
    del _fallback(data)["FulfillmentCodeHook"]["PostFulfillmentStatusSpecification"]["FailureResponse"]


@pytest.mark.parametrize(
    ("break_it", "expected"),
    [
        (_no_fallback, "BotLocales[1].Intents: en_US needs exactly one intent with ParentIntentSignature"),
        (_hook_off, "BotLocales[0].Intents[1].FulfillmentCodeHook.Enabled: FallbackIntent needs it true"),
        (_no_timeout_response, "PostFulfillmentStatusSpecification.TimeoutResponse: FallbackIntent needs it"),
        (_no_failure_response, "PostFulfillmentStatusSpecification.FailureResponse: FallbackIntent needs it"),
    ],
)
def test_the_projects_own_rules_catch_each_broken_rule(
    break_it: Callable[[dict[str, Any]], None], expected: str
) -> None:
    data = _data()
    break_it(data)
    found = bot_limits.problems(BotDefinition.from_dict(data))
    assert any(expected in problem for problem in found), found


def _long_message(data: dict[str, Any]) -> None:
    group = _hello(data)["IntentClosingSetting"]["ClosingResponse"]["MessageGroupsList"][0]
    group["Message"]["PlainTextMessage"]["Value"] = "x" * 1001


def _unknown_slot_in_message(data: dict[str, Any]) -> None:
    group = _hello(data)["IntentClosingSetting"]["ClosingResponse"]["MessageGroupsList"][0]
    group["Message"]["PlainTextMessage"]["Value"] = "Bye {Nickname}"


def _unknown_slot_in_utterance(data: dict[str, Any]) -> None:
    _hello(data, 1)["SampleUtterances"].insert(0, {"Utterance": "call me {Nickname}"})


CLOSING_VALUE = "IntentClosingSetting.ClosingResponse.MessageGroupsList[0].Message.PlainTextMessage.Value"


@pytest.mark.parametrize(
    ("break_it", "path", "reason"),
    [
        (lambda d: d.update(IdleSessionTTLInSeconds=59), "IdleSessionTTLInSeconds", "between 60 and 86400"),
        (
            lambda d: d.update(IdleSessionTTLInSeconds=86_401),
            "IdleSessionTTLInSeconds",
            "between 60 and 86400",
        ),
        (_long_message, f"BotLocales[0].Intents[0].{CLOSING_VALUE}", "at most 1000 characters"),
        (_unknown_slot_in_message, f"BotLocales[0].Intents[0].{CLOSING_VALUE}", "refers to {Nickname}"),
        (
            _unknown_slot_in_utterance,
            "BotLocales[1].Intents[0].SampleUtterances[0].Utterance",
            "refers to {Nickname}",
        ),
        (
            lambda d: d["BotLocales"][1].update(NluConfidenceThreshold=1.5),
            "BotLocales[1].NluConfidenceThreshold",
            "between 0 and 1",
        ),
    ],
)
def test_the_loader_refuses_what_cloudformation_or_lex_would_naming_the_field(
    break_it: Callable[[dict[str, Any]], None], path: str, reason: str
) -> None:
    data = _data()
    break_it(data)
    with pytest.raises(BotDefinitionError) as raised:
        BotDefinition.from_dict(data, source="bot.json")
    assert raised.value.path == path
    assert reason in raised.value.problem
    assert str(raised.value).startswith(f"bot definition bot.json: {path}: ")


def test_slot_reference_to_a_real_slot_is_fine() -> None:
    data = _data()
    group = _hello(data)["IntentClosingSetting"]["ClosingResponse"]["MessageGroupsList"][0]
    group["Message"]["PlainTextMessage"]["Value"] = "안녕히 가세요, {Name}님"
    assert bot_limits.problems(BotDefinition.from_dict(data)) == []
    assert _closing(_hello(data))["Value"].endswith("{Name}님")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ([], "must be a JSON object"),
        ({"BotLocales": []}, "IdleSessionTTLInSeconds: is required"),
        ({"IdleSessionTTLInSeconds": 300, "BotLocales": []}, "needs at least one locale"),
        ({"Name": "Fixed", "IdleSessionTTLInSeconds": 300, "BotLocales": []}, "must not set Name"),
        ({"Colour": "red", "IdleSessionTTLInSeconds": 300}, "Colour: is not a property CloudFormation"),
        (
            {"IdleSessionTTLInSeconds": 300, "ErrorLogSettings": {"Enabled": False}},
            "sets ErrorLogSettings: valid for AWS::Lex::Bot, but this stack does not deploy it",
        ),
        ({"IdleSessionTTLInSeconds": 300, "BotLocales": [{"Intents": []}]}, "LocaleId: is required"),
        (
            {
                "IdleSessionTTLInSeconds": 300,
                "BotLocales": [
                    {"LocaleId": "en_US", "NluConfidenceThreshold": 0.4},
                    {"LocaleId": "en_US", "NluConfidenceThreshold": 0.5},
                ],
            },
            "BotLocales[1].LocaleId: locale en_US appears twice",
        ),
    ],
)
def test_loader_rejects_unusable_definitions(data: Any, expected: str) -> None:
    with pytest.raises(BotDefinitionError, match=re.escape(expected)):
        BotDefinition.from_dict(data)


def test_numbers_written_as_strings_are_deployed_as_numbers() -> None:
    data = _data()
    data["IdleSessionTTLInSeconds"] = "600"
    data["BotLocales"][0]["NluConfidenceThreshold"] = "0.4"
    properties = BotDefinition.from_dict(data).to_cfn()
    assert properties["IdleSessionTTLInSeconds"] == 600
    assert properties["BotLocales"][0]["NluConfidenceThreshold"] == 0.4
    assert BotDefinition.from_dict(data).digest != BotDefinition.from_file(BOT_JSON).digest  # 600 != 300


def test_loader_reports_bad_json_with_its_position(tmp_path: Path) -> None:
    path = tmp_path / "bot.json"
    path.write_text('{\n  "BotLocales": [\n}\n')
    with pytest.raises(BotDefinitionError, match=r"not valid JSON: .* line 3 column 1"):
        BotDefinition.from_file(path)
    with pytest.raises(BotDefinitionError, match="cannot read bot definition"):
        BotDefinition.from_file(tmp_path / "missing.json")


def test_bot_construct_refuses_a_definition_that_breaks_lex_rules() -> None:
    from aws_cdk import App, Stack
    from aws_cdk import aws_lambda as lambda_

    from cdk_chatbot.lex_bot import LexBot

    data = _data()
    _hook_off(data)
    stack = Stack(App(), "Refuses")
    hook = lambda_.Function.from_function_arn(
        stack, "Hook", "arn:aws:lambda:us-east-1:123456789012:function:x"
    )
    with pytest.raises(BotDefinitionError, match=r"FulfillmentCodeHook\.Enabled"):
        LexBot(stack, "Bot", definition=BotDefinition.from_dict(data), code_hook=hook)


# -- one check for the stack and the emulator -------------------------------------------------------


def _api_spelling(data: dict[str, Any]) -> None:
    data["BotLocales"][0]["SlotTypes"] = [
        {
            "Name": "Mood",
            "SlotTypeValues": [{"SampleValue": {"Value": "cheerful"}}],
            "ValueSelectionSetting": {"ResolutionStrategy": "OriginalValue"},
        }
    ]


def _quoted_scalars(data: dict[str, Any]) -> None:
    data["IdleSessionTTLInSeconds"] = "900"
    data["BotLocales"][1]["NluConfidenceThreshold"] = "0.35"
    _hello(data)["IntentClosingSetting"]["IsActive"] = "true"
    _hello(data)["SlotPriorities"][0]["Priority"] = "3"


# (sample, how it differs from bot/bot.json, whether CloudFormation would take it)
SAMPLES: list[tuple[str, Callable[[dict[str, Any]], None], bool]] = [
    ("as shipped", lambda d: None, True),
    ("numbers and booleans written as strings", _quoted_scalars, True),
    ("a slot reference to a real slot", lambda d: _closing(_hello(d)).update(Value="Bye {Name}"), True),
    ("idle TTL too short", lambda d: d.update(IdleSessionTTLInSeconds=59), False),
    ("threshold not a number", lambda d: d["BotLocales"][0].update(NluConfidenceThreshold="high"), False),
    ("models-API spelling of a strategy", _api_spelling, False),
    ("a property CloudFormation lacks", lambda d: _hello(d).update(Greeting="hi"), False),
    ("camelCase key", lambda d: _hello(d).update(sampleUtterances=[]), False),
    ("message over 1000 characters", _long_message, False),
    ("unknown slot in a message", _unknown_slot_in_message, False),
    ("unknown slot in an utterance", _unknown_slot_in_utterance, False),
    ("an intent twice", lambda d: d["BotLocales"][0]["Intents"].append(_hello(d)), False),
    ("priority out of range", lambda d: _hello(d)["SlotPriorities"][0].update(Priority=101), False),
    ("read-only Id", lambda d: d.update(Id="BOT1234567"), False),
    ("required slot type missing", lambda d: _hello(d)["Slots"][0].pop("SlotTypeName"), False),
]


def _stack_verdict(data: dict[str, Any]) -> tuple[bool, str]:
    try:
        BotDefinition.from_dict(data)
    except BotDefinitionError as error:
        return False, f"{error.path}: {error.problem}"
    return True, ""


def _emulator_verdict(data: dict[str, Any]) -> tuple[bool, str]:
    try:
        parse_bot_definition(data)
    except EmulatorBotDefinitionError as error:
        return False, f"{error.path}: {error.problem}"
    return True, ""


@pytest.mark.parametrize(("mutate", "valid"), [(m, v) for _, m, v in SAMPLES], ids=[n for n, _, _ in SAMPLES])
def test_the_stack_and_the_emulator_accept_and_refuse_the_same_definitions(
    mutate: Callable[[dict[str, Any]], None], valid: bool
) -> None:
    data = _data()
    mutate(data)

    stack = _stack_verdict(copy.deepcopy(data))

    assert stack == _emulator_verdict(copy.deepcopy(data))
    assert stack[0] is valid, stack[1]
    if valid:  # and CloudFormation's schema, unaided, agrees on what the stack deploys
        assert _schema_errors(BotDefinition.from_dict(data).to_cfn()) == []


def test_a_valid_feature_the_emulator_does_not_run_is_deployed_but_refused_locally_by_name() -> None:
    data = _data()
    _hello(data)["KendraConfiguration"] = {
        "KendraIndex": "arn:aws:kendra:us-east-1:123456789012:index/greeting-faq"
    }

    assert _stack_verdict(data) == (True, "")
    valid, why = _emulator_verdict(data)
    assert not valid
    assert why.startswith("BotLocales[0].Intents[0].KendraConfiguration: ")
    assert "Lex emulator" in why


def test_a_console_export_zip_deploys_as_the_properties_it_describes(tmp_path: Path) -> None:
    from aws_cdk import App, Stack
    from aws_cdk import aws_lambda as lambda_
    from aws_cdk.assertions import Template

    from cdk_chatbot.lex_bot import LexBot

    zip_path = export_zip(_data(), tmp_path / "HelloWorldBot_DRAFT_X_LexJson.zip", "HelloWorldBot")
    definition = BotDefinition.from_file(zip_path)
    assert definition.properties == canonical(_data())
    assert definition.source == str(zip_path)

    stack = Stack(App(), "FromExport")
    hook = lambda_.Function(
        stack,
        "Hook",
        runtime=lambda_.Runtime.PYTHON_3_12,
        handler="index.handler",
        code=lambda_.Code.from_inline("def handler(event, context):\n    return event\n"),
    )
    LexBot(stack, "Bot", definition=definition, code_hook=hook)
    (bot,) = Template.from_stack(stack).find_resources("AWS::Lex::Bot").values()

    assert bot["Properties"]["BotLocales"] == canonical(_data())["BotLocales"]
    assert bot["Properties"]["IdleSessionTTLInSeconds"] == 300
    assert _schema_errors(definition.to_cfn()) == []


def test_a_broken_console_export_is_a_clear_error_for_the_stack(tmp_path: Path) -> None:
    path = tmp_path / "export.zip"
    path.write_bytes(b"not a zip at all")

    with pytest.raises(BotDefinitionError, match="is not a zip file"):
        BotDefinition.from_file(path)
