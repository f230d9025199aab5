"""What the fallback and the answer worker build once per container (`lambda_chatgpt.container`):
the LLM parts, with the logger's level taken from the environment, and a bad variable named."""

from __future__ import annotations

import logging

import pytest
from aws_lambda_powertools.logging.logger import Logger

from lambda_chatgpt.container import build_llm
from lambda_chatgpt.settings import SettingsError


def test_build_llm_takes_settings_budgets_and_log_level_from_the_environment() -> None:
    environ = {
        "LLM_MODEL": "local-model",
        "LLM_BASE_URL": "http://127.0.0.1:9/v1",
        "LLM_TOKENS_PER_CONVERSATION": "700",
        "LOG_LEVEL": "debug",
    }
    logger = Logger(service="container-test-debug", level="INFO")
    parts = build_llm(environ, logger)
    assert parts.settings.model == "local-model"
    assert parts.provider.model == "local-model"
    assert parts.budget.limits.per_conversation == 700
    assert logger.log_level == logging.DEBUG


def test_build_llm_warns_about_a_log_level_that_is_not_one(caplog: pytest.LogCaptureFixture) -> None:
    logger = Logger(service="container-test-bad-level", level="INFO")
    with caplog.at_level(logging.WARNING, logger="container-test-bad-level"):
        build_llm({"LOG_LEVEL": "chatty"}, logger)
    assert logger.log_level == logging.INFO
    assert [r.getMessage() for r in caplog.records] == ["LOG_LEVEL is not a log level; using INFO"]


def test_build_llm_names_a_bad_variable() -> None:
    with pytest.raises(SettingsError, match="LLM_MAX_TOKENS"):
        build_llm({"LLM_MAX_TOKENS": "lots"}, Logger(service="container-test"))
