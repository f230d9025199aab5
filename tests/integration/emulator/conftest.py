"""Fixtures: an emulator served on 127.0.0.1:0 and boto3 clients pointed at it with dummy credentials."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from lex_emulator import BotDeployment, LexEmulator, RunningEmulator
from tests.integration.emulator import emulator_hooks
from tests.integration.emulator.emulator_support import ALIAS_ID, BOT_ID, BOT_JSON, HOOK, Served


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
def serve() -> Iterator[Callable[..., Served]]:
    """Start emulators on 127.0.0.1:0 for the test: serve(definition_path=..., code_hook=..., **options)."""
    started: list[RunningEmulator] = []

    def start(*, definition_path: Path = BOT_JSON, code_hook: Any = HOOK, **options: Any) -> Served:
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
        running = emulator.serve(host="127.0.0.1", port=0)
        started.append(running)
        return Served(emulator, running)

    yield start
    emulator_hooks.GATE.set()  # let any held hook thread finish
    for running in started:
        running.shutdown()


@pytest.fixture
def served(serve: Callable[..., Served]) -> Served:
    """The frozen HelloWorld bot (tests/bots) with the test hook as the fallback's code hook."""
    return serve()
