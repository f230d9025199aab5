"""The chat page's example messages against the shipped HelloWorld bot (bot/bot.json).

The page (html/i18n.js) promises "say hello and Lex will ask your name; anything else is answered
by an LLM", and offers one message of each kind as a suggestion. These test the shipped bot: if you
changed bot/bot.json on purpose, update or delete them (and the page's suggestions and welcome
text, which describe the shipped bot).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.bots import REPO_ROOT
from tests.integration.emulator.emulator_support import Served

I18N = REPO_ROOT / "html" / "i18n.js"
PAGE_LANGUAGES = {"ko_KR": "ko", "en_US": "en"}


def page_suggestions(language: str) -> list[str]:
    """The `suggestions` list of one language block of html/i18n.js (a JSON-compatible array)."""
    source = I18N.read_text(encoding="utf-8")
    block = re.search(rf"^  {language}: \{{(.*?)^  \}},", source, re.S | re.M)
    assert block, f"no '{language}' block in {I18N}"
    found = re.search(r"^\s+suggestions: (\[.*\]),$", block.group(1), re.M)
    assert found, f"no suggestions in the '{language}' block of {I18N}"
    suggestions: list[str] = json.loads(found.group(1))
    return suggestions


def turn(response: dict[str, Any]) -> tuple[str, str, str | None]:
    state = response["sessionState"]
    return (state["intent"]["name"], state["dialogAction"]["type"], state["dialogAction"].get("slotToElicit"))


def test_the_page_offers_a_greeting_and_a_question_in_each_language() -> None:
    for language in PAGE_LANGUAGES.values():
        assert len(page_suggestions(language)) == 2, language


@pytest.mark.parametrize("locale", sorted(PAGE_LANGUAGES))
def test_the_greeting_suggestion_makes_helloworld_ask_for_a_name(served: Served, locale: str) -> None:
    greeting, _ = page_suggestions(PAGE_LANGUAGES[locale])

    response = served.say(greeting, locale=locale, session=f"page-{locale}")

    assert turn(response) == ("HelloWorld", "ElicitSlot", "Name")


@pytest.mark.parametrize("locale", sorted(PAGE_LANGUAGES))
def test_the_question_suggestion_is_left_to_the_fallback(served: Served, locale: str) -> None:
    _, question = page_suggestions(PAGE_LANGUAGES[locale])

    response = served.say(question, locale=locale, session=f"page-{locale}")

    assert turn(response) == ("FallbackIntent", "Close", None)
    assert [m["content"] for m in response["messages"]] == [f"echo: {question}"]  # the test's code hook
