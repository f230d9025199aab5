"""Fixtures for the tests of the shipped bot: `bot/bot.json` itself, served by the Lex V2 emulator.

These tests are about the shipped HelloWorld bot's phrasing and dialog. If you changed
`bot/bot.json` on purpose, update or delete them; the framework's own tests run on a frozen copy
(`tests/bots/`) and stay green whatever the bot says.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.aws_offline import offline_aws_env
from tests.bots import SHIPPED_BOT
from tests.integration.emulator import emulator_hooks
from tests.integration.emulator.emulator_support import Served, start_served


@pytest.fixture(autouse=True)
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Dummy credentials and region, no profile or shared config: nothing can reach AWS."""
    offline_aws_env(monkeypatch, tmp_path)
    emulator_hooks.reset()


@pytest.fixture
def served() -> Iterator[Served]:
    """bot/bot.json on 127.0.0.1:0, its code hook a test hook that echoes the input ("echo: ...")."""
    served = start_served(definition_path=SHIPPED_BOT)
    try:
        yield served
    finally:
        emulator_hooks.GATE.set()
        served.running.shutdown()
