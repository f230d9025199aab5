"""The local chatbot assembled in this process: a served Lex emulator, lambda_lex's handler pointed at
it through AWS_ENDPOINT_URL_LEX_RUNTIME_V2, and API Gateway proxy events built the way the dev
server builds them (`devserver.apigw.proxy_event`), so a case behaves the same here and there.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import lambda_chatgpt.handler as fallback_handler
import lambda_lex.handler as chat_handler
from devserver.apigw import LambdaContext, proxy_event
from lex_emulator import BotDeployment, LexEmulator, RunningEmulator
from tests.bots import HELLO_WORLD

BOT_JSON = HELLO_WORLD  # the frozen HelloWorld (tests/bots), not the user's bot/bot.json
BOT_ID = "LOCALBOT01"
ALIAS_ID = "LOCALALIAS"
LOCALES = ("ko_KR", "en_US")
STUB_ANSWER = "stub fallback answer"

Hook = Callable[[dict[str, Any], Any], Any]


def stub_hook(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """A fallback code hook that always closes with one fixed message (no LLM involved)."""
    return {
        "sessionState": {
            "dialogAction": {"type": "Close"},
            "intent": {"name": event["sessionState"]["intent"]["name"], "state": "Fulfilled"},
            "sessionAttributes": event["sessionState"].get("sessionAttributes") or {},
        },
        "messages": [{"contentType": "PlainText", "content": STUB_ANSWER}],
    }


@contextmanager
def served_emulator(
    *, hook: Hook | str | None = stub_hook, definition: Path = BOT_JSON, **options: Any
) -> Iterator[tuple[LexEmulator, RunningEmulator]]:
    emulator = LexEmulator(**options)
    emulator.add_bot(
        BotDeployment(
            bot_id=BOT_ID,
            alias_id=ALIAS_ID,
            alias_name="live",
            bot_name="HelloWorldBot",
            definition_path=definition,
            code_hook=hook,
        )
    )
    running = emulator.serve(host="127.0.0.1", port=0)
    try:
        yield emulator, running
    finally:
        running.shutdown()


def point_chat_handler_at(monkeypatch: pytest.MonkeyPatch, lex_url: str, **extra: str) -> None:
    """lambda_lex's environment for the local bot, its Lex client aimed at `lex_url`; fresh container."""
    monkeypatch.setenv("BOT_ID", BOT_ID)
    monkeypatch.setenv("BOT_ALIAS_ID", ALIAS_ID)
    monkeypatch.setenv("BOT_LOCALES", ",".join(LOCALES))
    monkeypatch.setenv("DEFAULT_LOCALE", LOCALES[0])
    monkeypatch.setenv("AWS_ENDPOINT_URL_LEX_RUNTIME_V2", lex_url)
    for name in ("LOG_USER_TEXT", "LEX_READ_TIMEOUT_SECONDS", "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in extra.items():
        monkeypatch.setenv(name, value)
    chat_handler.reset_container()
    fallback_handler.reset_container()


@dataclass
class ChatAnswer:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]

    @property
    def code(self) -> str | None:
        error = self.body.get("error")
        return error.get("code") if isinstance(error, dict) else None


def chat_event(
    body: bytes, headers: Sequence[tuple[str, str]] = (("Content-Type", "application/json"),)
) -> dict[str, Any]:
    """The proxy event for `POST /chat` with this body, as the dev server (and API Gateway) sends it."""
    return proxy_event(
        method="POST",
        path="/chat",
        query={},
        headers=[("Host", "127.0.0.1"), *headers],
        body=body,
        source_ip="127.0.0.1",
        host="127.0.0.1",
    )


def call_handler(event: Any) -> ChatAnswer:
    response = chat_handler.handler(event, LambdaContext())
    assert isinstance(response, dict), response
    return ChatAnswer(response["statusCode"], json.loads(response["body"]), response["headers"])


def post_chat(payload: dict[str, Any] | bytes, **headers: str) -> ChatAnswer:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    pairs = tuple(headers.items()) or (("Content-Type", "application/json"),)
    return call_handler(chat_event(body, pairs))
