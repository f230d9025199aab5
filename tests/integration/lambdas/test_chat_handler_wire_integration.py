"""POST /chat against a fake Lex on real HTTP (through AWS_ENDPOINT_URL_LEX_RUNTIME_V2, as in local
mode): timeouts, dropped connections and refused connections, and which of them are retried."""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

import lambda_lex.handler as chat_handler
from tests.integration.lambdas.fake_lex_server import FakeLexServer, LexBehaviour
from tests.integration.lambdas.lambda_support import FakeLambdaContext, LogCapture

pytestmark = pytest.mark.usefixtures("chat_env")


@pytest.fixture
def lex(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeLexServer]:
    with FakeLexServer() as server:
        monkeypatch.setenv("AWS_ENDPOINT_URL_LEX_RUNTIME_V2", server.url)
        monkeypatch.setenv("LEX_READ_TIMEOUT_SECONDS", "0.5")
        chat_handler.reset_container()
        yield server


def post(text: str = "hi", **fields: str) -> tuple[int, dict[str, Any], dict[str, str]]:
    event = {
        "httpMethod": "POST",
        "path": "/chat",
        "headers": {"content-type": "application/json"},
        "body": json.dumps({"text": text, **fields}),
        "isBase64Encoded": False,
    }
    response = chat_handler.handler(event, FakeLambdaContext())
    return response["statusCode"], json.loads(response["body"]), response["headers"]


def test_the_turn_reaches_lex_on_the_documented_path(lex: FakeLexServer) -> None:
    lex.script(LexBehaviour.ok("one", "two", intent="HelloWorld"))
    status, body, _ = post("  안녕  ", sessionId="sess-1", locale="ko_KR")
    assert status == 200
    assert (body["msg"], body["intent"], body["source"]) == ("one\n\ntwo", "HelloWorld", "lex")
    [request] = lex.requests
    assert (request.bot_id, request.alias_id, request.locale, request.session_id) == (
        "ABCDEFGHIJ",
        "LIVEALIAS1",
        "ko_KR",
        "sess-1",
    )
    assert set(request.body) == {"text", "requestAttributes"}
    assert request.body["text"] == "안녕"
    turn = request.body["requestAttributes"]["x-chatbot-turn"]
    assert re.fullmatch(r"[0-9a-f]{32}", turn)


def test_a_turn_lex_answered_is_written_back_with_put_session(lex: FakeLexServer) -> None:
    lex.script(LexBehaviour.ok("My name is Lex. What is your name?", intent="HelloWorld"))
    status, body, _ = post("Hello", sessionId="sess-2", locale="en_US")
    assert (status, body["source"]) == (200, "lex")
    [written] = lex.put_sessions
    assert (written.locale, written.session_id) == ("en_US", "sess-2")
    state = written.body["sessionState"]
    assert state["intent"]["name"] == "HelloWorld"
    assert state["dialogAction"] == {"type": "Close"}
    memory = json.loads(state["sessionAttributes"]["llmHistory"])
    assert memory["messages"] == [
        {"role": "user", "content": "Hello"},
        {"role": "assistant", "content": "My name is Lex. What is your name?"},
    ]


def test_turns_reuse_their_connections_put_session_included(lex: FakeLexServer) -> None:
    # PutSession's answer is an (empty, for text) audio stream that botocore hands over unread: left
    # unread it would keep its connection, and every write-back would open a new one.
    for number in range(4):
        status, body, _ = post("Hello", sessionId=f"sess-reuse-{number}", locale="en_US")
        assert (status, body["source"]) == (200, "lex")
    assert len(lex.requests) == len(lex.put_sessions) == 4
    assert lex.connections == 2, "one keep-alive connection per client (RecognizeText, PutSession)"


