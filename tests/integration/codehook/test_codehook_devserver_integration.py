"""`make serve BOT=...` with handlers that do not fit the bot: the dev server stops at once with the
file and the fix, before serving anything; with handlers that fit, the banner names them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from devserver.process import DevServerError, DevServerProcess
from devserver.settings import REPO_ROOT

EXAMPLE = REPO_ROOT / "examples" / "coffee_shop"


def test_a_handler_for_no_intent_stops_the_dev_server_naming_the_file(tmp_path: Path) -> None:
    bot = tmp_path / "shop" / "bot.json"
    shutil.copytree(EXAMPLE / "handlers", bot.parent / "handlers")
    shutil.copy(EXAMPLE / "bot.json", bot)
    (bot.parent / "handlers" / "order_cofee.py").write_text("def dialog(request):\n    return None\n")

    with pytest.raises(DevServerError) as info, DevServerProcess(env={"BOT_DEFINITION": str(bot)}):
        pass

    message = str(info.value)
    assert "exited with 2" in message
    assert "order_cofee.py: no intent of" in message
    assert "Rename it, or start a helper module's name with _" in message
    assert "Traceback" not in message


def test_the_banner_names_the_bot_and_its_handled_intents() -> None:
    with DevServerProcess(env={"BOT_DEFINITION": str(EXAMPLE / "bot.json")}) as server:
        banner = server.stdout

    assert "CoffeeShopBot" in banner
    assert "intent handlers: OrderCoffee" in banner
