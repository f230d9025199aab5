"""The API key's secret in trouble, seen through the whole chain: /chat handler -> emulator (HTTP) ->
lambda_chatgpt with LLM_SECRET_NAME -> Secrets Manager (moto; access denied through botocore's
Stubber) -> the fake LLM. A missing secret, the placeholder value and access denied each give a 200
with a clear chat message and no crash; once the secret is fixed, the same session's next turn gets
the model's answer, with no trace of the failed turn in its memory.
(tests/integration/lambdas covers these at the fallback handler; here they cross /chat and Lex.)
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

import lambda_chatgpt.handler as fallback_handler
from lambda_chatgpt.api_key import PLACEHOLDER, SecretsManagerKey
from lambda_chatgpt.texts import say
from tests.robustness.support.llm_fakes import FaultyOpenAIServer, echo_reply, parse_echo
from tests.robustness.support.local_stack import ChatAnswer, point_chat_handler_at, post_chat, served_emulator

SECRET = "LlmApiKeySecret-Robust1"
QUESTION = "What does a fallback intent do?"


@pytest.fixture(scope="module")
def llm() -> Iterator[FaultyOpenAIServer]:
    with FaultyOpenAIServer(reply=echo_reply) as server:
        yield server


@pytest.fixture
def chain(llm: FaultyOpenAIServer, offline: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    llm.reset()
    for name in (
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "LLM_PROVIDER",
        "LLM_DEADLINE_SECONDS",
        "LLM_SYSTEM_PROMPT",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LLM_BASE_URL", llm.base_url)
    monkeypatch.setenv("LLM_MODEL", "fake-model")
    monkeypatch.setenv("LLM_SECRET_NAME", SECRET)
    with mock_aws(), served_emulator(hook="lambda_chatgpt.handler:handler") as (_, running):
        point_chat_handler_at(monkeypatch, running.url)
        yield
    fallback_handler.reset_container()


def ask(session: str, locale: str, text: str = QUESTION, *, source: str = "notice") -> ChatAnswer:
    answer = post_chat({"text": text, "sessionId": session, "locale": locale})
    assert answer.status == 200, answer.body
    assert answer.body["source"] == source
    assert answer.body["intentState"] == "Fulfilled"
    return answer


def assert_answered_with_the_failed_turn_remembered(session: str, locale: str) -> None:
    echo = parse_echo(ask(session, locale, source="llm").body["msg"])
    # the system prompt, the failed turn (question and the fallback's notice, remembered like every
    # turn of the conversation) and this question
    assert echo["n"] == 4


def secrets() -> Any:
    return boto3.client("secretsmanager")


@pytest.mark.usefixtures("chain")
@pytest.mark.parametrize("locale", ["ko_KR", "en_US"])
def test_a_missing_secret_says_how_to_set_it_then_works_once_set(locale: str) -> None:
    session = f"secret-{uuid.uuid4()}"
    answer = ask(session, locale)
    assert answer.body["msg"] == say("not_configured_secret", locale, secret_name=SECRET)
    assert f"--secret-id {SECRET}" in answer.body["msg"]
    secrets().create_secret(Name=SECRET, SecretString="sk-now-configured")
    assert_answered_with_the_failed_turn_remembered(session, locale)


@pytest.mark.usefixtures("chain")
def test_the_placeholder_value_says_how_to_set_it_then_works_once_replaced(llm: FaultyOpenAIServer) -> None:
    session = f"secret-{uuid.uuid4()}"
    secrets().create_secret(Name=SECRET, SecretString=PLACEHOLDER)
    assert ask(session, "en_US").body["msg"] == say("not_configured_secret", "en_US", secret_name=SECRET)
    assert llm.requests == []
    secrets().put_secret_value(SecretId=SECRET, SecretString="sk-real-value")
    assert_answered_with_the_failed_turn_remembered(session, "en_US")


@pytest.mark.usefixtures("chain")
def test_access_denied_is_a_friendly_message_then_works_when_allowed(
    llm: FaultyOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = secrets()
    # The stubbed client goes in through SecretsManagerKey's client_factory, where the fallback builds
    # its key source (tests/integration/lambdas also covers replacing the default factory).
    monkeypatch.setattr(
        "lambda_chatgpt.wiring.SecretsManagerKey",
        functools.partial(SecretsManagerKey, client_factory=lambda: client),
    )
    fallback_handler.reset_container()
    session = f"secret-{uuid.uuid4()}"
    with Stubber(client) as stubber:
        stubber.add_client_error(
            "get_secret_value",
            service_error_code="AccessDeniedException",
            service_message="User is not authorized to perform secretsmanager:GetSecretValue",
            http_status_code=400,
        )
        stubber.add_response("get_secret_value", {"Name": SECRET, "SecretString": "sk-allowed-now"})
        denied = ask(session, "ko_KR")
        assert denied.body["msg"] == say("key_unavailable", "ko_KR")
        assert llm.requests == []
        assert_answered_with_the_failed_turn_remembered(session, "ko_KR")
        stubber.assert_no_pending_responses()
