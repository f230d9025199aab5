"""The bots the framework tests run on: frozen copies kept here, never the user's `bot/bot.json`.

`bot/bot.json` is the user's bot: the product invites them to edit it and add intents, and that
must not break a test of the emulator, the NLU, the dev server, the Lambdas or the stack. So every
framework test names its bot through this module, and the tests of the shipped bot's own phrasing
and dialog live in `bot/tests/` (they read `SHIPPED_BOT` on purpose).

- `HELLO_WORLD` is a frozen copy of the shipped HelloWorld bot (ko_KR and en_US), taken when the
  two were split. Change it only when a framework test needs another bot feature; it does not
  follow `bot/bot.json`.
- `SHIPPED_BOT` is `bot/bot.json` itself, whatever it contains today: for `bot/tests/` and for the
  tests that must hold for any bot a user writes (it loads, synthesizes, its handlers are found).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
BOTS_DIR = Path(__file__).resolve().parent

HELLO_WORLD = BOTS_DIR / "hello_world" / "bot.json"
"""The frozen HelloWorld bot; its folder name makes the dev server call it HelloWorldBot."""

HELLO_WORLD_CONTEXT = HELLO_WORLD.relative_to(REPO_ROOT).as_posix()
"""`HELLO_WORLD` as the stack's `botDefinition` context names it (relative to the project root)."""

SHIPPED_BOT = REPO_ROOT / "bot" / "bot.json"
"""The user's bot, as `make serve` and `make deploy` use it by default; its contents may be anything."""

BOT_VARIABLE = "BOT_DEFINITION"  # the dev server's variable naming its bot file (devserver/settings.py)


def definition(path: Path = HELLO_WORLD) -> dict[str, Any]:
    """A fresh parsed copy of a bot file's Properties (a test may change it freely)."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def devserver_env(env: Mapping[str, str] | None = None, *, bot: Path = HELLO_WORLD) -> dict[str, str]:
    """The environment for a `DevServerProcess` running `bot` (the frozen HelloWorld unless told),
    plus `env`. Without it the dev server would run `bot/bot.json`, the user's bot."""
    return {BOT_VARIABLE: str(bot), **(env or {})}
