"""The API key from Secrets Manager (moto): missing secret, no value, placeholder, raw and JSON keys,
TTL refresh after rotation, a rejected key read again at once, and unreadable secrets."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

import lambda_chatgpt.handler as fallback_handler
from lambda_chatgpt.api_key import PLACEHOLDER, SecretsManagerKey
from lambda_chatgpt.llm import LlmKeyUnavailableError
from lambda_chatgpt.texts import say
from tests.fakes.openai_server import Behaviour, FakeOpenAIServer
from tests.integration.lambdas.codehook_contract import assert_fallback_close, texts
from tests.integration.lambdas.lambda_support import FakeLambdaContext, load_event

pytestmark = pytest.mark.usefixtures("fallback_env")
SECRET = "LlmApiKeySecret-AbCdEf"


def bearer(key: str) -> str:
    return hashlib.sha256(f"Bearer {key}".encode()).hexdigest()


@pytest.fixture
def llm(fake_llm: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch) -> FakeOpenAIServer:
    fake_llm.reply = "answer from the model"
    monkeypatch.setenv("LLM_SECRET_NAME", SECRET)
    return fake_llm


@pytest.fixture
def secrets(llm: FakeOpenAIServer) -> Iterator[object]:
    with mock_aws():
        yield boto3.client("secretsmanager")


def turn(locale: str = "en_US") -> list[str]:
    response = fallback_handler.handler(
        load_event(f"lex_codehook_fallback_{locale}.json"), FakeLambdaContext(25_000)
    )
    assert_fallback_close(response)
    return texts(response)


def how_to_set(locale: str) -> list[str]:
    return [say("not_configured_secret", locale, secret_name=SECRET)]


def test_a_secret_that_does_not_exist_explains_how_to_set_it(secrets: object, llm: FakeOpenAIServer) -> None:
    assert turn("en_US") == how_to_set("en_US")
    message = turn("ko_KR")[0]
    assert f"aws secretsmanager put-secret-value --secret-id {SECRET} --secret-string" in message
    assert llm.requests == []


def test_a_secret_without_a_value_yet_explains_how_to_set_it(secrets, llm: FakeOpenAIServer) -> None:
    secrets.create_secret(Name=SECRET)
    assert turn("ko_KR") == how_to_set("ko_KR")
    assert llm.requests == []


@pytest.mark.parametrize("value", [PLACEHOLDER, "  ", json.dumps({"apiKey": PLACEHOLDER}), '{"apiKey": ""}'])
def test_placeholder_or_empty_values_explain_how_to_set_it(
    secrets, llm: FakeOpenAIServer, value: str
) -> None:
    secrets.create_secret(Name=SECRET, SecretString=value)
    assert turn() == how_to_set("en_US")


@pytest.mark.parametrize(
    ("value", "key"), [("sk-raw-key-1", "sk-raw-key-1"), ('{"apiKey": "sk-json-1"}', "sk-json-1")]
)
def test_raw_and_json_keys_are_sent_as_bearer_tokens(
    secrets, llm: FakeOpenAIServer, value: str, key: str
) -> None:
    secrets.create_secret(Name=SECRET, SecretString=value)
    assert turn() == ["answer from the model"]
    assert llm.requests[0].authorization_sha256 == bearer(key)


def test_a_value_set_after_a_not_configured_turn_works_on_the_next_turn(
    secrets, llm: FakeOpenAIServer
) -> None:
    secrets.create_secret(Name=SECRET)
    assert turn() == how_to_set("en_US")
    secrets.put_secret_value(SecretId=SECRET, SecretString="sk-now-set")
    assert turn() == ["answer from the model"]


def test_the_key_is_cached_for_the_ttl_then_read_again(
    secrets, llm: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A clock the test moves, so a slow turn on a busy machine cannot spend the TTL by itself.
    now = [1000.0]
    monkeypatch.setattr(
        "lambda_chatgpt.wiring.SecretsManagerKey",
        functools.partial(SecretsManagerKey, clock=lambda: now[0]),
    )
    monkeypatch.setenv("SECRET_TTL_SECONDS", "60")
    fallback_handler.reset_container()
    secrets.create_secret(Name=SECRET, SecretString="sk-old")
    turn()
    secrets.put_secret_value(SecretId=SECRET, SecretString="sk-rotated")
    now[0] += 59.0
    turn()
    now[0] += 2.0
    turn()
    assert [r.authorization_sha256 for r in llm.requests] == [
        bearer("sk-old"),
        bearer("sk-old"),
        bearer("sk-rotated"),
    ]


def test_a_rejected_key_is_read_again_on_the_next_turn(secrets, llm: FakeOpenAIServer) -> None:
    secrets.create_secret(Name=SECRET, SecretString="sk-revoked")
    llm.script(Behaviour.http_error(401, "Incorrect API key provided"))
    assert turn("en_US") == [say("auth_failed_secret", "en_US", secret_name=SECRET)]
    secrets.put_secret_value(SecretId=SECRET, SecretString="sk-replacement")
    assert turn() == ["answer from the model"]
    assert llm.requests[-1].authorization_sha256 == bearer("sk-replacement")


@pytest.mark.parametrize("code", ["AccessDeniedException", "DecryptionFailure", "InternalServiceError"])
def test_unreadable_secrets_are_key_unavailable_and_nothing_is_cached(aws_offline: None, code: str) -> None:
    client = boto3.client("secretsmanager")
    with Stubber(client) as stubber:
        stubber.add_client_error("get_secret_value", service_error_code=code, http_status_code=400)
        stubber.add_response("get_secret_value", {"Name": SECRET, "SecretString": "sk-fine"})
        keys = SecretsManagerKey(SECRET, ttl_seconds=300, client_factory=lambda: client)
        with pytest.raises(LlmKeyUnavailableError) as caught:
            keys.get()
        assert code in caught.value.detail
        assert keys.get() == "sk-fine"


def replace_the_default_client_factory(monkeypatch: pytest.MonkeyPatch, client: Any) -> None:
    """SecretsManagerKey looks its default factory up when it first needs a client."""
    monkeypatch.setattr("lambda_chatgpt.api_key.secrets_manager_client", lambda: client)


def inject_through_the_wiring(monkeypatch: pytest.MonkeyPatch, client: Any) -> None:
    """The supported seam: the key source the fallback builds gets an explicit client_factory."""
    monkeypatch.setattr(
        "lambda_chatgpt.wiring.SecretsManagerKey",
        functools.partial(SecretsManagerKey, client_factory=lambda: client),
    )


@pytest.mark.parametrize("inject", [replace_the_default_client_factory, inject_through_the_wiring])
def test_an_unreadable_secret_gives_a_friendly_message(
    llm: FakeOpenAIServer,
    monkeypatch: pytest.MonkeyPatch,
    inject: Callable[[pytest.MonkeyPatch, Any], None],
) -> None:
    client = boto3.client("secretsmanager")
    inject(monkeypatch, client)
    fallback_handler.reset_container()
    with Stubber(client) as stubber:
        stubber.add_client_error(
            "get_secret_value",
            service_error_code="AccessDeniedException",
            service_message="User is not authorized to perform secretsmanager:GetSecretValue",
            http_status_code=400,
            expected_params={"SecretId": SECRET},
        )
        assert turn("ko_KR") == [say("key_unavailable", "ko_KR")]
        stubber.assert_no_pending_responses()  # the stubbed client answered, not a real one
    assert llm.requests == []
