"""The page on a bot written elsewhere: a corpus bot with one locale (en_US) and no code hook on its
FallbackIntent, served as `make serve BOT=tests/corpus/bots/order_flowers.json` serves it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from devserver.process import DevServerProcess
from tests.bots import devserver_env
from tests.corpus.support import bot_path
from tests.fakes.openai_server import FakeOpenAIServer

EN_NO_ANSWER = "(the answer was empty)"


@pytest.fixture(scope="module")
def server(fake_llm: FakeOpenAIServer) -> Iterator[DevServerProcess]:
    env = {"OPENAI_BASE_URL": fake_llm.base_url, "OPENAI_API_KEY": "sk-e2e-dummy"}
    with DevServerProcess(env=devserver_env(env, bot=bot_path("order_flowers"))) as process:
        yield process


def send(page: Page, text: str) -> None:
    page.locator("#input").fill(text)
    page.locator("#input").press("Enter")
    expect(page.locator("#send")).to_have_attribute("aria-busy", "false")


def test_one_locale_bot_dialog_survives_a_reload(page: Page) -> None:
    # One locale: nothing to switch, the page speaks the bot's language.
    expect(page.locator("#locale-switch")).to_be_hidden()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    bot = page.locator("#messages .message.bot .bubble")
    send(page, "I want to buy a bouquet")
    expect(bot).to_have_text(["Which flowers should go in the bouquet: roses, tulips, lilies or sunflowers?"])
    send(page, "lilies")
    expect(bot.last).to_have_text("On which day will you collect the lilies?")
    expect(page.locator("#messages .badge")).to_have_count(0)  # Lex answered, not an LLM

    page.reload()
    page.locator("body[data-ready=true]").wait_for()
    users = page.locator("#messages .message.user .bubble")
    expect(users).to_have_text(["I want to buy a bouquet", "lilies"])
    send(page, "tomorrow")
    expect(bot.last).to_contain_text("At what time on")  # the dialog goes on where it was


def test_a_question_it_does_not_know_gets_its_empty_answer_not_an_error(page: Page) -> None:
    send(page, "how many moons does Jupiter have?")
    expect(page.locator("#messages .message.bot .bubble")).to_have_text([EN_NO_ANSWER])
    expect(page.locator("#messages .message.error")).to_have_count(0)
