"""A bot written elsewhere (a corpus bot) runs under `make serve` as Lex would run it, and the banner
says where it differs from a bot the stack deploys: no LLM where FallbackIntent has no code hook,
and what `make deploy` would refuse in the file.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import requests

from devserver.bot_check import banner_lines, deploy_problems, locales_without_llm
from devserver.process import DevServerProcess
from tests.bots import HELLO_WORLD, devserver_env
from tests.corpus.support import bot_path, load_bot

FLOWERS = bot_path("order_flowers")


def _hello_world() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(HELLO_WORLD.read_text(encoding="utf-8"))
    return data


def test_a_bot_the_stack_deploys_gets_no_warning() -> None:
    assert locales_without_llm(_hello_world()) == []
    assert deploy_problems(_hello_world()) == []
    assert banner_lines(_hello_world()) == []


def test_a_fallback_without_its_code_hook_is_named_by_locale_and_field() -> None:
    bot = load_bot("office_multilocale")
    assert locales_without_llm(bot) == ["en_US", "ko_KR", "es_ES"]
    problems = deploy_problems(bot)
    stack_set = "AutoBuildBotLocales, DataPrivacy, Name, RoleArn"
    assert problems[0] == f"{stack_set}: set by the stack; remove from the file"
    hook = "BotLocales[1].Intents[2].FulfillmentCodeHook.Enabled"
    assert f"{hook}: FallbackIntent needs it true (the LLM answers it)" in problems


def test_one_locale_without_the_llm_is_told_apart_from_the_others() -> None:
    bot = _hello_world()
    english = next(locale for locale in bot["BotLocales"] if locale["LocaleId"] == "en_US")
    for intent in english["Intents"]:
        if intent.get("ParentIntentSignature") == "AMAZON.FallbackIntent":
            intent["FulfillmentCodeHook"]["Enabled"] = "false"  # a string, as CloudFormation allows
    assert locales_without_llm(bot) == ["en_US"]
    assert any(line.startswith("  fallback: no LLM in en_US:") for line in banner_lines(bot))
    bot["Name"] = "SomeoneElsesBot"
    assert deploy_problems(bot)[0] == "Name: set by the stack; remove from the file"


def test_a_corpus_bot_serves_a_multi_turn_dialog_and_the_banner_says_what_differs() -> None:
    with DevServerProcess(env=devserver_env(bot=FLOWERS)) as server:
        banner = server.stdout
        session = str(uuid.uuid4())

        def say(text: str) -> dict[str, Any]:
            response = requests.post(
                server.url + "/chat", json={"text": text, "sessionId": session, "locale": "en_US"}, timeout=30
            )
            assert response.status_code == 200, response.text
            body: dict[str, Any] = response.json()
            return body

        first = say("can I get some flowers")
        assert (first["intent"], first["dialogAction"]) == ("OrderFlowers", "ElicitSlot")
        assert first["msg"] == "Which flowers should go in the bouquet: roses, tulips, lilies or sunflowers?"
        kind = say("sunflowers")
        assert kind["slots"]["FlowerKind"] == "sunflowers"
        assert kind["msg"] == "On which day will you collect the sunflowers?"
        day = say("the day after tomorrow")
        assert day["slots"]["PickupDate"] is not None
        assert day["msg"] == f"At what time on {day['slots']['PickupDate']}?"
        time = say("at 5 pm")
        assert time["slots"]["PickupTime"] == "17:00"
        assert time["dialogAction"] == "ConfirmIntent"
        assert time["msg"].startswith(
            f"So that is sunflowers, ready on {day['slots']['PickupDate']} at 17:00."
        )
        done = say("yes")
        # Its fulfillment hook is on and no handler of ours is beside it: the router closes the intent
        # as Lex's default does, and the bot has no closing response of its own to say.
        assert (done["dialogAction"], done["intentState"], done["messages"]) == ("Close", "Fulfilled", [])

        # No code hook on this bot's FallbackIntent: Lex's empty answer, not an error, not the LLM.
        other = say("how tall is the Eiffel tower?")
        assert (other["intent"], other["source"], other["messages"]) == ("FallbackIntent", "lex", [])

    assert "  bot:      OrderFlowersBot (id" in banner  # named after its file, not the folder of bots
    assert "  fallback: no LLM in en_US: FallbackIntent's fulfillment code hook is off" in banner
    assert "make deploy would refuse this bot file as it is:" in banner
    assert "Name, RoleArn: set by the stack" in banner
