"""The fallback's settings and the key holders: defaults, validation, and no key in any repr."""

from __future__ import annotations

import pytest

from lambda_chatgpt.api_key import PLACEHOLDER, StaticKey, key_from_secret_value
from lambda_chatgpt.llm import LlmNotConfiguredError
from lambda_chatgpt.settings import DEFAULT_MODELS, DEFAULT_SYSTEM_PROMPT, Settings, SettingsError
from lambda_chatgpt.wiring import NoProvider, build_provider


def test_defaults() -> None:
    settings = Settings.from_env({})
    assert settings.provider == "openai"
    assert settings.model == DEFAULT_MODELS["openai"]
    assert settings.base_url == "https://api.openai.com/v1"
    assert not settings.base_url_explicit
    assert (settings.max_tokens, settings.deadline_seconds, settings.history_messages) == (512, 20.0, 10)
    assert settings.secret_ttl_seconds == 300.0
    assert settings.system_prompt == DEFAULT_SYSTEM_PROMPT
    assert settings.secret_name is None


def test_bedrock_gets_its_own_default_model() -> None:
    settings = Settings.from_env({"LLM_PROVIDER": "Bedrock"})
    assert (settings.provider, settings.model) == ("bedrock", DEFAULT_MODELS["bedrock"])


def test_every_problem_is_reported() -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(
            {
                "LLM_PROVIDER": "gemini",
                "LLM_BASE_URL": "ftp://x",
                "LLM_MAX_TOKENS": "lots",
                "LLM_DEADLINE_SECONDS": "90",
                "LLM_HISTORY_MESSAGES": "-1",
                "SECRET_TTL_SECONDS": "x",
            }
        )
    for name in (
        "LLM_PROVIDER",
        "LLM_BASE_URL",
        "LLM_MAX_TOKENS",
        "LLM_DEADLINE_SECONDS",
        "LLM_HISTORY_MESSAGES",
        "SECRET_TTL_SECONDS",
    ):
        assert name in str(caught.value)


def test_the_local_key_is_not_in_the_repr() -> None:
    settings = Settings.from_env({"OPENAI_API_KEY": "sk-very-secret"})
    assert settings.local_api_key == "sk-very-secret"
    assert "sk-very-secret" not in repr(settings)
    assert "sk-very-secret" not in repr(StaticKey("sk-very-secret"))


def test_nothing_configured_locally_means_no_provider() -> None:
    assert isinstance(build_provider(Settings.from_env({})), NoProvider)
    assert not isinstance(
        build_provider(Settings.from_env({"LLM_BASE_URL": "http://127.0.0.1:11434/v1"})), NoProvider
    )
    assert not isinstance(build_provider(Settings.from_env({"OPENAI_API_KEY": "k"})), NoProvider)
    assert not isinstance(build_provider(Settings.from_env({"LLM_SECRET_NAME": "s"})), NoProvider)


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("sk-raw", "sk-raw"),
        ("  sk-raw\n", "sk-raw"),
        ('{"apiKey": "sk-json"}', "sk-json"),
        ('{"apiKey": " sk-json ", "other": 1}', "sk-json"),
    ],
)
def test_secret_values_that_hold_a_key(value: str, key: str) -> None:
    assert key_from_secret_value(value) == key


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "   ",
        PLACEHOLDER,
        f'{{"apiKey": "{PLACEHOLDER}"}}',
        '{"apiKey": ""}',
        '{"key": "sk"}',
        "{broken",
        '{"apiKey": 5}',
    ],
)
def test_secret_values_that_mean_not_configured(value: str | None) -> None:
    with pytest.raises(LlmNotConfiguredError) as caught:
        key_from_secret_value(value)
    if value and len(value) > 3:
        assert value not in str(caught.value) or value == PLACEHOLDER


def test_an_unknown_log_level_means_info_rather_than_a_misconfigured_bot() -> None:
    assert Settings.from_env({"LOG_LEVEL": "chatty"}).log_level == "INFO"
