"""Mapping a RecognizeText response to the /chat 200 body."""

from __future__ import annotations

from typing import Any

from lambda_lex.chat import converse, reply_from_lex
from lambda_lex.request import ChatRequest


def test_all_messages_are_kept_and_joined_into_msg() -> None:
    response = {
        "messages": [
            {"contentType": "PlainText", "content": "반갑습니다. 민아님."},
            {"contentType": "PlainText", "content": "HelloWorld 의도를 종료합니다."},
        ],
        "sessionState": {
            "dialogAction": {"type": "Close"},
            "intent": {"name": "HelloWorld", "state": "Fulfilled", "confirmationState": "Confirmed"},
        },
    }
    reply = reply_from_lex(response, session_id="s-1", locale="ko_KR").to_body()
    assert reply == {
        "msg": "반갑습니다. 민아님.\n\nHelloWorld 의도를 종료합니다.",
        "messages": response["messages"],
        "sessionId": "s-1",
        "locale": "ko_KR",
        "intent": "HelloWorld",
        "intentState": "Fulfilled",
        "dialogAction": "Close",
        "source": "lex",
    }


def test_fallback_intent_answers_are_marked_as_llm() -> None:
    response = {
        "messages": [{"contentType": "PlainText", "content": "Lex is a service."}],
        "sessionState": {
            "dialogAction": {"type": "Close"},
            "intent": {"name": "FallbackIntent", "state": "Fulfilled"},
        },
    }
    assert reply_from_lex(response, session_id="s", locale="en_US").source == "llm"


def test_a_sparse_response_gives_nulls_not_errors() -> None:
    reply = reply_from_lex({}, session_id="s", locale="en_US").to_body()
    assert reply["msg"] == ""
    assert reply["messages"] == []
    assert (reply["intent"], reply["intentState"], reply["dialogAction"], reply["source"]) == (
        None,
        None,
        None,
        "lex",
    )


def test_intent_comes_from_the_top_interpretation_when_the_session_state_has_none() -> None:
    response = {"interpretations": [{"intent": {"name": "HelloWorld"}}], "sessionState": {}}
    assert reply_from_lex(response, session_id="s", locale="ko_KR").intent == "HelloWorld"


def test_image_cards_show_their_title_and_empty_contents_are_not_joined() -> None:
    response = {
        "messages": [
            {"contentType": "ImageResponseCard", "imageResponseCard": {"title": "Pick one"}},
            {"contentType": "PlainText", "content": ""},
            {"contentType": "PlainText", "content": "then"},
        ]
    }
    reply = reply_from_lex(response, session_id="s", locale="ko_KR")
    assert reply.messages[0] == {"contentType": "ImageResponseCard", "content": "Pick one"}
    assert reply.msg == "Pick one\n\nthen"


class RecordingLex:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def recognize_text(self, **kwargs):
        self.calls.append(kwargs)
        return {"messages": [{"contentType": "PlainText", "content": "ok"}]}


def test_converse_sends_the_validated_turn_to_the_configured_bot() -> None:
    lex = RecordingLex()
    request = ChatRequest(text="안녕", session_id="sess-1", locale="ko_KR", session_generated=False)
    reply = converse(request, lex, bot_id="ABCDEFGHIJ", bot_alias_id="LIVEALIAS1")
    assert reply.msg == "ok"
    assert lex.calls == [
        {
            "bot_id": "ABCDEFGHIJ",
            "bot_alias_id": "LIVEALIAS1",
            "locale_id": "ko_KR",
            "session_id": "sess-1",
            "text": "안녕",
            "time_left": None,
        }
    ]
