"""Helpers for the emulator integration tests: constants, clients, bot definition variants, a fake clock."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from lex_emulator import BotDeployment, LexEmulator, RunningEmulator
from tests.bots import HELLO_WORLD

BOT_JSON = HELLO_WORLD  # the frozen HelloWorld (tests/bots), not the user's bot/bot.json
BOT_ID = "LOCALBOT01"
ALIAS_ID = "LOCALALIAS"
HOOK = "tests.integration.emulator.emulator_hooks:hook"


class FakeClock:
    """Monotonic seconds that only move when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def lex_client(url: str) -> Any:
    """An unmodified lexv2-runtime client; one attempt per call so each answer is the emulator's own."""
    return boto3.client(
        "lexv2-runtime",
        endpoint_url=url,
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}, read_timeout=30),
    )


def bot_definition(mutate: Callable[[dict[str, Any]], None] | None = None, *, tmp_path: Path) -> Path:
    """The frozen HelloWorld bot, optionally changed, written to a temporary file."""
    definition = json.loads(BOT_JSON.read_text(encoding="utf-8"))
    if mutate is not None:
        definition = copy.deepcopy(definition)
        mutate(definition)
    path = tmp_path / f"bot-{abs(hash(json.dumps(definition, sort_keys=True)))}.json"
    path.write_text(json.dumps(definition, ensure_ascii=False), encoding="utf-8")
    return path


def intent(definition: dict[str, Any], locale: str, name: str) -> dict[str, Any]:
    for bot_locale in definition["BotLocales"]:
        if bot_locale["LocaleId"] == locale:
            for item in bot_locale["Intents"]:
                if item["Name"] == name:
                    return item  # type: ignore[no-any-return]
    raise KeyError(name)


class Served:
    """A running emulator and a client for it."""

    def __init__(self, emulator: LexEmulator, running: RunningEmulator) -> None:
        self.emulator = emulator
        self.running = running
        self.url = running.url
        self.client = lex_client(running.url)

    def say(
        self, text: str, *, session: str = "session-1", locale: str = "ko_KR", **extra: Any
    ) -> dict[str, Any]:
        return self.client.recognize_text(  # type: ignore[no-any-return]
            botId=BOT_ID, botAliasId=ALIAS_ID, localeId=locale, sessionId=session, text=text, **extra
        )


def start_served(*, definition_path: Path = BOT_JSON, code_hook: Any = HOOK, **options: Any) -> Served:
    """A LexEmulator (`options`) serving `definition_path` as HelloWorldBot's `live` alias on
    127.0.0.1:0; the caller shuts `running` down."""
    emulator = LexEmulator(**options)
    emulator.add_bot(
        BotDeployment(
            bot_id=BOT_ID,
            alias_id=ALIAS_ID,
            alias_name="live",
            bot_name="HelloWorldBot",
            definition_path=definition_path,
            code_hook=code_hook,
        )
    )
    return Served(emulator, emulator.serve(host="127.0.0.1", port=0))
