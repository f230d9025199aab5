"""The bot definition checked against the real AWS::Lex::Bot schema cfn-lint ships, as CloudFormation does."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from lex_emulator.cfn_schema import field_path, resource_schema, validate_bot_definition
from lex_emulator.definition_loader import parse_bot_definition
from lex_emulator.errors import BotDefinitionError
from tests.bots import HELLO_WORLD

REPO = Path(__file__).resolve().parents[3]
BASE: dict[str, Any] = json.loads(HELLO_WORLD.read_text(encoding="utf-8"))
Mutation = Callable[[dict[str, Any]], None]


def changed(mutate: Mutation) -> dict[str, Any]:
    definition = copy.deepcopy(BASE)
    mutate(definition)
    return definition


def hello(d: dict[str, Any], locale: int = 0) -> dict[str, Any]:
    return d["BotLocales"][locale]["Intents"][0]  # type: ignore[no-any-return]


def prompt(d: dict[str, Any]) -> dict[str, Any]:
    return hello(d)["Slots"][0]["ValueElicitationSetting"]["PromptSpecification"]  # type: ignore[no-any-return]


def closing_text(d: dict[str, Any]) -> dict[str, Any]:
    group = hello(d)["IntentClosingSetting"]["ClosingResponse"]["MessageGroupsList"][0]
    return group["Message"]["PlainTextMessage"]  # type: ignore[no-any-return]


def refused(mutate: Mutation) -> BotDefinitionError:
    with pytest.raises(BotDefinitionError) as raised:
        validate_bot_definition(changed(mutate))
    return raised.value


def test_the_project_bot_is_valid_and_comes_back_as_an_equal_private_copy() -> None:
    source = copy.deepcopy(BASE)

    result = validate_bot_definition(source)

    assert result == BASE
    hello(result)["Name"] = "Changed"
    assert source == BASE


def test_the_schema_is_cfn_lints_own_for_aws_lex_bot() -> None:
    schema = resource_schema()

    assert schema["typeName"] == "AWS::Lex::Bot"
    assert {"BotLocales", "IdleSessionTTLInSeconds", "Name", "RoleArn"} <= set(schema["properties"])
    assert schema["definitions"]["SlotValueResolutionStrategy"]["enum"][:2] == [
        "ORIGINAL_VALUE",
        "TOP_RESOLUTION",
    ]
    # Name, RoleArn and DataPrivacy are the deployment's: optional in a definition file.
    assert schema["required"] == ["IdleSessionTTLInSeconds"]


def _set(keys: tuple[Any, ...], value: Any) -> Mutation:
    def mutate(definition: dict[str, Any]) -> None:
        target = definition
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value

    return mutate


H = ("BotLocales", 0, "Intents", 0)
SLOT = (*H, "Slots", 0)
PROMPT = (*SLOT, "ValueElicitationSetting", "PromptSpecification")
CLOSING = (*H, "IntentClosingSetting", "ClosingResponse")
ONE_GROUP = {"Message": {"PlainTextMessage": {"Value": "hi"}}}

# (where, the value written there, the path the error names, what its reason says)
INVALID: list[tuple[tuple[Any, ...], Any, str, str]] = [
    (("IdleSessionTTLInSeconds",), 30, "IdleSessionTTLInSeconds", "must be between 60 and 86400, got 30"),
    (("IdleSessionTTLInSeconds",), "a day", "IdleSessionTTLInSeconds", 'must be an integer, got "a day"'),
    (("IdleSessionTTLInSeconds",), 300.5, "IdleSessionTTLInSeconds", "must be an integer, got 300.5"),
    (
        ("BotLocales", 0, "NluConfidenceThreshold"),
        1.5,
        "BotLocales[0].NluConfidenceThreshold",
        "between 0 and 1",
    ),
    (("BotLocales", 0, "NluConfidenceThreshold"), "NaN", "BotLocales[0].NluConfidenceThreshold", "a number"),
    (("BotLocales", 0, "NluConfidenceThreshold"), True, "BotLocales[0].NluConfidenceThreshold", "a number"),
    (
        (*H, "SlotPriorities", 0, "Priority"),
        101,
        "BotLocales[0].Intents[0].SlotPriorities[0].Priority",
        "must be between 0 and 100, got 101",
    ),
    (
        (*H, "SlotPriorities", 0, "Priority"),
        "first",
        "BotLocales[0].Intents[0].SlotPriorities[0].Priority",
        'must be an integer, got "first"',
    ),
    (
        (*SLOT, "ValueElicitationSetting", "SlotConstraint"),
        "Sometimes",
        "BotLocales[0].Intents[0].Slots[0].ValueElicitationSetting.SlotConstraint",
        "'Sometimes' is not allowed; allowed: Required, Optional",
    ),
    (
        (*PROMPT, "AllowInterrupt"),
        "yes",
        "BotLocales[0].Intents[0].Slots[0].ValueElicitationSetting.PromptSpecification.AllowInterrupt",
        'must be true or false, got "yes"',
    ),
    (
        (*H, "Name"),
        "Hello World",
        "BotLocales[0].Intents[0].Name",
        "'Hello World' does not match the pattern ^([0-9a-zA-Z][_-]?)+$",
    ),
    (
        (*CLOSING, "MessageGroupsList", 0, "Message", "PlainTextMessage", "Value"),
        "x" * 1001,
        "BotLocales[0].Intents[0].IntentClosingSetting.ClosingResponse.MessageGroupsList[0]"
        ".Message.PlainTextMessage.Value",
        "must have at most 1000 characters, has 1001",
    ),
    (
        (*CLOSING, "MessageGroupsList"),
        [ONE_GROUP] * 6,
        "BotLocales[0].Intents[0].IntentClosingSetting.ClosingResponse.MessageGroupsList",
        "must have at most 5 items, has 6",
    ),
    (
        (*H, "OutputContext"),
        [],
        "BotLocales[0].Intents[0].OutputContext",
        "is not a property CloudFormation's AWS::Lex::Bot allows here; allowed: BedrockAgent",
    ),
    (
        (*H, "sampleUtterances"),
        [],
        "BotLocales[0].Intents[0].sampleUtterances",
        "(CloudFormation spells it SampleUtterances)",
    ),
    (
        (*H, "SampleUtterances", 0),
        "hello",
        "BotLocales[0].Intents[0].SampleUtterances[0]",
        'must be a JSON object, got "hello"',
    ),
    (("BotLocales",), {"LocaleId": "en_US"}, "BotLocales", "must be a JSON array"),
    (("Id",), "ABCDEFGHIJ", "Id", "is read-only: CloudFormation returns it"),
    (("RoleArn",), "arn:aws:iam::1:role/r", "RoleArn", "must have at least 32 character(s), has 21"),
]


@pytest.mark.parametrize(
    ("keys", "value", "path", "reason"), INVALID, ids=[c[2] + " " + c[3][:20] for c in INVALID]
)
def test_each_kind_of_invalid_value_is_refused_naming_the_field_and_why(
    keys: tuple[Any, ...], value: Any, path: str, reason: str
) -> None:
    error = refused(_set(keys, value))

    assert error.path == path
    assert reason in error.problem
    assert str(error) == f"{path}: {error.problem}"


def test_a_missing_required_field_is_named_by_its_own_path() -> None:
    error = refused(lambda d: hello(d).pop("Name"))

    assert (error.path, error.problem) == ("BotLocales[0].Intents[0].Name", "is required")
    assert refused(lambda d: d.pop("IdleSessionTTLInSeconds")).path == "IdleSessionTTLInSeconds"


def test_only_the_most_relevant_error_is_reported_not_a_wall() -> None:
    def two_problems(definition: dict[str, Any]) -> None:
        definition["IdleSessionTTLInSeconds"] = 10
        prompt(definition)["MaxRetries"] = 99

    error = refused(two_problems)

    assert error.path == "IdleSessionTTLInSeconds"  # the shallower one, as jsonschema's best_match ranks
    assert "\n" not in str(error)


@pytest.mark.parametrize(
    ("written", "spelled"),
    [
        ("OriginalValue", "ORIGINAL_VALUE"),
        ("TopResolution", "TOP_RESOLUTION"),
        ("Concatenation", "CONCATENATION"),
    ],
)
def test_the_models_api_spelling_of_a_resolution_strategy_is_refused_with_a_hint(
    written: str, spelled: str
) -> None:
    # AWS::Lex::Bot SlotValueSelectionSetting.ResolutionStrategy: ORIGINAL_VALUE | TOP_RESOLUTION | ...;
    # the Lex V2 models API (and so a console export) spells them OriginalValue, TopResolution, ...
    slot_type = {
        "Name": "Size",
        "SlotTypeValues": [{"SampleValue": {"Value": "small"}}],
        "ValueSelectionSetting": {"ResolutionStrategy": written},
    }

    error = refused(lambda d: d["BotLocales"][0].update(SlotTypes=[slot_type]))

    assert error.path == "BotLocales[0].SlotTypes[0].ValueSelectionSetting.ResolutionStrategy"
    assert (
        f"({written} is the Lex models API's spelling; AWS::Lex::Bot (CloudFormation) spells it {spelled})"
        in (error.problem)
    )


def test_numbers_and_booleans_written_as_strings_are_accepted_and_normalised() -> None:
    def quoted(definition: dict[str, Any]) -> None:
        definition["IdleSessionTTLInSeconds"] = "600"
        definition["BotLocales"][0]["NluConfidenceThreshold"] = "0.55"
        definition["BotLocales"][1]["NluConfidenceThreshold"] = "1"
        prompt(definition)["MaxRetries"] = "+3"
        prompt(definition)["AllowInterrupt"] = "false"
        hello(definition)["SlotPriorities"][0]["Priority"] = "7"
        hello(definition)["IntentClosingSetting"]["IsActive"] = "TRUE"
        hello(definition, 1)["SampleUtterances"][0]["Utterance"] = 42  # CloudFormation makes it "42"

    source = changed(quoted)
    result = validate_bot_definition(source)

    assert result["IdleSessionTTLInSeconds"] == 600
    assert type(result["IdleSessionTTLInSeconds"]) is int
    assert result["BotLocales"][0]["NluConfidenceThreshold"] == 0.55
    assert result["BotLocales"][1]["NluConfidenceThreshold"] == 1
    assert prompt(result)["MaxRetries"] == 3
    assert prompt(result)["AllowInterrupt"] is False
    assert hello(result)["SlotPriorities"][0]["Priority"] == 7
    assert hello(result)["IntentClosingSetting"]["IsActive"] is True
    assert hello(result, 1)["SampleUtterances"][0]["Utterance"] == "42"
    assert source["IdleSessionTTLInSeconds"] == "600"  # the input is left as it was


@pytest.mark.parametrize(
    ("keys", "value"),
    [
        (("IdleSessionTTLInSeconds",), "300.0"),
        (("IdleSessionTTLInSeconds",), " 300"),
        (("IdleSessionTTLInSeconds",), "3e2"),
        (("BotLocales", 0, "NluConfidenceThreshold"), "inf"),
        (("BotLocales", 0, "NluConfidenceThreshold"), "0,4"),
        ((*PROMPT, "AllowInterrupt"), "yes"),
        ((*PROMPT, "AllowInterrupt"), "tRuE"),
        ((*PROMPT, "AllowInterrupt"), 1),
    ],
)
def test_strings_that_are_not_the_type_are_still_refused(keys: tuple[Any, ...], value: Any) -> None:
    assert refused(_set(keys, value)).path == field_path(keys)


def test_an_integer_written_as_a_whole_float_is_normalised_to_an_int() -> None:
    result = validate_bot_definition(changed(_set(("IdleSessionTTLInSeconds",), 300.0)))

    assert type(result["IdleSessionTTLInSeconds"]) is int


def test_the_deployments_properties_are_optional_but_checked_when_present() -> None:
    def deployed(definition: dict[str, Any]) -> None:
        definition["Name"] = "HelloWorldBot"
        definition["RoleArn"] = "arn:aws:iam::123456789012:role/lex-runtime-role"
        definition["DataPrivacy"] = {"ChildDirected": "false"}

    result = validate_bot_definition(changed(deployed))

    assert result["DataPrivacy"] == {"ChildDirected": False}
    assert refused(_set(("DataPrivacy",), {})).path == "DataPrivacy.ChildDirected"


# Lex's build rules the schema cannot say (cdk_chatbot.bot_limits.lex_build_problems).
@pytest.mark.parametrize(
    ("mutate", "path", "reason"),
    [
        (
            lambda d: hello(d, 1)["SampleUtterances"].insert(0, {"Utterance": "call me {Nickname}"}),
            "BotLocales[1].Intents[0].SampleUtterances[0].Utterance",
            "refers to {Nickname}, which is not a slot of this intent (slots: Name)",
        ),
        (
            lambda d: closing_text(d).update(Value="Bye {Nickname}"),
            "BotLocales[0].Intents[0].IntentClosingSetting.ClosingResponse.MessageGroupsList[0]"
            ".Message.PlainTextMessage.Value",
            "refers to {Nickname}",
        ),
        (
            lambda d: hello(d)["SlotPriorities"].append({"Priority": 2, "SlotName": "Age"}),
            "BotLocales[0].Intents[0].SlotPriorities[1].SlotName",
            "Age is not a slot of this intent",
        ),
        (
            lambda d: d["BotLocales"][0]["Intents"].append({**hello(d), "Description": "again"}),
            "BotLocales[0].Intents[2].Name",
            "intent HelloWorld is defined twice in this locale",
        ),
        (
            lambda d: d["BotLocales"].append({**d["BotLocales"][0], "Description": "again"}),
            "BotLocales[2].LocaleId",
            "locale ko_KR appears twice",
        ),
        (
            lambda d: d["BotLocales"].append(copy.deepcopy(d["BotLocales"][0])),
            "BotLocales[2].LocaleId",
            "ko_KR appears twice",
        ),
    ],
)
def test_lex_build_rules_are_applied_after_the_schema(mutate: Mutation, path: str, reason: str) -> None:
    error = refused(mutate)

    assert error.path == path
    assert reason in error.problem


def test_not_an_object_at_all() -> None:
    with pytest.raises(BotDefinitionError, match="must be a JSON object") as raised:
        validate_bot_definition([BASE])
    assert raised.value.path == ""


def test_a_whole_resource_instead_of_its_properties_is_refused_saying_so() -> None:
    with pytest.raises(BotDefinitionError, match="the file holds only its Properties"):
        validate_bot_definition({"Type": "AWS::Lex::Bot", "Properties": BASE})


def test_the_emulator_loader_validates_with_the_schema_first() -> None:
    def api_spelling(definition: dict[str, Any]) -> None:
        definition["BotLocales"][0]["SlotTypes"] = [
            {
                "Name": "Size",
                "SlotTypeValues": [{"SampleValue": {"Value": "small"}}],
                "ValueSelectionSetting": {"ResolutionStrategy": "OriginalValue"},
            }
        ]

    with pytest.raises(BotDefinitionError, match=r"CloudFormation\) spells it ORIGINAL_VALUE"):
        parse_bot_definition(changed(api_spelling))
    bot = parse_bot_definition(changed(_set(("IdleSessionTTLInSeconds",), "900")))
    assert bot.idle_session_ttl_seconds == 900


def test_a_400_line_bot_validates_in_a_few_milliseconds() -> None:
    validate_bot_definition(BASE)  # the validator is built once, on first use
    timings = []
    for _ in range(15):  # the fastest run: other work on a shared machine only ever adds time
        start = time.perf_counter()
        validate_bot_definition(BASE)
        timings.append(time.perf_counter() - start)

    assert min(timings) < 0.02, f"{min(timings) * 1000:.1f} ms per validation at best"


def test_validating_does_not_import_cfn_lints_linter() -> None:
    code = (
        "import json, sys; from lex_emulator.cfn_schema import validate_bot_definition; "
        "validate_bot_definition(json.load(open(sys.argv[1], encoding='utf-8'))); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'cfnlint'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(HELLO_WORLD)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )

    assert result.stdout.strip() == "[]"


def test_a_feature_switched_off_loads_with_the_fields_the_schema_requires_beside_the_switch() -> None:
    # AWS::Lex::Bot WaitAndContinueSpecification requires WaitingResponse and ContinueResponse even
    # when IsActive is false; the emulator runs no wait-and-continue but must take it switched off.
    waiting = {"MessageGroupsList": [{"Message": {"PlainTextMessage": {"Value": "Take your time."}}}]}
    where = (*SLOT, "ValueElicitationSetting", "WaitAndContinueSpecification")
    off = {"IsActive": "false", "WaitingResponse": waiting, "ContinueResponse": waiting}

    assert parse_bot_definition(changed(_set(where, off))).locales["ko_KR"].intent("HelloWorld") is not None
    error = refused(_set(where, {"IsActive": False}))
    assert error.path in (f"{field_path(where)}.WaitingResponse", f"{field_path(where)}.ContinueResponse")
    assert error.problem == "is required"
