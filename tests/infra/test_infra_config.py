"""cdk context: cdk.json's defaults are valid, and every bad value gets an error naming its key."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cdk_chatbot.app_factory import PROJECT_ROOT
from cdk_chatbot.config import MAX_LLM_DEADLINE_SECONDS, ChatbotConfig, ConfigError

CDK_JSON = json.loads((PROJECT_ROOT / "cdk.json").read_text())


def _context(**overrides: Any) -> dict[str, Any]:
    return {**CDK_JSON["context"], **overrides}


def test_cdk_json_runs_the_venv_python_quietly() -> None:
    assert CDK_JSON["app"].startswith(".venv/bin/python app.py")
    assert CDK_JSON["cli-telemetry"] is False
    assert CDK_JSON["notices"] is False
    assert CDK_JSON["versionReporting"] is False


def test_defaults_in_cdk_json() -> None:
    config = ChatbotConfig.from_mapping(_context())
    assert config.default_locale == "ko_KR"
    assert config.llm_provider == "openai"
    assert config.llm_base_url == "https://api.openai.com/v1"
    assert config.llm_deadline_seconds == 20
    assert config.bundle is True
    assert config.fallback_timeout_seconds < config.chat_timeout_seconds <= 29


def test_command_line_strings_are_accepted() -> None:
    config = ChatbotConfig.from_mapping(
        _context(throttleRateLimit="2.5", throttleBurstLimit="7", logUserText="true", bundle="false")
    )
    assert config.throttle_rate_limit == 2.5
    assert config.throttle_burst_limit == 7
    assert config.log_user_text is True
    assert config.bundle is False


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("llmProvider", "azure", "must be one of openai, bedrock"),
        ("llmModel", "", "non-empty string"),
        ("llmModel", "gpt 4", "must be a model id"),
        ("llmBaseUrl", "http://api.openai.com/v1", "https:// URL"),
        ("defaultLocale", "korean", "Lex locale id"),
        ("throttleRateLimit", "fast", "must be a number"),
        ("throttleRateLimit", 0, "greater than 0"),
        ("throttleBurstLimit", 2.5, "must be an integer"),
        ("throttleBurstLimit", 0, "between 1 and"),
        ("llmDeadlineSeconds", MAX_LLM_DEADLINE_SECONDS + 1, f"between 1 and {MAX_LLM_DEADLINE_SECONDS}"),
        ("logRetentionDays", 10, "must be one of 1, 3, 5, 7, 14"),
        ("logLevel", "LOUD", "must be one of DEBUG"),
        ("bundle", "yes", "true or false"),
        ("stackName", "1stack", "CloudFormation stack name"),
        ("lambdaMemoryMb", True, "must be an integer"),
        ("llmMaxTokens", None, "is missing"),
    ],
)
def test_bad_values_name_their_key(key: str, value: Any, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected) as caught:
        ChatbotConfig.from_mapping(_context(**{key: value}))
    assert repr(key) in str(caught.value)


def test_default_locale_must_be_a_locale_of_the_bot() -> None:
    from aws_cdk import App

    from cdk_chatbot.app_factory import add_chatbot

    app = App(context=_context(defaultLocale="ja_JP", bundle=False))
    with pytest.raises(ConfigError, match="'defaultLocale' is 'ja_JP', but the bot only has ko_KR, en_US"):
        add_chatbot(app)
