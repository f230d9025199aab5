"""Sessions: GetSession, PutSession, DeleteSession, isolation, idle expiry, and the endpoint variables."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
import pytest

from lex_emulator.wire import unpack_header
from tests.integration.emulator.emulator_support import ALIAS_ID, BOT_ID, FakeClock, Served

IDS = {"botId": BOT_ID, "botAliasId": ALIAS_ID}


def get_session(served: Served, session: str = "session-1", locale: str = "ko_KR") -> dict[str, Any]:
    return served.client.get_session(**IDS, localeId=locale, sessionId=session)  # type: ignore[no-any-return]


def test_get_session_shows_the_state_after_the_last_turn(served: Served) -> None:
    served.say("안녕하세요")
    last = served.say("민수예요")

    session = get_session(served)

    assert session["sessionId"] == "session-1"
    assert session["messages"] == last["messages"]
    assert session["interpretations"] == last["interpretations"]
    assert session["sessionState"] == last["sessionState"]


def test_get_session_of_an_unknown_session_is_resource_not_found(served: Served) -> None:
    with pytest.raises(served.client.exceptions.ResourceNotFoundException):
        get_session(served, "never-used")


def test_delete_session_forgets_the_dialog(served: Served) -> None:
    served.say("안녕하세요")

    deleted = served.client.delete_session(**IDS, localeId="ko_KR", sessionId="session-1")

    assert {key: deleted[key] for key in ("botId", "botAliasId", "localeId", "sessionId")} == {
        **IDS,
        "localeId": "ko_KR",
        "sessionId": "session-1",
    }
    with pytest.raises(served.client.exceptions.ResourceNotFoundException):
        get_session(served)
    with pytest.raises(served.client.exceptions.ResourceNotFoundException):
        served.client.delete_session(**IDS, localeId="ko_KR", sessionId="session-1")
    fresh = served.say("안녕하세요")
    assert fresh["sessionState"]["dialogAction"] == {"type": "ElicitSlot", "slotToElicit": "Name"}


def test_put_session_sets_the_state_and_answers_in_lex_headers(served: Served) -> None:
    put = served.client.put_session(
        **IDS,
        localeId="en_US",
        sessionId="put-session",
        sessionState={
            "sessionAttributes": {"source": "crm"},
            "dialogAction": {"type": "ElicitSlot", "slotToElicit": "Name"},
            "intent": {"name": "HelloWorld", "state": "InProgress"},
        },
        requestAttributes={"channel": "app"},
    )

    assert put["sessionId"] == "put-session"
    assert put["contentType"] == "text/plain; charset=utf-8"
    state = unpack_header(put["sessionState"])
    assert state["dialogAction"] == {"type": "ElicitSlot", "slotToElicit": "Name"}
    assert state["sessionAttributes"] == {"source": "crm"}
    assert unpack_header(put["messages"]) == [
        {"contentType": "PlainText", "content": "My name is Lex. What is your name?"}
    ]
    assert unpack_header(put["requestAttributes"]) == {"channel": "app"}
    assert put["audioStream"].read() == b""

    answered = served.say("Priya", session="put-session", locale="en_US")
    assert answered["sessionState"]["dialogAction"]["type"] == "ConfirmIntent"
    assert answered["sessionState"]["sessionAttributes"] == {"source": "crm"}


def test_put_session_with_delegate_runs_the_dialog_from_the_given_intent(served: Served) -> None:
    put = served.client.put_session(
        **IDS,
        localeId="en_US",
        sessionId="delegated",
        sessionState={
            "dialogAction": {"type": "Delegate"},
            "intent": {
                "name": "HelloWorld",
                "slots": {"Name": {"value": {"originalValue": "kim", "interpretedValue": "Kim"}}},
            },
        },
    )

    assert unpack_header(put["messages"]) == [{"contentType": "PlainText", "content": "Is your name Kim?"}]
    assert (
        served.say("yes", session="delegated", locale="en_US")["messages"][0]["content"]
        == "Nice to meet you, Kim."
    )


def test_put_session_messages_are_returned_as_given(served: Served) -> None:
    put = served.client.put_session(
        **IDS,
        localeId="en_US",
        sessionId="told",
        sessionState={"dialogAction": {"type": "ElicitIntent"}},
        messages=[{"contentType": "PlainText", "content": "What can I do for you?"}],
    )

    assert unpack_header(put["messages"]) == [
        {"contentType": "PlainText", "content": "What can I do for you?"}
    ]
    assert get_session(served, "told", "en_US")["sessionState"]["dialogAction"] == {"type": "ElicitIntent"}


def test_put_session_with_an_unknown_intent_is_a_validation_error(served: Served) -> None:
    with pytest.raises(served.client.exceptions.ValidationException):
        served.client.put_session(
            **IDS,
            localeId="en_US",
            sessionId="bad-put",
            sessionState={"dialogAction": {"type": "Close"}, "intent": {"name": "OrderPizza"}},
        )


def test_two_sessions_keep_their_own_names(served: Served) -> None:
    served.say("Hello", session="alice", locale="en_US")
    served.say("Hello", session="bob", locale="en_US")
    served.say("My name is Alice", session="alice", locale="en_US")
    served.say("I'm Bob", session="bob", locale="en_US")

    alice = served.say("yes", session="alice", locale="en_US")
    bob = served.say("yes", session="bob", locale="en_US")

    assert alice["messages"][0]["content"] == "Nice to meet you, Alice."
    assert bob["messages"][0]["content"] == "Nice to meet you, Bob."


def test_the_same_session_id_in_two_locales_is_two_sessions(served: Served) -> None:
    served.say("안녕하세요", session="shared")

    english = served.say("Hello", session="shared", locale="en_US")
    served.say("I'm Ann", session="shared", locale="en_US")

    assert english["sessionState"]["dialogAction"] == {"type": "ElicitSlot", "slotToElicit": "Name"}
    korean = get_session(served, "shared", "ko_KR")["sessionState"]
    assert korean["dialogAction"] == {"type": "ElicitSlot", "slotToElicit": "Name"}
    assert korean["intent"]["slots"] == {"Name": None}
    assert get_session(served, "shared", "en_US")["sessionState"]["dialogAction"]["type"] == "ConfirmIntent"


def test_a_session_idle_longer_than_the_ttl_is_forgotten(serve: Callable[..., Served]) -> None:
    clock = FakeClock()
    served = serve(clock=clock)  # bot.json: IdleSessionTTLInSeconds 300
    served.say("Hello", locale="en_US")

    clock.advance(301)

    with pytest.raises(served.client.exceptions.ResourceNotFoundException):
        get_session(served, locale="en_US")
    after = served.say("Hello", locale="en_US")
    assert after["sessionState"]["dialogAction"] == {"type": "ElicitSlot", "slotToElicit": "Name"}
    assert after["sessionState"]["intent"]["slots"] == {"Name": None}


def test_a_session_used_within_the_ttl_lives_on(serve: Callable[..., Served]) -> None:
    clock = FakeClock()
    served = serve(clock=clock, idle_session_ttl_seconds=60)
    served.say("Hello", locale="en_US")
    clock.advance(59)
    served.say("I'm Noor", locale="en_US")
    clock.advance(59)

    confirmed = served.say("yes", locale="en_US")

    assert confirmed["messages"][0]["content"] == "Nice to meet you, Noor."


def test_the_idle_ttl_override_expires_sessions_sooner(serve: Callable[..., Served]) -> None:
    clock = FakeClock()
    served = serve(clock=clock, idle_session_ttl_seconds=60)
    served.say("Hello", locale="en_US")

    clock.advance(61)

    with pytest.raises(served.client.exceptions.ResourceNotFoundException):
        get_session(served, locale="en_US")


def test_the_service_endpoint_variable_routes_an_unmodified_client(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_LEX_RUNTIME_V2", served.url)
    client = boto3.client("lexv2-runtime")

    response = client.recognize_text(
        botId=BOT_ID, botAliasId=ALIAS_ID, localeId="en_US", sessionId="env-session", text="Hello"
    )

    assert client.meta.endpoint_url == served.url
    assert response["messages"][0]["content"] == "My name is Lex. What is your name?"


def test_the_global_endpoint_variable_routes_an_unmodified_client(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", served.url)

    response = boto3.client("lexv2-runtime").recognize_text(
        botId=BOT_ID, botAliasId=ALIAS_ID, localeId="ko_KR", sessionId="env-session", text="안녕"
    )

    assert response["sessionState"]["dialogAction"]["slotToElicit"] == "Name"


def test_the_lexv2_runtime_spelling_of_the_variable_is_not_one_botocore_reads(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    # botocore derives the variable from the service id "Lex Runtime V2": AWS_ENDPOINT_URL_LEX_RUNTIME_V2.
    monkeypatch.setenv("AWS_ENDPOINT_URL_LEXV2_RUNTIME", served.url)

    assert boto3.client("lexv2-runtime").meta.endpoint_url != served.url
