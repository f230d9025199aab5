"""Local mode runs any bot file: BOT_DEFINITION (what `make serve BOT=...` sets) picks it, its handlers
are the `handlers/` folder beside it, and the code hook's environment says both."""

from __future__ import annotations

from pathlib import Path

import pytest

from devserver import lambda_env
from devserver.settings import DEFAULT_BOT_PATH, ConfigError, DevServerSettings

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "coffee_shop" / "bot.json"


def test_the_shipped_bot_is_the_default() -> None:
    settings = DevServerSettings.from_env({}, port=0)

    assert settings.bot.definition_path == DEFAULT_BOT_PATH
    assert settings.bot.name == "HelloWorldBot"
    assert settings.bot.handlers_dir == DEFAULT_BOT_PATH.parent / "handlers"


def test_bot_definition_picks_another_bot_relative_to_the_current_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(EXAMPLE.parents[2])

    settings = DevServerSettings.from_env({"BOT_DEFINITION": "examples/coffee_shop/bot.json"}, port=0)

    assert settings.bot.definition_path.resolve() == EXAMPLE
    assert settings.bot.locales == ("ko_KR", "en_US")
    assert settings.bot.name == "CoffeeShopBot"
    assert settings.bot.handlers_dir.resolve() == EXAMPLE.parent / "handlers"


def test_a_folder_instead_of_a_bot_file_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match=r"is a folder; name the bot file, e\.g\. .*/bot\.json"):
        DevServerSettings.from_env({"BOT_DEFINITION": str(EXAMPLE.parent)}, port=0)


def test_a_missing_bot_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the bot definition"):
        DevServerSettings.from_env({"BOT_DEFINITION": str(tmp_path / "nope.json")}, port=0)


def test_the_code_hook_gets_the_bot_file_its_handlers_and_chat_its_memory_bound() -> None:
    settings = DevServerSettings.from_env({"BOT_DEFINITION": str(EXAMPLE)}, port=0)

    env = lambda_env.lambda_environment(settings, {"LLM_HISTORY_MESSAGES": "4"})

    assert env["BOT_DEFINITION_FILE"] == str(EXAMPLE)
    assert env["INTENT_HANDLERS_DIR"] == str(EXAMPLE.parent / "handlers")
    assert env["CHAT_HISTORY_MESSAGES"] == "4"
    assert lambda_env.lambda_environment(settings, {})["CHAT_HISTORY_MESSAGES"] == "10"
