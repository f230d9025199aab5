"""A user adds an intent to bot/bot.json: every framework piece still takes the bot.

The product invites users to edit `bot/bot.json`, so the framework's tests run on a frozen copy
(`tests/bots/`) and this test checks the other direction: the repo's `bot/bot.json`, as it is
today (whatever it holds), copied to a temporary folder with what "Add your own intent" asks of a
user added to it: an intent with an `AMAZON.Number` slot and its fulfillment code hook on, in
every locale, and its handler in `handlers/` beside the bot file. Then:

- the emulator loads it and runs the new intent: Lex elicits the slot, and the fulfillment reaches
  the user's handler through the code-hook router (`lambda_codehook`), whose answer Lex plays;
- a question about none of the bot's intents still reaches the LLM fallback;
- the router discovers the handler by its module name;
- the whole stack synthesizes with it (bundling off), the new intent in the bot and its handler in
  the code hook's asset.

The intent's name is one no shipped bot uses, so this holds after a user adds their own OrderCoffee.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import lambda_chatgpt.handler as fallback_handler
import lambda_codehook.handler as codehook_handler
from lambda_codehook.bot_model import BotModel
from lambda_codehook.discovery import discover
from lex_emulator import BotDeployment, LexEmulator
from tests.bots import REPO_ROOT, SHIPPED_BOT, definition
from tests.fakes.openai_server import FakeOpenAIServer
from tests.integration.emulator.emulator_support import lex_client

INTENT = "OrderTestBagels"
SLOT = "BagelCount"
BOT_ID = "USERBOT001"
ALIAS_ID = "USERALIAS1"
LLM_REPLY = "The fake LLM answers what the bot does not know."

# What a user types to the new intent, by locale; any other locale gets the English phrases.
PHRASES: dict[str, dict[str, Any]] = {
    "ko_KR": {
        "utterances": ["베이글 주문할게요", "베이글 {BagelCount}개 주세요", "베이글 사고 싶어요"],
        "order": "베이글 주문할게요",
        "prompt": "베이글 몇 개 드릴까요?",
        "off_topic": "양자 컴퓨팅을 두 문장으로 설명해 줘",
    },
    "en_US": {
        "utterances": ["I want to order bagels", "{BagelCount} bagels please", "can I get some bagels"],
        "order": "I want to order bagels",
        "prompt": "How many bagels?",
        "off_topic": "Explain quantum computing in two sentences",
    },
}

HANDLER = '''
    """OrderTestBagels: the fulfillment places the order (a handler as the README shows them)."""

    from lexhook import IntentRequest, Response, close


    def fulfillment(request: IntentRequest) -> Response:
        return close(f"{request.value('BagelCount')} bagels are on their way.")
'''


def phrases(locale: str) -> dict[str, Any]:
    return PHRASES.get(locale, PHRASES["en_US"])


def plain(text: str) -> dict[str, Any]:
    return {"MessageGroupsList": [{"Message": {"PlainTextMessage": {"Value": text}}}]}


def new_intent(locale: str) -> dict[str, Any]:
    """The intent a user adds: one required number slot, the fulfillment hook on."""
    words = phrases(locale)
    return {
        "Name": INTENT,
        "SampleUtterances": [{"Utterance": text} for text in words["utterances"]],
        "Slots": [
            {
                "Name": SLOT,
                "SlotTypeName": "AMAZON.Number",
                "ValueElicitationSetting": {
                    "SlotConstraint": "Required",
                    "PromptSpecification": {**plain(words["prompt"]), "MaxRetries": 1},
                },
            }
        ],
        "SlotPriorities": [{"Priority": 1, "SlotName": SLOT}],
        "FulfillmentCodeHook": {"Enabled": True},
    }


@pytest.fixture
def user_bot(tmp_path: Path) -> Path:
    """bot/bot.json copied with the new intent in every locale, and its handler beside it."""
    data = definition(SHIPPED_BOT)
    for bot_locale in data["BotLocales"]:
        assert INTENT not in {intent["Name"] for intent in bot_locale["Intents"]}
        bot_locale["Intents"].insert(0, new_intent(bot_locale["LocaleId"]))
    bot_file = tmp_path / "my_bot" / "bot.json"
    handlers = bot_file.parent / "handlers"
    handlers.mkdir(parents=True)
    source_handlers = SHIPPED_BOT.parent / "handlers"
    if source_handlers.is_dir():  # the user's own handlers come along
        shutil.copytree(source_handlers, handlers, dirs_exist_ok=True)
    bot_file.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    (handlers / "order_test_bagels.py").write_text(textwrap.dedent(HANDLER), encoding="utf-8")
    return bot_file


def locales_of(bot_file: Path) -> list[str]:
    return [bot_locale["LocaleId"] for bot_locale in definition(bot_file)["BotLocales"]]


@pytest.fixture
def codehook_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, user_bot: Path) -> Iterator[None]:
    """The code hook as the dev server configures it for this bot, with a fake LLM; no AWS."""
    for name in list(os.environ):
        if name.startswith(("AWS_", "LLM_", "OPENAI_", "BOT_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("BOT_DEFINITION_FILE", str(user_bot))
    monkeypatch.setenv("INTENT_HANDLERS_DIR", str(user_bot.parent / "handlers"))
    with FakeOpenAIServer(reply=LLM_REPLY) as llm:
        monkeypatch.setenv("LLM_BASE_URL", llm.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-user-bot")
        monkeypatch.setenv("LLM_MODEL", "fake-model")
        codehook_handler.reset_router()
        fallback_handler.reset_container()
        try:
            yield
        finally:
            codehook_handler.reset_router()
            fallback_handler.reset_container()


@pytest.fixture
def say(codehook_env: None, user_bot: Path) -> Iterator[Callable[[str, str], dict[str, Any]]]:
    """One RecognizeText to the user's bot in the emulator, the router as its code hook."""
    emulator = LexEmulator(rng=random.Random(11))
    emulator.add_bot(
        BotDeployment(
            bot_id=BOT_ID,
            alias_id=ALIAS_ID,
            alias_name="live",
            bot_name="MyBot",
            definition_path=user_bot,
            code_hook="lambda_codehook.handler:handler",
        )
    )
    running = emulator.serve(host="127.0.0.1", port=0)
    client = lex_client(running.url)

    def turn(text: str, locale: str) -> dict[str, Any]:
        return client.recognize_text(  # type: ignore[no-any-return]
            botId=BOT_ID, botAliasId=ALIAS_ID, localeId=locale, sessionId=f"user-{locale}", text=text
        )

    try:
        yield turn
    finally:
        running.shutdown()


