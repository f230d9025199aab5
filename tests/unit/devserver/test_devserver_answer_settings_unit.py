"""How local mode keeps and serves streamed answers, as the environment says: the read route's
shape (`ANSWER_READS`) and the store (embedded, or a DynamoDB table on a local endpoint)."""

from __future__ import annotations

import pytest

from devserver import lambda_env
from devserver.settings import AnswerTable, ConfigError, DevServerSettings, parse_answer_reads

LOCAL_DYNAMODB = "http://127.0.0.1:8000"


@pytest.mark.parametrize(
    ("raw", "expected"), [(None, "stream"), ("", "stream"), (" Long-Poll ", "long-poll")]
)
def test_answer_reads_default_to_one_stream_and_take_long_poll(raw: str | None, expected: str) -> None:
    assert parse_answer_reads(raw) == expected


def test_an_unknown_answer_reads_value_names_both_choices() -> None:
    with pytest.raises(ConfigError, match=r"ANSWER_READS must be 'stream' .* or 'long-poll' .*'poll'"):
        parse_answer_reads("poll")


def test_without_a_table_the_handlers_use_the_embedded_store() -> None:
    settings = DevServerSettings.from_env({}, port=0)

    env = lambda_env.lambda_environment(settings, {})

    assert settings.answer_table is None
    assert env["ANSWER_STORE"] == "embedded"
    assert env["ANSWER_TABLE_NAME"] is None
    assert env["AWS_ENDPOINT_URL_DYNAMODB"] is None
    assert env["ANSWER_WORKER_MODE"] == "thread"


def test_a_table_on_a_local_endpoint_replaces_the_embedded_store() -> None:
    environ = {"ANSWER_TABLE_NAME": "chat-answers", "AWS_ENDPOINT_URL_DYNAMODB": LOCAL_DYNAMODB}
    settings = DevServerSettings.from_env(environ, port=0)

    env = lambda_env.lambda_environment(settings, environ)

    assert settings.answer_table == AnswerTable("chat-answers", LOCAL_DYNAMODB)
    assert env["ANSWER_STORE"] is None
    assert env["ANSWER_TABLE_NAME"] == "chat-answers"
    assert env["AWS_ENDPOINT_URL_DYNAMODB"] == LOCAL_DYNAMODB
    assert env["ANSWER_WORKER_MODE"] == "thread"  # never a Lambda invoke locally
    assert env["AWS_ACCESS_KEY_ID"] == lambda_env.DUMMY_ACCESS_KEY_ID  # never real credentials


@pytest.mark.parametrize("endpoint", [None, "", "127.0.0.1:8000", "dynamodb.us-east-1"])
def test_a_table_without_a_local_endpoint_is_refused(endpoint: str | None) -> None:
    environ = {"ANSWER_TABLE_NAME": "chat-answers"}
    if endpoint is not None:
        environ["AWS_ENDPOINT_URL_DYNAMODB"] = endpoint
    with pytest.raises(ConfigError, match="needs AWS_ENDPOINT_URL_DYNAMODB"):
        DevServerSettings.from_env(environ, port=0)


@pytest.mark.parametrize("name", ["ab", "has space", "a/b", "x" * 256])
def test_a_table_name_dynamodb_would_refuse_is_refused(name: str) -> None:
    environ = {"ANSWER_TABLE_NAME": name, "AWS_ENDPOINT_URL_DYNAMODB": LOCAL_DYNAMODB}
    with pytest.raises(ConfigError, match="must be a DynamoDB table name"):
        DevServerSettings.from_env(environ, port=0)
