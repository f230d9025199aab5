"""Fixtures for the tests of the shipped bot: `bot/bot.json` itself, served by the Lex V2 emulator.

These tests are about the shipped HelloWorld bot's phrasing and dialog. If you changed
`bot/bot.json` on purpose, update or delete them; the framework's own tests run on a frozen copy
(`tests/bots/`) and stay green whatever the bot says.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lex_emulator import BotDeployment, LexEmulator, RunningEmulator
from tests.bots import SHIPPED_BOT
from tests.integration.emulator import emulator_hooks
from tests.integration.emulator.emulator_support import ALIAS_ID, BOT_ID, HOOK, Served


@pytest.fixture(autouse=True)
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Dummy credentials and region, no profile or shared config: nothing can reach AWS."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_LEX_RUNTIME_V2"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    emulator_hooks.reset()


@pytest.fixture
def served() -> Iterator[Served]:
    """bot/bot.json on 127.0.0.1:0, its code hook a test hook that echoes the input ("echo: ...")."""
    emulator = LexEmulator()
    emulator.add_bot(
        BotDeployment(
            bot_id=BOT_ID,
            alias_id=ALIAS_ID,
            alias_name="live",
            bot_name="HelloWorldBot",
            definition_path=SHIPPED_BOT,
            code_hook=HOOK,
        )
    )
    running: RunningEmulator = emulator.serve(host="127.0.0.1", port=0)
    try:
        yield Served(emulator, running)
    finally:
        emulator_hooks.GATE.set()
        running.shutdown()
