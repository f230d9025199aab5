"""The AWS CLI (`aws lexv2-runtime ...`, awscli as pinned in requirements-dev.txt) against the emulator.

Each command runs as a subprocess with ``--endpoint-url`` and the dummy credentials the fixtures set,
exactly as a developer would type it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from lex_emulator.wire import packed_header, unpack_header
from tests.integration.emulator.emulator_support import ALIAS_ID, BOT_ID, Served

TEXT = "text/plain; charset=utf-8"


def aws(served: Served, *args: str) -> subprocess.CompletedProcess[str]:
    options = ["--endpoint-url", served.url, "--region", "us-east-1", "--output", "json"]
    return subprocess.run(
        [sys.executable, "-m", "awscli", "lexv2-runtime", *args, *options, "--cli-read-timeout", "30"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def ok(completed: subprocess.CompletedProcess[str]) -> Any:
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout) if completed.stdout.strip() else {}


def ids(session: str, locale: str = "en_US") -> list[str]:
    return ["--bot-id", BOT_ID, "--bot-alias-id", ALIAS_ID, "--locale-id", locale, "--session-id", session]


def test_the_aws_cli_runs_a_dialog_and_the_session_calls(served: Served, tmp_path: Path) -> None:
    greeted = ok(aws(served, "recognize-text", *ids("cli-1"), "--text", "Hello"))
    assert greeted["messages"][0]["content"] == "My name is Lex. What is your name?"
    assert greeted["sessionState"]["dialogAction"] == {"type": "ElicitSlot", "slotToElicit": "Name"}

    said = tmp_path / "said.txt"
    said.write_text("I'm Ann", encoding="utf-8")
    audio_out = tmp_path / "answer.out"
    uttered = ok(
        aws(
            served,
            "recognize-utterance",
            *ids("cli-1"),
            "--request-content-type",
            TEXT,
            "--response-content-type",
            TEXT,
            "--request-attributes",
            packed_header({"channel": "cli"}),
            "--input-stream",
            str(said),
            str(audio_out),
        )
    )
    assert uttered["inputMode"] == "Text"
    assert unpack_header(uttered["inputTranscript"]) == "I'm Ann"
    assert unpack_header(uttered["messages"]) == [
        {"contentType": "PlainText", "content": "Is your name Ann?"}
    ]
    assert unpack_header(uttered["sessionState"])["dialogAction"] == {"type": "ConfirmIntent"}
    assert unpack_header(uttered["requestAttributes"]) == {"channel": "cli"}
    assert audio_out.read_bytes() == b""

    session = ok(aws(served, "get-session", *ids("cli-1")))
    assert session["sessionState"]["intent"]["slots"]["Name"]["value"]["interpretedValue"] == "Ann"

    put_out = tmp_path / "put.out"
    put = ok(
        aws(
            served,
            "put-session",
            *ids("cli-2"),
            "--session-state",
            json.dumps({"dialogAction": {"type": "ElicitIntent"}, "sessionAttributes": {"from": "cli"}}),
            str(put_out),
        )
    )
    assert unpack_header(put["sessionState"])["sessionAttributes"] == {"from": "cli"}
    assert ok(aws(served, "get-session", *ids("cli-2")))["sessionState"]["dialogAction"] == {
        "type": "ElicitIntent"
    }

    deleted = ok(aws(served, "delete-session", *ids("cli-1")))
    assert deleted["sessionId"] == "cli-1"
    gone = aws(served, "get-session", *ids("cli-1"))
    assert gone.returncode != 0
    assert "ResourceNotFoundException" in gone.stderr


def test_the_aws_cli_shows_lex_errors_by_name(served: Served, tmp_path: Path) -> None:
    too_long = aws(served, "recognize-text", *ids("cli-3"), "--text", "a" * 1025)
    assert too_long.returncode != 0
    assert "ValidationException" in too_long.stderr
    assert "1024" in too_long.stderr

    sound = tmp_path / "sound.raw"
    sound.write_bytes(bytes(320))
    audio = aws(
        served,
        "recognize-utterance",
        *ids("cli-3"),
        "--request-content-type",
        "audio/l16; rate=16000; channels=1",
        "--input-stream",
        str(sound),
        str(tmp_path / "out"),
    )
    assert audio.returncode != 0
    assert "ValidationException" in audio.stderr
    assert "not supported by the Lex emulator" in audio.stderr
