"""The /chat Lambda's settings: read from the environment, every problem named at once."""

from __future__ import annotations

import pytest

from lambda_lex.settings import DEFAULT_READ_TIMEOUT_SECONDS, Settings, SettingsError

GOOD = {"BOT_ID": "ABCDEFGHIJ", "BOT_ALIAS_ID": "TSTALIASID", "BOT_LOCALES": "ko_KR, en_US"}


def test_a_minimal_environment_gives_sensible_defaults() -> None:
    settings = Settings.from_env(GOOD)
    assert settings.locales == ("ko_KR", "en_US")
    assert settings.default_locale == "ko_KR"
    assert settings.log_user_text is False
    assert settings.log_level == "INFO"
    assert settings.read_timeout_seconds == DEFAULT_READ_TIMEOUT_SECONDS < 29


def test_all_variables_are_read() -> None:
    env = {
        **GOOD,
        "DEFAULT_LOCALE": "en_US",
        "LOG_USER_TEXT": "TRUE",
        "LOG_LEVEL": "debug",
        "LEX_READ_TIMEOUT_SECONDS": "0.5",
    }
    settings = Settings.from_env(env)
    assert (settings.default_locale, settings.log_user_text, settings.log_level) == ("en_US", True, "DEBUG")
    assert settings.read_timeout_seconds == 0.5


def test_every_problem_is_reported_in_one_message() -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(
            {
                "BOT_ALIAS_ID": "short",
                "BOT_LOCALES": "ko_KR,english",
                "LOG_USER_TEXT": "maybe",
                "LEX_READ_TIMEOUT_SECONDS": "60",
            }
        )
    message = str(caught.value)
    for fragment in (
        "BOT_ID is not set",
        "BOT_ALIAS_ID='short'",
        "'english'",
        "LOG_USER_TEXT",
        "LEX_READ_TIMEOUT_SECONDS",
    ):
        assert fragment in message


def test_default_locale_must_be_one_of_the_bot_locales() -> None:
    with pytest.raises(SettingsError, match="DEFAULT_LOCALE='fr_FR'"):
        Settings.from_env({**GOOD, "DEFAULT_LOCALE": "fr_FR"})


def test_missing_locales_are_reported() -> None:
    with pytest.raises(SettingsError, match="BOT_LOCALES is not set"):
        Settings.from_env({**GOOD, "BOT_LOCALES": " , "})


def test_an_unknown_log_level_means_info_rather_than_an_outage() -> None:
    assert Settings.from_env({**GOOD, "LOG_LEVEL": "loud"}).log_level == "INFO"


def test_conversation_memory_length_defaults_to_the_fallbacks_and_may_be_turned_off() -> None:
    assert Settings.from_env(GOOD).history_messages == 10
    assert Settings.from_env({**GOOD, "CHAT_HISTORY_MESSAGES": "0"}).history_messages == 0
    assert Settings.from_env({**GOOD, "CHAT_HISTORY_MESSAGES": " 50 "}).history_messages == 50


@pytest.mark.parametrize("raw", ["-1", "51", "ten", "2.5"])
def test_a_bad_conversation_memory_length_is_named(raw: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({**GOOD, "CHAT_HISTORY_MESSAGES": raw})
    assert f"CHAT_HISTORY_MESSAGES={raw!r}" in str(caught.value)
    assert "0 to 50" in str(caught.value)
