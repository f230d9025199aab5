"""The chat page's example messages against the shipped HelloWorld bot (bot/bot.json).

The page (its texts for this bot: the welcome in bot/page.json, the examples derived from the bot,
see cdk_chatbot/page_texts.py) promises "say hello and Lex will ask your name; anything else is
answered by an LLM", and offers one message of each kind as a suggestion. These test the shipped
bot: if you changed bot/bot.json on purpose, update or delete them (and bot/page.json, whose welcome
text describes the shipped bot).
"""

from __future__ import annotations

from typing import Any

import pytest

from cdk_chatbot.page_config import page_config
from devserver.settings import read_bot_info
from tests.bots import REPO_ROOT, SHIPPED_BOT
from tests.integration.emulator.emulator_support import Served

PAGE_LANGUAGES = {"ko_KR": "ko", "en_US": "en"}


def page_suggestions(locale: str) -> list[str]:
    """The example chips the page shows for the shipped bot in `locale` (its served config.json)."""
    bot = read_bot_info(SHIPPED_BOT, None)
    config = page_config(
        REPO_ROOT / "html",
        locale_ids=bot.locales,
        default_locale=bot.default_locale,
        bot_properties=bot.properties,
        bot_name=bot.name,
        bot_file=bot.definition_path,
    )
    suggestions: list[str] = config["page"][locale]["suggestions"]
    return suggestions


def turn(response: dict[str, Any]) -> tuple[str, str, str | None]:
    state = response["sessionState"]
    return (state["intent"]["name"], state["dialogAction"]["type"], state["dialogAction"].get("slotToElicit"))


def test_the_page_offers_a_greeting_and_a_question_in_each_language() -> None:
    for locale in PAGE_LANGUAGES:
        assert len(page_suggestions(locale)) == 2, locale


@pytest.mark.parametrize("locale", sorted(PAGE_LANGUAGES))
def test_the_greeting_suggestion_makes_helloworld_ask_for_a_name(served: Served, locale: str) -> None:
    greeting, _ = page_suggestions(locale)

    response = served.say(greeting, locale=locale, session=f"page-{locale}")

    assert turn(response) == ("HelloWorld", "ElicitSlot", "Name")


@pytest.mark.parametrize("locale", sorted(PAGE_LANGUAGES))
def test_the_question_suggestion_is_left_to_the_fallback(served: Served, locale: str) -> None:
    _, question = page_suggestions(locale)

    response = served.say(question, locale=locale, session=f"page-{locale}")

    assert turn(response) == ("FallbackIntent", "Close", None)
    assert [m["content"] for m in response["messages"]] == [f"echo: {question}"]  # the test's code hook
