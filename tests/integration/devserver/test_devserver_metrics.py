"""GET /metrics on the dev server: the figures the handlers' metrics add up to, after real turns.

The dev server runs as a child process with the fake OpenAI server as its LLM; the turns go through
lambda_lex -> emulator -> code hook -> fake LLM, and each handler's EMF records reach the dev server's
store through the metrics modules' sink (no log text is parsed).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from devserver.process import DevServerProcess
from tests.fakes.openai_server import Behaviour, FakeOpenAIServer
from tests.integration.devserver.devserver_llm import FAKE_MODEL, llm_env

PROMPT_TOKENS = 37
ANSWER_TOKENS = 11


@pytest.fixture(scope="module")
def metered() -> Iterator[tuple[DevServerProcess, FakeOpenAIServer, dict[str, Any]]]:
    """A dev server that has answered: a greeting (Lex), a question the LLM answers, a question
    the LLM fails (401), and a request without text; and its /metrics afterwards."""
    with FakeOpenAIServer(reply="Paris is the capital of France.") as llm:
        llm.usage = (PROMPT_TOKENS, ANSWER_TOKENS)
        with DevServerProcess(env=llm_env(llm), args=("--quiet", "--metrics-every", "3")) as server:
            with requests.Session() as http:
                turns = [
                    ({"text": "Hello", "sessionId": "metrics-1", "locale": "en_US"}, 200, "lex"),
                    (
                        {"text": "Which city is the capital of France?", "sessionId": "metrics-2"},
                        200,
                        "llm",
                    ),
                ]
                for payload, status, source in turns:
                    response = http.post(server.url + "/chat", json=payload, timeout=30)
                    assert (response.status_code, response.json()["source"]) == (status, source)
                llm.script(Behaviour.http_error(401, "bad key"))
                response = http.post(
                    server.url + "/chat",
                    json={"text": "Tell me about volcanoes", "sessionId": "metrics-3", "locale": "en_US"},
                    timeout=30,
                )
                assert response.json()["source"] == "notice"
                assert (
                    http.post(server.url + "/chat", json={"sessionId": "metrics-4"}, timeout=30).status_code
                    == 400
                )
                figures = http.get(server.url + "/metrics", timeout=10)
                assert figures.status_code == 200
                assert figures.headers["Content-Type"] == "application/json"
                text = http.get(server.url + "/metrics?format=text", timeout=10)
                snapshot = {
                    "json": figures.json(),
                    "text": text.text,
                    "text_type": text.headers["Content-Type"],
                }
            server.stop()
            yield server, llm, snapshot


def summary(metered: tuple[DevServerProcess, FakeOpenAIServer, dict[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = metered[2]["json"]["summary"]
    return result


def series(
    metered: tuple[DevServerProcess, FakeOpenAIServer, dict[str, Any]], name: str, **dimensions: str
) -> dict[str, Any]:
    [row] = [
        row
        for row in metered[2]["json"]["metrics"]
        if row["name"] == name and row["dimensions"] == dimensions
    ]
    return dict(row)


def test_turns_are_counted_by_who_answered(metered: Any) -> None:
    assert summary(metered)["turns_by_source"] == {"lex": 1, "llm": 1, "notice": 1}


def test_turns_are_counted_by_locale(metered: Any) -> None:
    # The question without a locale goes to the bot's default locale (ko_KR).
    assert summary(metered)["turns_by_locale"] == {"en_US": 2, "ko_KR": 1}


def test_the_fallback_rate_is_fallback_turns_over_turns(metered: Any) -> None:
    assert (summary(metered)["fallback_turns"], summary(metered)["fallback_rate"]) == (2, round(2 / 3, 4))


def test_llm_calls_are_counted_by_outcome(metered: Any) -> None:
    assert summary(metered)["llm_calls_by_outcome"] == {"answered": 1, "failed": 1}


def test_tokens_come_from_the_providers_usage_fields(metered: Any) -> None:
    assert summary(metered)["tokens"] == {"input": PROMPT_TOKENS, "output": ANSWER_TOKENS}


def test_token_usage_follows_the_gen_ai_conventions(metered: Any) -> None:
    row = series(
        metered,
        "gen_ai.client.token.usage",
        **{
            "service": "code-hook",
            "gen_ai.system": "openai",
            "gen_ai.request.model": FAKE_MODEL,
            "gen_ai.token.type": "output",
        },
    )
    assert (row["unit"], row["count"], row["sum"]) == ("Count", 1, ANSWER_TOKENS)


def test_llm_latency_is_recorded_for_every_call(metered: Any) -> None:
    row = series(
        metered,
        "gen_ai.client.operation.duration",
        **{"service": "code-hook", "gen_ai.system": "openai", "gen_ai.request.model": FAKE_MODEL},
    )
    assert (row["unit"], row["count"]) == ("Seconds", 2)


def test_time_to_first_token_is_the_latency_of_the_answered_call(metered: Any) -> None:
    dims = {
        "service": "code-hook",
        "gen_ai.system": "openai",
        "gen_ai.request.model": FAKE_MODEL,
        "outcome": "answered",
    }
    ttft = series(metered, "chatbot.llm.time_to_first_token", **dims)
    duration = series(metered, "gen_ai.client.operation.duration", **dims)
    assert ttft["sum"] == duration["sum"]


def test_error_answers_are_counted_by_code(metered: Any) -> None:
    assert summary(metered)["chat_errors_by_type"] == {"missing_text": 1}


def test_the_text_page_summarises_the_same_figures(metered: Any) -> None:
    assert metered[2]["text_type"].startswith("text/plain")
    assert "metrics: 3 turns (lex 1, llm 1, notice 1), fallback 67%" in metered[2]["text"]


def test_a_summary_line_is_printed_every_n_turns_and_at_shutdown(metered: Any) -> None:
    lines = [line for line in metered[0].stdout.splitlines() if line.startswith("metrics: ")]
    assert len(lines) == 2
    assert all(line.startswith("metrics: 3 turns") for line in lines)


def test_no_metrics_record_reaches_the_dev_servers_output(metered: Any) -> None:
    assert '"_aws"' not in metered[0].stdout + metered[0].stderr
