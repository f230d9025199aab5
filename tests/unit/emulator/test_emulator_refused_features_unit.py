"""Every feature in `refused.REFUSED_FEATURES` stops the load with an error naming its field."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from lex_emulator.definition_loader import parse_bot_definition
from lex_emulator.errors import BotDefinitionError
from lex_emulator.refused import REFUSED_FEATURES
from tests.bots import HELLO_WORLD
from tests.unit.emulator.refused_values import KENDRA, QNA, S3_BOT_FILE, WAIT_AND_CONTINUE_ON

BASE: dict[str, Any] = json.loads(HELLO_WORLD.read_text("utf-8"))


def _hello(d: dict[str, Any]) -> dict[str, Any]:
    return d["BotLocales"][0]["Intents"][0]  # type: ignore[no-any-return]


def _slot(d: dict[str, Any]) -> dict[str, Any]:
    return _hello(d)["Slots"][0]  # type: ignore[no-any-return]


def _condition(d: dict[str, Any]) -> None:
    _hello(d)["InitialResponseSetting"] = {
        "Conditional": {
            "IsActive": True,
            "ConditionalBranches": [
                {"Name": "b", "Condition": {"ExpressionString": "LENGTH({Name}) > 3"}, "NextStep": {}}
            ],
            "DefaultBranch": {},
        }
    }


WAIT_AND_CONTINUE = (
    "BotLocales[].Intents[].Slots[].ValueElicitationSetting.WaitAndContinueSpecification.IsActive"
)

# One bot per refused feature (keyed by the table's path).
USES: dict[str, Callable[[dict[str, Any]], None]] = {
    "BotFileS3Location": lambda d: d.update(BotFileS3Location=S3_BOT_FILE),
    "BotLocales[].GenerativeAISettings": lambda d: d["BotLocales"][0].update(GenerativeAISettings={}),
    "BotLocales[].Intents[].ParentIntentSignature": lambda d: _hello(d).update(
        ParentIntentSignature="AMAZON.HelpIntent"
    ),
    "BotLocales[].Intents[].KendraConfiguration": lambda d: _hello(d).update(KendraConfiguration=KENDRA),
    "BotLocales[].Intents[].QnAIntentConfiguration": lambda d: _hello(d).update(QnAIntentConfiguration=QNA),
    "BotLocales[].Intents[].Slots[].SlotTypeName": lambda d: _slot(d).update(SlotTypeName="AMAZON.Airport"),
    "BotLocales[].Intents[].Slots[].SubSlotSetting": lambda d: _slot(d).update(SubSlotSetting={}),
    "BotLocales[].Intents[].Slots[].MultipleValuesSetting.AllowMultipleValues": lambda d: _slot(d).update(
        MultipleValuesSetting={"AllowMultipleValues": True}
    ),
    WAIT_AND_CONTINUE: lambda d: _slot(d)["ValueElicitationSetting"].update(
        WaitAndContinueSpecification=WAIT_AND_CONTINUE_ON
    ),
    "BotLocales[].Intents[].FulfillmentCodeHook.FulfillmentUpdatesSpecification.Active": lambda d: _hello(d)[
        "FulfillmentCodeHook"
    ].update(FulfillmentUpdatesSpecification={"Active": True}),
    "BotLocales[].SlotTypes[].ValueSelectionSetting.ResolutionStrategy": lambda d: d["BotLocales"][0].update(
        SlotTypes=[
            {
                "Name": "Size",
                "SlotTypeValues": [{"SampleValue": {"Value": "s"}}],
                "ValueSelectionSetting": {"ResolutionStrategy": "CONCATENATION"},
            }
        ]
    ),
    "BotLocales[].SlotTypes[].ExternalSourceSetting": lambda d: d["BotLocales"][0].update(
        SlotTypes=[{"Name": "Grammar", "ExternalSourceSetting": {}}]
    ),
    "...Conditional.ConditionalBranches[].Condition.ExpressionString": _condition,
}


def test_every_refused_feature_has_a_bot_using_it() -> None:
    assert set(USES) == {path for path, _ in REFUSED_FEATURES}


@pytest.mark.parametrize(("path", "why"), REFUSED_FEATURES, ids=[path for path, _ in REFUSED_FEATURES])
def test_a_bot_using_a_refused_feature_does_not_load(path: str, why: str) -> None:
    definition = copy.deepcopy(BASE)
    USES[path](definition)

    with pytest.raises(BotDefinitionError) as raised:
        parse_bot_definition(definition)

    pattern = re.escape(path.removeprefix("...")).replace(r"\[\]", r"\[\d+\]")
    assert re.search(pattern + "$", raised.value.path), (raised.value.path, path)
    assert why
