"""bot/bot.json: valid for the AWS::Lex::Bot schema cfn-lint ships, and within Lex's limits."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cfnlint
import pytest
from jsonschema import Draft7Validator

from cdk_chatbot import bot_limits
from cdk_chatbot.app_factory import PROJECT_ROOT
from cdk_chatbot.bot_definition import BotDefinition, BotDefinitionError

BOT_JSON = PROJECT_ROOT / "bot" / "bot.json"
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


def _set_ttl(data: dict[str, Any], ttl: int) -> None:
    data["IdleSessionTTLInSeconds"] = ttl


def _long_message(data: dict[str, Any]) -> None:
    group = _hello(data)["IntentClosingSetting"]["ClosingResponse"]["MessageGroupsList"][0]
    group["Message"]["PlainTextMessage"]["Value"] = "x" * 1025


def _unknown_slot_in_message(data: dict[str, Any]) -> None:
    group = _hello(data)["IntentClosingSetting"]["ClosingResponse"]["MessageGroupsList"][0]
    group["Message"]["PlainTextMessage"]["Value"] = "Bye {Nickname}"


def _unknown_slot_in_utterance(data: dict[str, Any]) -> None:
    _hello(data, 1)["SampleUtterances"].append({"Utterance": "call me {Nickname}"})


def _threshold(data: dict[str, Any]) -> None:
    data["BotLocales"][1]["NluConfidenceThreshold"] = 1.5


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
        (lambda d: _set_ttl(d, 59), "IdleSessionTTLInSeconds"),
        (lambda d: _set_ttl(d, 86_401), "IdleSessionTTLInSeconds"),
        (_long_message, "1..1024 characters"),
        (_unknown_slot_in_message, "unknown slot {Nickname}"),
        (_unknown_slot_in_utterance, "unknown slot {Nickname}"),
        (_threshold, "NluConfidenceThreshold"),
        (_no_fallback, "en_US: needs exactly one intent with ParentIntentSignature AMAZON.FallbackIntent"),
        (_hook_off, "FulfillmentCodeHook.Enabled"),
        (_no_timeout_response, "TimeoutResponse"),
        (_no_failure_response, "FailureResponse"),
    ],
)
def test_limit_checks_catch_each_broken_rule(
    break_it: Callable[[dict[str, Any]], None], expected: str
) -> None:
    data = _data()
    break_it(data)
    found = bot_limits.problems(BotDefinition.from_dict(data))
    assert any(expected in problem for problem in found), found


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
        ({"BotLocales": []}, "non-empty BotLocales"),
        ({"Name": "Fixed", "BotLocales": [{"LocaleId": "en_US", "Intents": []}]}, "must not set Name"),
        ({"Colour": "red", "BotLocales": [{"LocaleId": "en_US", "Intents": []}]}, "unsupported keys Colour"),
        ({"IdleSessionTTLInSeconds": 300, "BotLocales": [{"Intents": []}]}, "needs a LocaleId"),
        (
            {"IdleSessionTTLInSeconds": 300, "BotLocales": [{"LocaleId": "en_US", "Intents": []}] * 2},
            "lists a locale twice",
        ),
    ],
)
def test_loader_rejects_unusable_definitions(data: Any, expected: str) -> None:
    with pytest.raises(BotDefinitionError, match=expected):
        BotDefinition.from_dict(data)


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
