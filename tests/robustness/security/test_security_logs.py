"""Logs keep no secret and no user text (LOG_USER_TEXT is off by default).

A full name dialog in both locales and fallback turns in both, with logging turned all the way up:
1. the real dev server (`python -m devserver` with its access log on and LOG_LEVEL=DEBUG): everything
   the process prints, both handlers' Powertools JSON lines and the access log included;
2. the same chain in this process, where the emulator's own loggers (its access log on) and every
   library logger are captured at DEBUG too, next to both handlers' Powertools output.
The API key, its Authorization header value and every piece of the user's text must appear
nowhere, while the logs themselves must be there (so the test cannot pass on silence).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import uuid
from collections.abc import Iterator
from typing import Any, cast

import pytest
import requests

import lambda_chatgpt.handler as fallback_handler
import lambda_lex.handler as chat_handler
from devserver.process import DevServerProcess
from tests.bots import devserver_env
from tests.robustness.support.llm_fakes import FaultyOpenAIServer
from tests.robustness.support.local_stack import point_chat_handler_at, post_chat, served_emulator

CANARY_KEY = "sk-canary-logs-7d3f0a9b1c2e4d5f6a7b"
ANSWER = "Rivers carry water to the sea."
# Each conversation: (locale, the user's turns); names and questions are distinctive words.
CONVERSATIONS = [
    ("en_US", ["Hello", "Quorvexia", "yes", "Tell me about the zeppelin migration of Vandermoot"]),
    ("ko_KR", ["안녕하세요", "벨라린", "네", "크바르텔 얽힘 이론을 설명해줘"]),
]
SECRET_WORDS = ["Quorvexia", "Vandermoot", "zeppelin migration", "벨라린", "크바르텔"]


def user_texts() -> list[str]:
    return [
        text
        for _, turns in CONVERSATIONS
        for text in turns
        if len(text) > 3 and text not in ("Hello", "안녕하세요")
    ]


def assert_nothing_secret_in(output: str) -> None:
    for needle in (CANARY_KEY, f"Bearer {CANARY_KEY}", CANARY_KEY[3:], *user_texts(), *SECRET_WORDS):
        assert needle not in output, f"{needle!r} is in the logs"


def converse(post: object) -> None:
    """Both conversations through `post(payload) -> (status, body)`; checks the dialog went as planned."""
    for locale, turns in CONVERSATIONS:
        session = f"logs-{uuid.uuid4()}"
        bodies = [post({"text": text, "sessionId": session, "locale": locale}) for text in turns]  # type: ignore[operator]
        assert [body["dialogAction"] for body in bodies] == ["ElicitSlot", "ConfirmIntent", "Close", "Close"]
        assert bodies[1]["msg"].count(turns[1]) == 1  # the name really went through the dialog
        assert bodies[3]["source"] == "llm"
        assert bodies[3]["msg"] == ANSWER


@pytest.fixture(scope="module")
def llm() -> Iterator[FaultyOpenAIServer]:
    with FaultyOpenAIServer(reply=ANSWER) as server:
        yield server


def test_the_dev_servers_output_at_debug_has_no_key_and_no_user_text(llm: FaultyOpenAIServer) -> None:
    llm.reset()
    env = {
        "OPENAI_BASE_URL": llm.base_url,
        "OPENAI_API_KEY": CANARY_KEY,
        "LLM_MODEL": "fake",
        "LOG_LEVEL": "DEBUG",
    }
    with DevServerProcess(env=devserver_env(env), args=()) as server:

        def post(payload: dict[str, str]) -> dict[str, object]:
            response = requests.post(server.url + "/chat", json=payload, timeout=30)
            assert response.status_code == 200, response.text
            body: dict[str, object] = response.json()
            return body

        converse(post)
    output = server.stdout + server.stderr
    lines = [json.loads(line) for line in server.stdout.splitlines() if line.startswith("{")]
    logged = {(line["service"], line["message"]) for line in lines}
    assert {("chat-api", "chat turn"), ("llm-fallback", "fallback turn")} <= logged
    assert sum(line["message"] == "chat turn" for line in lines) == 8  # one line per turn
    assert server.stderr.count("POST /chat 200") == 8  # the access log
    assert_nothing_secret_in(output)
    sent = {request.authorization_sha256 for request in llm.requests}
    assert sent == {hashlib.sha256(f"Bearer {CANARY_KEY}".encode()).hexdigest()}  # the key was in use


@pytest.fixture
def powertools_output() -> Iterator[io.StringIO]:
    """Both handlers' Powertools loggers write here instead of stdout."""
    stream = io.StringIO()
    handlers = [
        cast("logging.StreamHandler[Any]", logger.registered_handler)
        for logger in (chat_handler.logger, fallback_handler.logger)
    ]
    previous = [handler.setStream(stream) for handler in handlers]
    yield stream
    for handler, old in zip(handlers, previous, strict=True):
        handler.setStream(old)


def test_every_logger_in_the_chain_at_debug_has_no_key_and_no_user_text(
    llm: FaultyOpenAIServer,
    offline: None,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    powertools_output: io.StringIO,
) -> None:
    llm.reset()
    for name in ("LLM_SECRET_NAME", "LLM_PROVIDER", "OPENAI_BASE_URL", "LLM_DEADLINE_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LLM_BASE_URL", llm.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", CANARY_KEY)
    monkeypatch.setenv("LLM_MODEL", "fake")
    caplog.set_level(logging.DEBUG)
    with served_emulator(hook="lambda_chatgpt.handler:handler") as (emulator, _):
        running = emulator.serve(host="127.0.0.1", port=0, access_log=True)
        try:
            point_chat_handler_at(monkeypatch, running.url, LOG_LEVEL="DEBUG")

            def post(payload: dict[str, str]) -> dict[str, object]:
                answer = post_chat(payload)
                assert answer.status == 200, answer.body
                return answer.body

            converse(post)
        finally:
            running.shutdown()
    library_logs = "\n".join(
        f"{record.name} {record.getMessage()} {record.exc_text or ''}" for record in caplog.records
    )
    handler_logs = powertools_output.getvalue()
    assert "lex_emulator.http" in library_logs  # the emulator's access log
    assert "/sessions/logs-" in library_logs
    assert '"fallback turn"' in handler_logs
    assert '"chat turn"' in handler_logs
    assert_nothing_secret_in(library_logs)
    assert_nothing_secret_in(handler_logs)
