"""The limits through the whole local stack (dev server -> lambda_lex -> emulator -> code hook): the
token budgets follow the client address the dev server writes (a header the client sends cannot
change it) and a spent one is a notice in the user's language; a rate-limited client gets the
API's 429; the banner says which limits are in force."""

from __future__ import annotations

import http.client
import json
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from devserver.process import DevServerProcess
from tests.fakes.openai_server import FakeOpenAIServer
from tests.integration.devserver.devserver_llm import llm_env

QUESTION = "what is a rainbow made of"  # FallbackIntent in the frozen HelloWorld bot
USAGE_PER_ANSWER = 2  # the fake reports 1 prompt + 1 completion token per answer


@pytest.fixture(scope="module")
def budget_server(fake_llm: FakeOpenAIServer) -> Iterator[DevServerProcess]:
    env = {
        **llm_env(fake_llm),
        "LLM_TOKENS_PER_CLIENT_DAY": str(2 * USAGE_PER_ANSWER),
        "CLIENT_RATE_LIMIT": "3",
    }
    with DevServerProcess(env=env) as process:
        yield process


def post(
    server: DevServerProcess, address: str, body: dict[str, Any], **headers: str
) -> tuple[int, dict[str, str], dict[str, Any]]:
    connection = http.client.HTTPConnection(
        "127.0.0.1", urlsplit(server.url).port, timeout=30, source_address=(address, 0)
    )
    try:
        connection.request(
            "POST", "/chat", body=json.dumps(body), headers={"Content-Type": "application/json", **headers}
        )
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, json.loads(response.read())
    finally:
        connection.close()


def fallback(
    server: DevServerProcess, address: str, locale: str = "en_US", **headers: str
) -> tuple[int, dict[str, Any]]:
    status, _, body = post(
        server, address, {"text": QUESTION, "sessionId": f"s-{uuid.uuid4().hex}", "locale": locale}, **headers
    )
    return status, body


def test_a_clients_daily_budget_spans_its_conversations(
    budget_server: DevServerProcess, llm: FakeOpenAIServer
) -> None:
    answers = [fallback(budget_server, "127.0.0.21")[1] for _ in range(3)]
    assert [a["source"] for a in answers] == ["llm", "llm", "notice"]
    assert "today" in answers[2]["msg"]
    assert len(llm.requests) == 2


def test_the_spent_budget_notice_is_in_korean_for_a_korean_chat(
    budget_server: DevServerProcess, llm: FakeOpenAIServer
) -> None:
    for _ in range(2):
        fallback(budget_server, "127.0.0.22", "ko_KR")
    status, body = fallback(budget_server, "127.0.0.22", "ko_KR")
    assert (status, body["source"]) == (200, "notice")
    assert "내일" in body["msg"]


def test_a_forged_viewer_ip_header_does_not_buy_a_new_budget(
    budget_server: DevServerProcess, llm: FakeOpenAIServer
) -> None:
    fallback(budget_server, "127.0.0.23")
    fallback(budget_server, "127.0.0.23")
    _, body = fallback(budget_server, "127.0.0.23", **{"X-Chatbot-Viewer-Ip": "198.51.100.99"})
    assert body["source"] == "notice"


def test_other_clients_keep_their_budget(budget_server: DevServerProcess, llm: FakeOpenAIServer) -> None:
    for _ in range(3):
        fallback(budget_server, "127.0.0.24")
    assert fallback(budget_server, "127.0.0.25")[1]["source"] == "llm"


def test_over_the_rate_limit_the_answer_is_429_throttled_with_retry_after(
    budget_server: DevServerProcess,
) -> None:
    greeting = {"text": "Hello", "locale": "en_US", "sessionId": "rate-1"}
    answers = [post(budget_server, "127.0.0.26", greeting) for _ in range(4)]
    assert [status for status, _, _ in answers] == [200, 200, 200, 429]
    _, headers, body = answers[3]
    assert int(headers["retry-after"]) >= 1
    assert body["error"]["code"] == "throttled"


def test_the_banner_names_the_limits(budget_server: DevServerProcess) -> None:
    assert "limits:   3 requests per 60 s per client IP" in budget_server.stdout
