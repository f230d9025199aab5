"""Mapping a RecognizeText response to the /chat 200 body."""

from __future__ import annotations

import json
from typing import Any

import pytest

import conversation_memory
from lambda_lex.chat import (
    ANSWERED_BY_ATTRIBUTE,
    DIALOG_STEP_ATTRIBUTE,
    TURN_ATTRIBUTE,
    converse,
    reply_from_lex,
    slot_values,
)
from lambda_lex.lex_gateway import LexCallError, LexFailure
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
        "slots": {},
        "source": "lex",
    }


def test_a_fallback_intent_answer_is_the_llms_only_when_the_code_hook_says_so() -> None:
    response: dict[str, Any] = {
        "messages": [{"contentType": "PlainText", "content": "Lex is a service."}],
        "sessionState": {
            "dialogAction": {"type": "Close"},
            "intent": {"name": "FallbackIntent", "state": "Fulfilled"},
        },
    }
    assert reply_from_lex(response, session_id="s", locale="en_US").source == "lex"
    response["sessionState"]["sessionAttributes"] = {ANSWERED_BY_ATTRIBUTE: "t-9:llm"}
    assert reply_from_lex(response, session_id="s", locale="en_US", turn="t-9").source == "llm"


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


def state_with(marker: str | None, intent: str = "FallbackIntent") -> dict[str, Any]:
    attributes = {} if marker is None else {ANSWERED_BY_ATTRIBUTE: marker}
    return {
        "messages": [{"contentType": "PlainText", "content": "text"}],
        "sessionState": {
            "dialogAction": {"type": "Close"},
            "intent": {"name": intent, "state": "Fulfilled"},
            "sessionAttributes": attributes,
        },
    }


@pytest.mark.parametrize("source", ["llm", "handler", "notice"])
def test_the_code_hook_says_who_answered_this_turn(source: str) -> None:
    reply = reply_from_lex(state_with(f"t-1:{source}"), session_id="s", locale="en_US", turn="t-1")
    assert reply.source == source


@pytest.mark.parametrize(
    "marker",
    [
        "t-0:llm",  # an earlier turn's marker, still in the session attributes
        "t-1:",  # no source
        "t-1:poet",  # not a source of the protocol
        "t-1",  # no separator
        "t-1x:llm",  # another turn whose id starts like this one
    ],
)
def test_a_marker_not_for_this_turn_means_lex_answered(marker: str) -> None:
    reply = reply_from_lex(state_with(marker), session_id="s", locale="en_US", turn="t-1")
    assert reply.source == "lex"


def test_a_fallback_answer_with_no_marker_is_lexs_own_message() -> None:
    # FallbackIntent closed by Lex itself (no code hook wrote a marker): Lex's own closing response.
    assert reply_from_lex(state_with(None), session_id="s", locale="en_US", turn="t").source == "lex"
    assert (
        reply_from_lex(state_with(None, "HelloWorld"), session_id="s", locale="en_US", turn="t").source
        == "lex"
    )


def test_slots_give_interpreted_values_lists_for_multi_value_slots_and_null_when_empty() -> None:
    def value(original: str, interpreted: str) -> dict[str, Any]:
        return {"value": {"originalValue": original, "interpretedValue": interpreted, "resolvedValues": []}}

    slots = {
        "Name": value("minah", "Minah"),
        "Count": value("three", "3"),
        "Empty": None,
        "Toppings": {
            "shape": "List",
            "value": {"originalValue": "ham and olives", "interpretedValue": "ham and olives"},
            "values": [value("ham", "ham"), value("olives", "olive")],
        },
        "NoToppings": {"shape": "List", "values": []},
        "OnlyOriginal": {"value": {"originalValue": "x"}},
    }
    assert slot_values(slots) == {
        "Name": "Minah",
        "Count": "3",
        "Empty": None,
        "Toppings": ["ham", "olive"],
        "NoToppings": None,
        "OnlyOriginal": None,
    }
    assert slot_values(None) == {}
    assert slot_values(["not", "a", "map"]) == {}


def test_the_reply_carries_the_current_intents_slots_and_its_state_as_lex_reports_it() -> None:
    response = {
        "messages": [{"contentType": "PlainText", "content": "Is your name Minah?"}],
        "sessionState": {
            "dialogAction": {"type": "ConfirmIntent"},
            "intent": {
                "name": "HelloWorld",
                "state": "InProgress",
                "slots": {"Name": {"value": {"originalValue": "Minah", "interpretedValue": "Minah"}}},
            },
        },
    }
    body = reply_from_lex(response, session_id="s", locale="en_US").to_body()
    assert (body["intentState"], body["slots"]) == ("InProgress", {"Name": "Minah"})
    ready = {"sessionState": {"intent": {"name": "Order", "state": "ReadyForFulfillment", "slots": {}}}}
    assert reply_from_lex(ready, session_id="s", locale="en_US").intent_state == "ReadyForFulfillment"