def test_the_emulator_runs_the_new_intent_through_its_handler_in_every_locale(
    say: Callable[[str, str], dict[str, Any]], user_bot: Path
) -> None:
    for locale in locales_of(user_bot):
        words = phrases(locale)

        asked = say(words["order"], locale)
        assert asked["sessionState"]["intent"]["name"] == INTENT, locale
        assert asked["sessionState"]["dialogAction"] == {"type": "ElicitSlot", "slotToElicit": SLOT}, locale
        assert [m["content"] for m in asked["messages"]] == [words["prompt"]], locale

        done = say("3", locale)
        assert done["sessionState"]["intent"]["state"] == "Fulfilled", locale
        assert [m["content"] for m in done["messages"]] == ["3 bagels are on their way."], locale


def test_a_question_about_none_of_the_intents_still_reaches_the_llm(
    say: Callable[[str, str], dict[str, Any]], user_bot: Path
) -> None:
    for locale in locales_of(user_bot):
        answered = say(phrases(locale)["off_topic"], locale)

        assert answered["sessionState"]["intent"]["name"] == "FallbackIntent", locale
        assert [m["content"] for m in answered["messages"]] == [LLM_REPLY], locale


def test_the_router_discovers_the_new_handler(user_bot: Path) -> None:
    bot = BotModel.from_file(user_bot)

    found = discover(user_bot.parent / "handlers", bot, package="user_bot_edit_handlers")

    assert INTENT in found
    assert found[INTENT].fulfillment is not None
    assert found[INTENT].dialog is None


def test_the_stack_synthesizes_with_the_new_intent_and_bundles_its_handler(
    user_bot: Path, tmp_path: Path
) -> None:
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    from aws_cdk import App

    from cdk_chatbot.app_factory import add_chatbot
    from tests.infra.cfn import function_by_handler, only, props

    context = json.loads((REPO_ROOT / "cdk.json").read_text(encoding="utf-8"))["context"]
    context = {**context, "bundle": False, "stackName": "UserBotEdit", "botDefinition": str(user_bot)}
    outdir = tmp_path / "cdk.out"
    app = App(context=context, outdir=str(outdir), builtin_cloud_formation_validation=False)
    stack = add_chatbot(app)
    template = app.synth().get_stack_by_name(stack.stack_name).template  # cdk-nag runs here too

    _, bot = only(template, "AWS::Lex::Bot")
    for bot_locale in props(bot)["BotLocales"]:
        names = [intent["Name"] for intent in bot_locale["Intents"]]
        assert INTENT in names, bot_locale["LocaleId"]
    _, function = function_by_handler(template, "lambda_codehook.handler.handler")
    asset = outdir / f"asset.{props(function)['Code']['S3Key'].removesuffix('.zip')}"
    assert (asset / "intent_handlers" / "order_test_bagels.py").read_text(encoding="utf-8") == (
        user_bot.parent / "handlers" / "order_test_bagels.py"
    ).read_text(encoding="utf-8")
