"""What the fallback and the answer worker build once per container (`lambda_chatgpt.container`):
one build however many threads ask first, nothing kept when the build fails, and the LLM parts
with the logger's level taken from the environment."""

from __future__ import annotations

import logging
import threading
import time

import pytest
from aws_lambda_powertools.logging.logger import Logger

from lambda_chatgpt.container import Lazy, build_llm
from lambda_chatgpt.settings import SettingsError


def test_many_threads_asking_at_once_share_one_build() -> None:
    builds: list[int] = []

    def build() -> object:
        builds.append(1)
        time.sleep(0.05)  # slow enough that every thread arrives while the first one builds
        return object()

    lazy: Lazy[object] = Lazy(build)
    start = threading.Barrier(8)
    got: list[object] = []

    def ask() -> None:
        start.wait()
        got.append(lazy.get())

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1
    assert len(got) == 8
    assert all(value is got[0] for value in got)


def test_a_failed_build_is_not_kept_and_reset_builds_again() -> None:
    attempts: list[int] = []

    def build() -> int:
        attempts.append(1)
        if len(attempts) == 1:
            raise SettingsError("invalid configuration: LLM_MAX_TOKENS")
        return len(attempts)

    lazy: Lazy[int] = Lazy(build)
    with pytest.raises(SettingsError):
        lazy.get()
    assert lazy.get() == 2
    assert lazy.get() == 2
    lazy.reset()
    assert lazy.get() == 3


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