class RecordingLex:
    """Answers with `response`, records the calls; `put_session` fails with `put_error` if given."""

    def __init__(self, response: dict[str, Any], put_error: LexCallError | None = None) -> None:
        self.response = response
        self.put_error = put_error
        self.calls: list[dict[str, Any]] = []
        self.puts: list[dict[str, Any]] = []

    def recognize_text(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(kwargs)
        turn = kwargs["request_attributes"][TURN_ATTRIBUTE]
        answer: dict[str, Any] = json.loads(json.dumps(self.response).replace("{turn}", turn))
        return answer

    def put_session(self, **kwargs: Any) -> None:
        self.puts.append(kwargs)
        if self.put_error is not None:
            raise self.put_error


HELLO: dict[str, Any] = {
    "messages": [{"contentType": "PlainText", "content": "My name is Lex. What is your name?"}],
    "sessionState": {
        "dialogAction": {"type": "ElicitSlot", "slotToElicit": "Name"},
        "intent": {
            "name": "HelloWorld",
            "state": "InProgress",
            "confirmationState": "None",
            "slots": {"Name": None},
        },
        "activeContexts": [],
        "sessionAttributes": {"greeting": "yes"},
        "originatingRequestId": "req-1",
    },
}
KO = ChatRequest(text="안녕", session_id="sess-1", locale="ko_KR", session_generated=False)


def test_converse_sends_the_validated_turn_with_a_fresh_turn_id_to_the_configured_bot() -> None:
    lex = RecordingLex(HELLO)
    reply = converse(KO, lex, bot_id="ABCDEFGHIJ", bot_alias_id="LIVEALIAS1", turn_id=lambda: "0f" * 16)
    assert reply.msg == "My name is Lex. What is your name?"
    assert lex.calls == [
        {
            "bot_id": "ABCDEFGHIJ",
            "bot_alias_id": "LIVEALIAS1",
            "locale_id": "ko_KR",
            "session_id": "sess-1",
            "text": "안녕",
            "request_attributes": {"x-chatbot-turn": "0f" * 16},
            "time_left": None,
        }
    ]
    converse(KO, lex, bot_id="ABCDEFGHIJ", bot_alias_id="LIVEALIAS1")
    converse(KO, lex, bot_id="ABCDEFGHIJ", bot_alias_id="LIVEALIAS1")
    generated = [call["request_attributes"][TURN_ATTRIBUTE] for call in lex.calls[1:]]
    assert len(set(generated)) == 2
    assert all(len(turn) == 32 and int(turn, 16) >= 0 for turn in generated)


def test_a_turn_lex_answered_is_remembered_with_one_put_session_of_the_state_lex_returned() -> None:
    lex = RecordingLex(HELLO)
    reply = converse(KO, lex, bot_id="ABCDEFGHIJ", bot_alias_id="LIVEALIAS1", history_messages=10)
    assert reply.memory == "written"
    [put] = lex.puts
    assert {k: put[k] for k in ("bot_id", "bot_alias_id", "locale_id", "session_id")} == {
        "bot_id": "ABCDEFGHIJ",
        "bot_alias_id": "LIVEALIAS1",
        "locale_id": "ko_KR",
        "session_id": "sess-1",
    }
    state = put["session_state"]
    expected = {k: v for k, v in HELLO["sessionState"].items() if k != "sessionAttributes"}
    # The empty slot Lex reported as null is left out: PutSession refuses null slots.
    expected["intent"] = {**expected["intent"], "slots": {}}
    assert {k: v for k, v in state.items() if k != "sessionAttributes"} == expected
    assert state["sessionAttributes"]["greeting"] == "yes"
    history, note = conversation_memory.load_history(state["sessionAttributes"])
    assert note is None
    assert [(m.role, m.content) for m in history] == [
        ("user", "안녕"),
        ("assistant", "My name is Lex. What is your name?"),
    ]


@pytest.mark.parametrize("source", ["handler", "notice"])
def test_handler_and_notice_turns_are_remembered_too(source: str) -> None:
    response = state_with(f"{{turn}}:{source}", intent="OrderCoffee")
    lex = RecordingLex(response)
    reply = converse(KO, lex, bot_id="ABCDEFGHIJ", bot_alias_id="LIVEALIAS1", history_messages=10)
    assert reply.source == source
    assert len(lex.puts) == 1


def test_the_llms_own_turns_memory_off_and_delegate_states_are_not_written_back() -> None:
    llm = RecordingLex(state_with("{turn}:llm"))
    assert (
        converse(KO, llm, bot_id="ABCDEFGHIJ", bot_alias_id="LIVEALIAS1", history_messages=10).source == "llm"
    )
    off = RecordingLex(HELLO)
    converse(KO, off, bot_id="ABCDEFGHIJ", bot_alias_id="LIVEALIAS1", history_messages=0)
    delegate = RecordingLex({"sessionState": {"dialogAction": {"type": "Delegate"}, "intent": {"name": "X"}}})
    reply = converse(KO, delegate, bot_id="ABCDEFGHIJ", bot_alias_id="LIVEALIAS1", history_messages=10)
    assert reply.memory == "not_written"
    assert llm.puts == off.puts == delegate.puts == []


def test_a_failed_put_session_never_fails_the_turn() -> None:
    lex = RecordingLex(HELLO, put_error=LexCallError(LexFailure.THROTTLED, "ThrottlingException"))
    reply = converse(KO, lex, bot_id="ABCDEFGHIJ", bot_alias_id="LIVEALIAS1", history_messages=10)
    assert reply.msg == "My name is Lex. What is your name?"
    assert reply.memory == "failed"
    assert reply.memory_error is not None
    assert reply.memory_error.failure is LexFailure.THROTTLED


def test_memory_accumulates_over_turns_and_stays_bounded() -> None:
    response = json.loads(json.dumps(HELLO))
    response["sessionState"]["dialogAction"] = {"type": "ElicitIntent"}
    for n in range(12):
        lex = RecordingLex(response)
        converse(
            ChatRequest(text=f"q{n}", session_id="s1", locale="en_US", session_generated=False),
            lex,
            bot_id="ABCDEFGHIJ",
            bot_alias_id="LIVEALIAS1",
            history_messages=6,
        )
        response["sessionState"]["sessionAttributes"] = lex.puts[0]["session_state"]["sessionAttributes"]
    history, _ = conversation_memory.load_history(response["sessionState"]["sessionAttributes"])
    assert [m.content for m in history if m.role == "user"] == ["q9", "q10", "q11"]


def test_a_turn_that_would_leave_the_memory_as_it_is_is_not_written_back() -> None:
    # The same exchange again and again: once the memory is full of it, remembering it once more
    # changes nothing, and a PutSession would only write Lex's own state back.
    response = json.loads(json.dumps(HELLO))
    response["sessionState"]["dialogAction"] = {"type": "ElicitIntent"}
    outcomes = []
    for _ in range(4):
        lex = RecordingLex(response)
        reply = converse(KO, lex, bot_id="ABCDEFGHIJ", bot_alias_id="LIVEALIAS1", history_messages=4)
        outcomes.append(reply.memory)
        if lex.puts:
            response["sessionState"]["sessionAttributes"] = lex.puts[0]["session_state"]["sessionAttributes"]
    assert outcomes == ["written", "written", "not_written", "not_written"]
    history, _ = conversation_memory.load_history(response["sessionState"]["sessionAttributes"])
    assert [m.role for m in history] == ["user", "assistant", "user", "assistant"]


def prompt_step(slot: str) -> dict[str, Any]:
    response: dict[str, Any] = json.loads(json.dumps(HELLO))
    response["sessionState"]["dialogAction"] = {"type": "ElicitSlot", "slotToElicit": slot}
    response["sessionState"]["intent"]["state"] = "InProgress"
    return response


def test_a_re_prompt_of_the_same_step_is_not_written_back_so_lex_keeps_counting_retries() -> None:
    # A PutSession restarts the dialog step; writing back only a step's first prompt keeps MaxRetries
    # (and FallbackIntent after it) working whether or not Lex restarts its retry count.
    response = prompt_step("Name")
    first = RecordingLex(response)
    assert converse(
        KO, first, bot_id="ABCDEFGHIJ", bot_alias_id="LIVEALIAS1", history_messages=10
    ).memory == ("written")
    written = first.puts[0]["session_state"]["sessionAttributes"]
    assert written[DIALOG_STEP_ATTRIBUTE].endswith("|ElicitSlot|Name")

    response["sessionState"]["sessionAttributes"] = written
    again = RecordingLex(response)
    reply = converse(KO, again, bot_id="ABCDEFGHIJ", bot_alias_id="LIVEALIAS1", history_messages=10)
    assert reply.memory == "not_written"
    assert again.puts == []

    next_slot = prompt_step("Age")
    next_slot["sessionState"]["sessionAttributes"] = written
    moved_on = RecordingLex(next_slot)
    converse(KO, moved_on, bot_id="ABCDEFGHIJ", bot_alias_id="LIVEALIAS1", history_messages=10)
    assert moved_on.puts[0]["session_state"]["sessionAttributes"][DIALOG_STEP_ATTRIBUTE].endswith(
        "|ElicitSlot|Age"
    )


def test_a_closed_turn_forgets_the_step_so_the_same_prompt_later_is_written_again() -> None:
    response = json.loads(json.dumps(HELLO))
    response["sessionState"]["dialogAction"] = {"type": "Close"}
    response["sessionState"]["sessionAttributes"] = {DIALOG_STEP_ATTRIBUTE: "HelloWorld|ElicitSlot|Name"}
    lex = RecordingLex(response)
    converse(KO, lex, bot_id="ABCDEFGHIJ", bot_alias_id="LIVEALIAS1", history_messages=10)
    assert DIALOG_STEP_ATTRIBUTE not in lex.puts[0]["session_state"]["sessionAttributes"]
