"""`python -m lex_emulator` as a process: it prints its URL, serves boto3, and stops cleanly on a signal."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bots import REPO_ROOT
from tests.integration.emulator.emulator_support import ALIAS_ID, BOT_ID, BOT_JSON, HOOK, lex_client

ROOT = REPO_ROOT


def start(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "lex_emulator", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def cli() -> Iterator[tuple[subprocess.Popen[str], str]]:
    process = start("--bot", str(BOT_JSON), "--bot-id", BOT_ID, "--alias-id", ALIAS_ID, "--code-hook", HOOK)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("Lex V2 runtime emulator: http://127.0.0.1:"), first
        yield process, first.split(": ", 1)[1].strip()
    finally:
        stopped(process)


def stopped(process: subprocess.Popen[str]) -> None:
    """Kill the emulator if it is still running, and reap it."""
    if process.poll() is None:
        process.kill()
    process.wait(10)


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_the_cli_serves_boto3_and_stops_cleanly_on_a_signal(
    cli: tuple[subprocess.Popen[str], str], stop_signal: signal.Signals
) -> None:
    process, url = cli

    response = lex_client(url).recognize_text(
        botId=BOT_ID, botAliasId=ALIAS_ID, localeId="en_US", sessionId="cli-session", text="Hello"
    )
    process.send_signal(stop_signal)
    out, err = process.communicate(timeout=10)

    assert response["messages"][0]["content"] == "My name is Lex. What is your name?"
    assert process.returncode == 0
    assert "stopped" in out
    assert "Traceback" not in err


def test_the_cli_names_the_unsupported_field_and_exits_2(tmp_path: Path) -> None:
    definition = json.loads(BOT_JSON.read_text(encoding="utf-8"))
    definition["BotLocales"][1]["Intents"][0]["KendraConfiguration"] = {}
    path = tmp_path / "bot.json"
    path.write_text(json.dumps(definition), encoding="utf-8")

    process = start("--bot", str(path), "--bot-id", BOT_ID, "--alias-id", ALIAS_ID, "--code-hook", HOOK)
    try:
        out, err = process.communicate(timeout=30)
    finally:
        stopped(process)

    assert process.returncode == 2
    assert "BotLocales[1].Intents[0].KendraConfiguration" in err
    assert "Traceback" not in err
    assert out == ""
