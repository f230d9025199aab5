"""Nothing secret or private reaches the logs: not the API key, not the Authorization header, not the
user's text, not the event. Every log line is checked, across success and failure paths."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

import lambda_chatgpt.handler as fallback_handler
from tests.fakes.openai_server import Behaviour, FakeOpenAIServer
from tests.integration.lambdas.codehook_contract import assert_fallback_close
from tests.integration.lambdas.lambda_support import FakeLambdaContext, LogCapture, load_event

pytestmark = pytest.mark.usefixtures("fallback_env")
KEY = "sk-LEAKCHECK-7f3a9b2c4d5e6f708192a3b4"
PRIVATE = "my private question about my medical history"


@pytest.fixture
def llm() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer(reply="a harmless answer") as server:
        yield server


def run_turns(llm: FakeOpenAIServer) -> None:
    llm.script(
        Behaviour.ok(),
        Behaviour.rate_limited(retry_after=0.01),
        Behaviour.server_error(),
        Behaviour.ok(),
        Behaviour.http_error(401, f"Incorrect API key provided: {KEY}"),
        Behaviour.malformed(),
        Behaviour.drop(),
        Behaviour.ok(),
    )
    for _ in range(5):
        event = load_event("lex_codehook_fallback_en_US.json")
        event["inputTranscript"] = PRIVATE
        assert_fallback_close(fallback_handler.handler(event, FakeLambdaContext(25_000)))


def assert_clean(*outputs: str) -> None:
    for output in outputs:
        assert KEY not in output
        assert KEY[:12] not in output
        assert PRIVATE not in output
        assert "5d2b8e10-aa41-4c0b-9f3e-abcdef012345" not in output  # the event's originatingRequestId


@pytest.mark.parametrize("source", ["environment", "secret"])
def test_no_key_header_text_or_event_in_any_log(
    llm: FakeOpenAIServer,
    source: str,
    monkeypatch: pytest.MonkeyPatch,
    fallback_logs: LogCapture,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("LOG_LEVEL", "DEBUG")
    monkeypatch.setenv("LLM_BASE_URL", llm.base_url)
    if source == "environment":
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        run_turns(llm)
    else:
        monkeypatch.setenv("LLM_SECRET_NAME", "LlmKey-abcdef")
        with mock_aws():
            boto3.client("secretsmanager").create_secret(Name="LlmKey-abcdef", SecretString=KEY)
            run_turns(llm)
    captured = capsys.readouterr()
    assert len(fallback_logs.lines()) >= 5
    assert "Authorization" not in fallback_logs.text()
    assert "Bearer" not in fallback_logs.text() + captured.out + captured.err + caplog.text
    assert_clean(fallback_logs.text(), captured.out, captured.err, caplog.text)
    assert any(line.get("outcome") == "auth_failed" for line in fallback_logs.lines())
    assert all(llm_request.had_authorization for llm_request in llm.requests)
