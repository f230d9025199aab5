"""Infra test fixtures: the app is synthesized once per session, the way app.py builds it.

`synth` is the stack as cdk.json configures it (bundling off: no pip, no network). `variant` is a
second stack in the same session with another stack name, the Bedrock provider and a changed bot
definition: it shows what must differ between two deployments and after a bot change.
"""

from __future__ import annotations

import copy
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from aws_cdk import App

from cdk_chatbot.app_factory import PROJECT_ROOT, add_chatbot
from cdk_chatbot.bot_definition import BotDefinition
from tests.bots import HELLO_WORLD, HELLO_WORLD_CONTEXT

VARIANT_STACK = "ChatbotVariant"
EXAMPLE_STACK = "ChatbotCoffeeShop"
EXAMPLE_BOT = "examples/coffee_shop/bot.json"
VARIANT_MODEL = "anthropic.claude-3-haiku-20240307-v1:0"


@dataclass(frozen=True)
class Synth:
    template: dict[str, Any]
    outdir: Path
    stack_name: str
    context: dict[str, Any]
    definition: BotDefinition
    app: App  # the synthesized construct tree, for checks that walk it (cdk-nag)


def cdk_context() -> dict[str, Any]:
    """cdk.json's context, as the CDK CLI would pass it, with bundling off and the frozen HelloWorld
    (tests/bots) as the bot: the user's bot/bot.json is theirs to change (test_infra_user_bot.py)."""
    context: dict[str, Any] = json.loads((PROJECT_ROOT / "cdk.json").read_text())["context"]
    return {**context, "bundle": False, "botDefinition": HELLO_WORLD_CONTEXT}


def _synth(outdir: Path, context: dict[str, Any], definition: BotDefinition | None = None) -> Synth:
    # The built-in CloudFormation schema check costs seconds; cfn-lint runs on the template instead.
    app = App(context=context, outdir=str(outdir), builtin_cloud_formation_validation=False)
    stack = add_chatbot(app, bot_definition=definition)  # the context's botDefinition when None
    assembly = app.synth()  # cdk-nag runs here: an unacknowledged finding raises
    template = assembly.get_stack_by_name(stack.stack_name).template
    used = definition or BotDefinition.from_file(PROJECT_ROOT / context["botDefinition"])
    return Synth(
        template=template,
        outdir=outdir,
        stack_name=stack.stack_name,
        context=context,
        definition=used,
        app=app,
    )


@pytest.fixture(scope="session")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Synth:
    return _synth(tmp_path_factory.mktemp("cdk-out"), cdk_context())


def changed_definition() -> BotDefinition:
    """The frozen HelloWorld with one greeting utterance more in the first locale."""
    data = copy.deepcopy(dict(BotDefinition.from_file(HELLO_WORLD).properties))
    data["BotLocales"][0]["Intents"][0]["SampleUtterances"].append({"Utterance": "hello again"})
    return BotDefinition.from_dict(data, source="changed bot.json")


@pytest.fixture(scope="session")
def variant(tmp_path_factory: pytest.TempPathFactory) -> Synth:
    context = {
        **cdk_context(),
        "stackName": VARIANT_STACK,
        "defaultLocale": "en_US",
        "llmProvider": "bedrock",
        "llmModel": VARIANT_MODEL,
        "throttleRateLimit": "2.5",  # as `cdk deploy -c throttleRateLimit=2.5` passes it
        "throttleBurstLimit": "4",
    }
    return _synth(tmp_path_factory.mktemp("cdk-out-variant"), context, changed_definition())


@pytest.fixture(scope="session")
def example(tmp_path_factory: pytest.TempPathFactory) -> Synth:
    """The coffee-shop example as `make synth BOT=examples/coffee_shop/bot.json` builds it: a bot with
    dialog and fulfillment hooks and a handlers folder beside it."""
    context = {**cdk_context(), "stackName": EXAMPLE_STACK, "botDefinition": EXAMPLE_BOT}
    return _synth(tmp_path_factory.mktemp("cdk-out-example"), context)
