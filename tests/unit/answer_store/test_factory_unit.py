"""Which store the environment selects, and how long records are kept."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from answer_store import EmbeddedAnswerStore, from_env, reset_shared_store, ttl_seconds


@pytest.fixture(autouse=True)
def fresh_stores() -> Iterator[None]:
    reset_shared_store()
    yield
    reset_shared_store()


def test_no_configuration_means_streaming_is_off() -> None:
    assert from_env({}) is None
    assert from_env({"ANSWER_STORE": "  ", "ANSWER_TABLE_NAME": ""}) is None


def test_embedded_mode_shares_one_store_in_the_process() -> None:
    first = from_env({"ANSWER_STORE": "embedded"})
    assert isinstance(first, EmbeddedAnswerStore)
    assert from_env({"ANSWER_STORE": "Embedded"}) is first


def test_a_reset_gives_a_fresh_embedded_store() -> None:
    first = from_env({"ANSWER_STORE": "embedded"})
    reset_shared_store()
    assert from_env({"ANSWER_STORE": "embedded"}) is not first


def test_an_unknown_store_mode_is_named() -> None:
    with pytest.raises(ValueError, match="ANSWER_STORE must be 'embedded' or unset"):
        from_env({"ANSWER_STORE": "embeded"})


def test_ttl_defaults_to_one_day() -> None:
    assert ttl_seconds({}) == 86_400
    assert ttl_seconds({"CONVERSATION_TTL_SECONDS": " 600 "}) == 600


@pytest.mark.parametrize("raw", ["0", "-5", "1.5", "a day"])
def test_a_bad_ttl_is_named(raw: str) -> None:
    with pytest.raises(ValueError, match="CONVERSATION_TTL_SECONDS must be a whole number of seconds > 0"):
        ttl_seconds({"CONVERSATION_TTL_SECONDS": raw})


def test_a_table_name_selects_the_dynamodb_store_without_calling_aws() -> None:
    from answer_store.dynamodb import DynamoDbAnswerStore

    store = from_env({"ANSWER_TABLE_NAME": "chat-answers", "ANSWER_STORE": "embedded"})
    assert isinstance(store, DynamoDbAnswerStore)
    assert from_env({"ANSWER_TABLE_NAME": "chat-answers"}) is store
    assert from_env({"ANSWER_TABLE_NAME": "other-table"}) is not store
