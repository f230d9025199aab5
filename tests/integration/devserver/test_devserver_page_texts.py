"""The dev server's config.json speaks for the bot it runs (`make serve BOT=...`): the bot's name,
description and example messages per locale, or its page.json; a bad page.json stops it at start
with a message naming the field."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import requests

from devserver.process import DevServerError, DevServerProcess
from tests.bots import devserver_env
from tests.corpus.support import bot_path


def test_a_corpus_bot_gets_its_own_title_welcome_and_chips() -> None:
    corpus_bot = bot_path("book_trip")
    with DevServerProcess(env=devserver_env(bot=corpus_bot)) as process:
        config = requests.get(process.url + "/config.json", timeout=5).json()
    assert "page:     title, welcome and examples from the bot (page.json beside it" in process.stdout

    written = json.loads(corpus_bot.read_text(encoding="utf-8"))
    (english,) = written["BotLocales"]
    firsts = [
        i["SampleUtterances"][0]["Utterance"] for i in english["Intents"] if i["Name"] != "FallbackIntent"
    ]
    assert config["locales"] == ["en_US"]
    page = config["page"]["en_US"]
    assert page["title"] == "BookTripBot"
    assert page["welcome"] == (english.get("Description") or written["Description"])
    assert page["suggestions"][:-1] == [text for text in firsts if "{" not in text][:3]
    assert "Hello" not in page["suggestions"]


def test_the_banner_names_the_page_json_in_use(tmp_path: Path) -> None:
    bot_file = tmp_path / "trips.json"
    shutil.copyfile(bot_path("book_trip"), bot_file)
    (tmp_path / "page.json").write_text(json.dumps({"en_US": {"title": "Trips"}}))

    with DevServerProcess(env=devserver_env(bot=bot_file)) as process:
        config = requests.get(process.url + "/config.json", timeout=5).json()

    assert config["page"]["en_US"]["title"] == "Trips"
    assert f"examples from {tmp_path / 'page.json'} (the rest from the bot)" in process.stdout


def test_a_bad_page_json_stops_the_server_naming_the_field(tmp_path: Path) -> None:
    bot_file = tmp_path / "trips.json"
    shutil.copyfile(bot_path("book_trip"), bot_file)
    (tmp_path / "page.json").write_text(json.dumps({"en_US": {"suggestions": ["book a hotel", 7]}}))

    process = DevServerProcess(env=devserver_env(bot=bot_file), port=None)
    with pytest.raises(DevServerError) as raised:
        process.start()

    assert "page.json: en_US.suggestions[1] must be a non-empty string" in str(raised.value)
    assert "Traceback" not in str(raised.value)
