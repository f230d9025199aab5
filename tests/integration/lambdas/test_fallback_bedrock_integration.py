"""The fallback with Amazon Bedrock's Converse API (real bedrock-runtime client, botocore Stubber):
success, throttling retried under the deadline, errors turned into friendly messages."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import ANY, Stubber

import lambda_chatgpt.handler as fallback_handler
import lambda_chatgpt.wiring as wiring
from lambda_chatgpt.bedrock_provider import BedrockConverseProvider
from lambda_chatgpt.texts import say
from tests.integration.lambdas.codehook_contract import assert_fallback_close, texts
from tests.integration.lambdas.lambda_support import FakeLambdaContext, load_event

pytestmark = pytest.mark.usefixtures("fallback_env")
MODEL = "amazon.nova-lite-v1:0"


@pytest.fixture
def bedrock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Stubber]:
    client = boto3.client("bedrock-runtime")
    factories: list[float] = []

    def factory(read_timeout: float):
        factories.append(read_timeout)
        return client

    monkeypatch.setenv("LLM_PROVIDER", "bedrock")
    monkeypatch.setenv("LLM_MAX_TOKENS", "256")
    monkeypatch.setattr(
        wiring, "BedrockConverseProvider", functools.partial(BedrockConverseProvider, client_factory=factory)
    )
    fallback_handler.reset_container()
    with Stubber(client) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()
    assert factories
    assert all(0 < timeout <= 20 for timeout in factories)


def answer(text: str) -> dict[str, Any]:
    return {
        "output": {"message": {"role": "assistant", "content": [{"text": text}]}},
        "stopReason": "end_turn",
        "usage": {"inputTokens": 10, "outputTokens": 5, "totalTokens": 15},
        "metrics": {"latencyMs": 120},
    }


def turn(locale: str = "ko_KR", attributes: dict[str, Any] | None = None) -> dict[str, Any]:
    event = load_event(f"lex_codehook_fallback_{locale}.json")
    if attributes is not None:
        event["sessionState"]["sessionAttributes"] = attributes
    response = fallback_handler.handler(event, FakeLambdaContext(25_000))
    assert_fallback_close(response)
    return response


def test_an_answer_from_converse(bedrock: Stubber) -> None:
    bedrock.add_response(
        "converse",
        answer("Amazon Lex는 대화형 인터페이스를 만드는 서비스입니다."),
        expected_params={
            "modelId": MODEL,
            "messages": [{"role": "user", "content": [{"text": "Lex에 대해 설명해줘"}]}],
            "system": [{"text": ANY}],
            "inferenceConfig": {"maxTokens": 256},
        },
    )
    response = turn("ko_KR")
    assert texts(response) == ["Amazon Lex는 대화형 인터페이스를 만드는 서비스입니다."]
    assert "llmHistory" in response["sessionState"]["sessionAttributes"]


def test_the_conversation_sent_to_converse_alternates_and_starts_with_the_user(bedrock: Stubber) -> None:
    bedrock.add_response("converse", answer("first"))
    first = turn("en_US")
    bedrock.add_response(
        "converse",
        answer("second"),
        expected_params={
            "modelId": MODEL,
            "messages": [
                {"role": "user", "content": [{"text": "What can Amazon Lex do?"}]},
                {"role": "assistant", "content": [{"text": "first"}]},
                {"role": "user", "content": [{"text": "What can Amazon Lex do?"}]},
            ],
            "system": ANY,
            "inferenceConfig": ANY,
        },
    )
    assert texts(turn("en_US", first["sessionState"]["sessionAttributes"])) == ["second"]


def test_throttling_is_retried_within_the_deadline(bedrock: Stubber) -> None:
    bedrock.add_client_error("converse", service_error_code="ThrottlingException", http_status_code=429)
    bedrock.add_response("converse", answer("after throttling"))
    assert texts(turn()) == ["after throttling"]


def test_throttling_that_does_not_stop_is_a_rate_limit_message(bedrock: Stubber) -> None:
    for _ in range(4):
        bedrock.add_client_error("converse", service_error_code="ThrottlingException", http_status_code=429)
    assert texts(turn("ko_KR")) == [say("rate_limited", "ko_KR")]


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("ValidationException", "unavailable"),
        ("AccessDeniedException", "unavailable"),
        ("ResourceNotFoundException", "unavailable"),
        ("ModelTimeoutException", "timeout"),
    ],
)
def test_errors_are_friendly_messages_without_retrying(bedrock: Stubber, code: str, kind: str) -> None:
    bedrock.add_client_error("converse", service_error_code=code, http_status_code=400)
    assert texts(turn("en_US")) == [say(kind, "en_US")]


def test_an_answer_without_text_is_a_bad_response(bedrock: Stubber) -> None:
    empty = answer("")
    empty["output"]["message"]["content"] = []
    bedrock.add_response("converse", empty)
    assert texts(turn("en_US")) == [say("bad_response", "en_US")]