def test_sixteen_turns_at_once_keep_their_connections_for_the_next_sixteen(
    lex: FakeLexServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Local mode runs the handler in many threads at once over one client: a pool smaller than the
    # concurrency would drop the extra connections after each call and open new ones next time.
    monkeypatch.setenv("LEX_READ_TIMEOUT_SECONDS", "10")  # a loaded machine must not time a turn out
    chat_handler.reset_container()
    lex.default = LexBehaviour(kind="ok", delay=0.15, intent="HelloWorld")

    def round_of(count: int, round_number: int) -> None:
        with ThreadPoolExecutor(max_workers=count) as pool:
            sessions = [f"sess-pool-{round_number}-{n}" for n in range(count)]
            results = list(pool.map(lambda session: post("Hello", sessionId=session), sessions))
        assert all(status == 200 for status, _, _ in results)

    round_of(16, 1)
    opened = lex.recognize_text_connections
    round_of(16, 2)
    assert len(lex.requests) == 32
    assert opened <= 16
    assert lex.recognize_text_connections == opened, "the second round reuses the first round's connections"


def test_a_slow_lex_is_a_504_and_is_not_asked_twice(lex: FakeLexServer) -> None:
    lex.script(LexBehaviour.slow(2.0))
    status, body, _ = post()
    assert (status, body["error"]["code"]) == (504, "upstream_timeout")
    assert len(lex.requests) == 1


def test_a_dropped_connection_is_a_502_and_is_not_asked_twice(lex: FakeLexServer) -> None:
    lex.script(LexBehaviour.drop())
    status, body, _ = post()
    assert (status, body["error"]["code"]) == (502, "upstream_failed")
    assert len(lex.requests) == 1


def test_a_5xx_from_lex_is_not_retried(lex: FakeLexServer) -> None:
    lex.script(LexBehaviour.error(500, "InternalServerException"), LexBehaviour.ok())
    status, body, _ = post()
    assert (status, body["error"]["code"]) == (502, "upstream_failed")
    assert len(lex.requests) == 1


def test_throttling_on_the_wire_is_retried_once(lex: FakeLexServer) -> None:
    lex.script(LexBehaviour.error(429, "ThrottlingException"), LexBehaviour.ok("after the pause"))
    status, body, _ = post()
    assert (status, body["msg"]) == (200, "after the pause")
    assert len(lex.requests) == 2


def test_throttling_twice_on_the_wire_is_429_with_lexs_retry_after(lex: FakeLexServer) -> None:
    throttled = LexBehaviour.error(429, "ThrottlingException", **{"Retry-After": "4"})
    lex.script(throttled, throttled)
    status, body, headers = post()
    assert (status, body["error"]["code"], headers["Retry-After"]) == (429, "throttled", "4")


def test_a_busy_session_on_the_wire_is_409(lex: FakeLexServer) -> None:
    lex.script(LexBehaviour.error(409, "ConflictException"))
    status, body, _ = post()
    assert (status, body["error"]["code"]) == (409, "session_busy")


def test_nothing_listening_is_a_502_logged_as_an_error(
    monkeypatch: pytest.MonkeyPatch, chat_logs: LogCapture
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    monkeypatch.setenv("AWS_ENDPOINT_URL_LEX_RUNTIME_V2", f"http://127.0.0.1:{closed_port}")
    chat_handler.reset_container()
    status, body, _ = post()
    assert (status, body["error"]["code"]) == (502, "upstream_failed")
    [line] = [line for line in chat_logs.lines() if line["message"] == "Lex call failed"]
    assert (line["level"], line["lex_error"]) == ("ERROR", "EndpointConnectionError")


def test_user_text_stays_out_of_every_log_even_at_debug(
    lex: FakeLexServer,
    chat_logs: LogCapture,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level("DEBUG")
    lex.script(LexBehaviour.ok("fine"))
    status, _, _ = post("a very private sentence")
    assert status == 200
    captured = capsys.readouterr()
    for output in (chat_logs.text(), caplog.text, captured.out, captured.err):
        assert "a very private sentence" not in output
    assert "chat turn" in chat_logs.text()
