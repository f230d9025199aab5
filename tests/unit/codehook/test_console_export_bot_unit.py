"""A Lex console export (.zip) works as the bot file in local mode too: the dev server reads its
locales, checks the handlers beside the zip against it, and gives the code hook the bot as JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from devserver import lambda_env
from devserver.app import _check_handlers, _json_definition
from devserver.settings import ConfigError, DevServerSettings
from lambda_codehook.bot_model import BotModel
from tests.lex_export import export_zip

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "coffee_shop"


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    properties = json.loads((EXAMPLE / "bot.json").read_text(encoding="utf-8"))
    shutil.copytree(EXAMPLE / "handlers", tmp_path / "handlers")
    return export_zip(properties, tmp_path / "CoffeeShop-export.zip", bot_name="CoffeeShop")


def test_the_code_hook_gets_the_export_as_json_with_its_intents_and_hooks(exported: Path) -> None:
    settings = DevServerSettings.from_env({"BOT_DEFINITION": str(exported)}, port=0)
    converted = _json_definition(settings)
    assert converted is not None

    env = lambda_env.lambda_environment(settings, {}, definition_file=converted)
    bot = BotModel.from_file(Path(str(env["BOT_DEFINITION_FILE"])))
    order = bot.intent("ko_KR", "OrderCoffee")

    assert order is not None
    assert (order.dialog_hook, order.fulfillment_hook, order.failure_response) == (True, True, True)
    assert order.slots == {"Drink", "Quantity"}
    assert _check_handlers(settings) == ["OrderCoffee"]
    assert _json_definition(DevServerSettings.from_env({}, port=0)) is None


def test_the_dev_server_reads_the_locales_of_a_console_export(exported: Path) -> None:
    settings = DevServerSettings.from_env({"BOT_DEFINITION": str(exported)}, port=0)

    assert sorted(settings.bot.locales) == ["en_US", "ko_KR"]
    assert settings.bot.handlers_dir == exported.parent / "handlers"


def test_a_broken_export_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"not a zip")

    with pytest.raises(ConfigError, match=r"broken\.zip"):
        DevServerSettings.from_env({"BOT_DEFINITION": str(broken)}, port=0)
