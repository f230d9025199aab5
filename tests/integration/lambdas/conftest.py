"""Fixtures for the Lambda handler integration tests: an offline AWS environment, each handler with a
fresh container, and the handlers' structured log output (helpers live in lambda_support.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import lambda_chatgpt.handler as fallback_handler
import lambda_lex.handler as chat_handler
from tests.aws_offline import offline_aws_env
from tests.fakes.openai_server import FakeOpenAIServer
from tests.integration.lambdas.lambda_support import LogCapture


@pytest.fixture
def aws_offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Dummy credentials and a region; no profile, config file or instance metadata is ever consulted."""
    offline_aws_env(monkeypatch, tmp_path)


@pytest.fixture
def chat_env(monkeypatch: pytest.MonkeyPatch, aws_offline: None) -> Iterator[None]:
    """The /chat Lambda's variables; its per-container state is rebuilt for each test."""
    monkeypatch.setenv("BOT_ID", "ABCDEFGHIJ")
    monkeypatch.setenv("BOT_ALIAS_ID", "LIVEALIAS1")
    monkeypatch.setenv("BOT_LOCALES", "ko_KR,en_US")
    monkeypatch.setenv("DEFAULT_LOCALE", "ko_KR")
    monkeypatch.delenv("LOG_USER_TEXT", raising=False)
    monkeypatch.delenv("LEX_READ_TIMEOUT_SECONDS", raising=False)
    chat_handler.reset_container()
    yield
    chat_handler.reset_container()


@pytest.fixture
def fallback_env(monkeypatch: pytest.MonkeyPatch, aws_offline: None) -> Iterator[None]:
    """No LLM variables set (each test sets its own); per-container state rebuilt for each test."""
    for name in (
        "LLM_PROVIDER",
        "LLM_MODEL",
        "LLM_BASE_URL",
        "LLM_SECRET_NAME",
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "LLM_MAX_TOKENS",
        "LLM_DEADLINE_SECONDS",
        "LLM_HISTORY_MESSAGES",
        "LLM_SYSTEM_PROMPT",
        "SECRET_TTL_SECONDS",
        "LOG_LEVEL",
    ):
        monkeypatch.delenv(name, raising=False)
    fallback_handler.reset_container()
    yield
    fallback_handler.reset_container()


def _capture(logger: object) -> Iterator[LogCapture]:
    handler = logger.registered_handler  # type: ignore[attr-defined]
    capture = LogCapture()
    previous = handler.setStream(capture.stream)
    try:
        yield capture
    finally:
        handler.setStream(previous)


@pytest.fixture
def chat_logs() -> Iterator[LogCapture]:
    """The /chat handler's JSON log lines (what CloudWatch would get)."""
    yield from _capture(chat_handler.logger)


@pytest.fixture
def fallback_logs() -> Iterator[LogCapture]:
    """The fallback handler's JSON log lines."""
    yield from _capture(fallback_handler.logger)


@pytest.fixture(scope="module")
def llm_server() -> Iterator[FakeOpenAIServer]:
    """A fake chat-completions server on 127.0.0.1, one per test module."""
    with FakeOpenAIServer() as server:
        yield server


@pytest.fixture
def fake_llm(llm_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch) -> FakeOpenAIServer:
    """The module's fake server, reset, with the fallback's LLM_BASE_URL aimed at it."""
    llm_server.reset()
    monkeypatch.setenv("LLM_BASE_URL", llm_server.base_url)
    return llm_server
