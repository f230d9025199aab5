"""The default bot file, bot/bot.json, synthesizes, whatever the user has put in it.

The other infra tests synthesize the frozen HelloWorld (tests/bots) so they can assert its exact
shape; this one takes cdk.json's context as it is, so `make deploy` of the user's own bot is
covered without assuming anything about its intents or wording.
"""

from __future__ import annotations

import json

import pytest

from cdk_chatbot.app_factory import PROJECT_ROOT
from tests.bots import SHIPPED_BOT, definition
from tests.infra.cfn import only, props
from tests.infra.conftest import Synth, _synth


@pytest.fixture(scope="module")
def default_bot(tmp_path_factory: pytest.TempPathFactory) -> Synth:
    context = json.loads((PROJECT_ROOT / "cdk.json").read_text())["context"]
    return _synth(tmp_path_factory.mktemp("cdk-out-default-bot"), {**context, "bundle": False})


def test_cdk_json_names_the_shipped_bot_file() -> None:
    context = json.loads((PROJECT_ROOT / "cdk.json").read_text())["context"]

    assert (PROJECT_ROOT / context["botDefinition"]).resolve() == SHIPPED_BOT.resolve()


def test_the_default_bot_file_synthesizes_with_each_of_its_intents(default_bot: Synth) -> None:
    _, bot = only(default_bot.template, "AWS::Lex::Bot")
    deployed = {
        bot_locale["LocaleId"]: sorted(intent["Name"] for intent in bot_locale["Intents"])
        for bot_locale in props(bot)["BotLocales"]
    }
    written = {
        bot_locale["LocaleId"]: sorted(intent["Name"] for intent in bot_locale["Intents"])
        for bot_locale in definition(SHIPPED_BOT)["BotLocales"]
    }

    assert deployed == written
