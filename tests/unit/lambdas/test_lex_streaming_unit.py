"""/chat with an answer store (issue 11): the stream flag's request attributes, 409 while the session
has an answer being written, the answer handle for a turn the code hook streams, the kept transcript
and the conversation token, the memory fold in the write-back; and the per-turn store cost."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

import pytest

import conversation_memory
from lambda_lex.chat import TURN_ATTRIBUTE, converse
from lambda_lex.errors import ApiError
from lambda_lex.request import ChatRequest, validate_fields
from lambda_lex.streaming import (
    ANSWER_TOKEN_ATTRIBUTE,
    PENDING_ANSWER_ATTRIBUTE,
    STREAM_ATTRIBUTE,
    AnswerBusyError,
    OpenedSessions,
    Streaming,
    utc_stamp,
)

ANSWER_ID = "3b0c6a1e-9f6d-4c1e-8a57-2d8f0b7c9e41"


class RecordingStore:
    """The three store calls /chat makes, recorded; `active` is the session's active answer."""

    def __init__(self, active: str | None = None, fail_append: bool = False) -> None:
        self.active = active
        self.fail_append = fail_append
        self.calls: list[str] = []
        self.tokens: dict[str, str] = {}
        self.turns: dict[str, list[Mapping[str, Any]]] = {}
        self.ttls: list[int] = []

    def active_answer(self, session_id: str) -> str | None:
        self.calls.append("active_answer")
        return self.active

    def open_conversation(self, session_id: str, token: str, ttl_seconds: int) -> bool:
        self.calls.append("open_conversation")
        if session_id in self.tokens:
            return False
        self.tokens[session_id] = token
        return True

    def append_turns(self, session_id: str, turns: Sequence[Mapping[str, Any]], ttl_seconds: int) -> None:
        self.calls.append("append_turns")
        self.ttls.append(ttl_seconds)
        if self.fail_append:
            raise RuntimeError("the table is not there")
        self.turns.setdefault(session_id, []).extend(turns)


class RecordingLex:
    """Answers with `response` (where "{turn}" becomes the turn id sent), records every call."""

    def __init__(self, response: dict[str, Any]) -> None:
        self.response = response
        self.calls: list[dict[str, Any]] = []
        self.puts: list[dict[str, Any]] = []

    def recognize_text(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(kwargs)
        turn = kwargs["request_attributes"][TURN_ATTRIBUTE]
        answer: dict[str, Any] = json.loads(json.dumps(self.response).replace("{turn}", turn))
        return answer

    def put_session(self, **kwargs: Any) -> None:
        self.puts.append(kwargs)


def lex_turn(
    *messages: str,
    marker: str | None = None,
    intent: str = "Greeting",
    attributes: dict[str, str] | None = None,
) -> dict[str, Any]:
    session_attributes = dict(attributes or {})
    if marker is not None:
        session_attributes["x-chatbot-answered-by"] = marker
    return {
        "messages": [{"contentType": "PlainText", "content": m} for m in messages],
        "sessionState": {
            "dialogAction": {"type": "Close"},
            "intent": {"name": intent, "state": "Fulfilled", "slots": {}},
            "sessionAttributes": session_attributes,
        },
    }


PENDING = lex_turn("Writing the answer…", marker=f"{{turn}}:llm-pending:{ANSWER_ID}", intent="FallbackIntent")


def request(
    text: str = "tell me about tides", *, stream: bool = True, generated: bool = False
) -> ChatRequest:
    return ChatRequest(
        text=text, session_id="web-tab-7", locale="en_US", session_generated=generated, stream=stream
    )


def chat(lex: RecordingLex, streaming: Streaming | None, req: ChatRequest, history: int = 0) -> Any:
    return converse(
        req,
        lex,
        bot_id="ABCDEFGHIJ",
        bot_alias_id="LIVEALIAS1",
        history_messages=history,
        streaming=streaming,
    )


def clock(start: float = 1_764_576_000.0) -> Any:
    times = iter(start + n * 0.25 for n in range(1000))
    return lambda: next(times)


# --- the request field -------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [(True, True), (False, False), (None, False)])
def test_stream_is_a_boolean_and_null_means_not_given(raw: bool | None, expected: bool) -> None:
    parsed = validate_fields({"text": "hi", "stream": raw}, locales=("en_US",), default_locale="en_US")
    assert parsed.stream is expected
    assert validate_fields({"text": "hi"}, locales=("en_US",), default_locale="en_US").stream is False


@pytest.mark.parametrize("raw", ["true", 1, 0, [], {}, "yes"])
def test_stream_of_any_other_type_is_invalid_field_type(raw: object) -> None:
    with pytest.raises(ApiError) as caught:
        validate_fields({"text": "hi", "stream": raw}, locales=("en_US",), default_locale="en_US")
    assert (caught.value.status, caught.value.code) == (400, "invalid_field_type")
    assert '"stream"' in caught.value.message


# --- without a store: today's /chat --------------------------------------------------------------


def test_without_a_store_a_stream_request_sends_only_the_turn_attributes_and_body_is_unchanged() -> None:
    lex = RecordingLex(lex_turn("Hello there!"))
    reply = chat(lex, None, request(stream=True))
    assert set(lex.calls[0]["request_attributes"]) == {TURN_ATTRIBUTE}
    assert set(reply.to_body()) == {
        "msg",
        "messages",
        "sessionId",
        "locale",
        "intent",
        "intentState",
        "dialogAction",
        "slots",
        "source",
    }


# --- with a store --------------------------------------------------------------------------------


def test_a_stream_turn_sends_the_stream_flag_and_a_fresh_256_bit_token_each_turn() -> None:
    lex = RecordingLex(lex_turn("Hello there!"))
    streaming = Streaming(RecordingStore())  # type: ignore[arg-type]
    chat(lex, streaming, request())
    chat(lex, streaming, request())
    chat(lex, streaming, request(stream=False))
    first, second, plain = (call["request_attributes"] for call in lex.calls)
    assert first[STREAM_ATTRIBUTE] == second[STREAM_ATTRIBUTE] == "1"
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", first[ANSWER_TOKEN_ATTRIBUTE])
    assert first[ANSWER_TOKEN_ATTRIBUTE] != second[ANSWER_TOKEN_ATTRIBUTE]
    assert STREAM_ATTRIBUTE not in plain
    assert ANSWER_TOKEN_ATTRIBUTE not in plain


def test_a_session_with_an_answer_being_written_is_refused_before_lex() -> None:
    lex = RecordingLex(lex_turn("Hello there!"))
    store = RecordingStore(active=ANSWER_ID)
    with pytest.raises(AnswerBusyError) as caught:
        chat(lex, Streaming(store), request(stream=False))  # type: ignore[arg-type]
    assert caught.value.answer_id == ANSWER_ID
    assert lex.calls == []
    assert store.calls == ["active_answer"]


def test_the_code_hooks_pending_marker_gives_a_handle_with_this_turns_token_and_no_text() -> None:
    lex = RecordingLex(PENDING)
    reply = chat(lex, Streaming(RecordingStore()), request())  # type: ignore[arg-type]
    token = lex.calls[0]["request_attributes"][ANSWER_TOKEN_ATTRIBUTE]
    body = reply.to_body()
    assert body["answer"] == {"id": ANSWER_ID, "token": token, "url": f"/chat/answers/{ANSWER_ID}"}
    assert (body["source"], body["msg"], body["messages"], body["intent"]) == (
        "llm",
        "",
        [],
        "FallbackIntent",
    )


@pytest.mark.parametrize(
    "marker",
    [
        "other-turn:llm-pending:" + ANSWER_ID,  # another turn's marker
        "{turn}:llm-pending:not-a-uuid",  # not an answer id
        "{turn}:llm-pending:" + ANSWER_ID.upper(),  # ids are lowercase uuids
        "{turn}:llm-pending:",
    ],
)
def test_a_marker_not_for_this_turn_or_without_an_answer_id_gives_no_handle(marker: str) -> None:
    lex = RecordingLex(lex_turn("Sorry?", marker=marker, intent="FallbackIntent"))
    body = chat(lex, Streaming(RecordingStore()), request()).to_body()  # type: ignore[arg-type]
    assert "answer" not in body
    assert (body["source"], body["msg"]) == ("lex", "Sorry?")


def test_a_pending_marker_on_a_turn_sent_without_stream_gives_no_handle_but_is_the_llms() -> None:
    lex = RecordingLex(PENDING)
    body = chat(lex, Streaming(RecordingStore()), request(stream=False)).to_body()  # type: ignore[arg-type]
    assert "answer" not in body
    assert (body["source"], body["msg"]) == ("llm", "Writing the answer…")


def test_each_turn_costs_one_active_answer_read_and_one_append_after_the_first() -> None:
    lex = RecordingLex(lex_turn("Hello there!"))
    store = RecordingStore()
    streaming = Streaming(store, ttl_seconds=7200)  # type: ignore[arg-type]
    for _ in range(3):
        chat(lex, streaming, request())
    assert store.calls == [
        "active_answer",
        "open_conversation",
        "append_turns",
        "active_answer",
        "append_turns",
        "active_answer",
        "append_turns",
    ]
    assert store.ttls == [7200, 7200, 7200]


def test_the_first_turn_returns_the_conversation_token_once_and_the_store_keeps_it() -> None:
    lex = RecordingLex(lex_turn("Hello there!"))
    store = RecordingStore()
    streaming = Streaming(store)  # type: ignore[arg-type]
    first = chat(lex, streaming, request()).to_body()
    second = chat(lex, streaming, request()).to_body()
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", first["conversation"]["token"])
    assert store.tokens == {"web-tab-7": first["conversation"]["token"]}
    assert "conversation" not in second


def test_a_session_another_container_opened_gets_no_token_here() -> None:
    store = RecordingStore()
    store.tokens["web-tab-7"] = "set-by-another-container"
    body = chat(RecordingLex(lex_turn("Hi")), Streaming(store), request()).to_body()  # type: ignore[arg-type]
    assert "conversation" not in body
    assert store.tokens["web-tab-7"] == "set-by-another-container"


def test_the_transcript_keeps_the_users_text_and_the_bots_reply_with_its_answer_id() -> None:
    store = RecordingStore()
    streaming = Streaming(store, now=clock())  # type: ignore[arg-type]
    chat(RecordingLex(lex_turn("Hi! What's your name?")), streaming, request("hello"))
    chat(RecordingLex(PENDING), streaming, request("tell me about tides"))
    turns = store.turns["web-tab-7"]
    assert [t["role"] for t in turns] == ["user", "bot", "user", "bot"]
    assert turns[0] == {"role": "user", "text": "hello", "at": "2025-12-01T08:00:00.000Z"}
    assert turns[1] == {
        "role": "bot",
        "source": "lex",
        "msg": "Hi! What's your name?",
        "messages": [{"contentType": "PlainText", "content": "Hi! What's your name?"}],
        "at": "2025-12-01T08:00:00.250Z",
    }
    # (the clock moves 0.25 s per reading; a turn reads it three times)
    assert turns[2] == {"role": "user", "text": "tell me about tides", "at": "2025-12-01T08:00:00.750Z"}
    assert turns[3] == {
        "role": "bot",
        "source": "llm",
        "msg": "",
        "messages": [],
        "answerId": ANSWER_ID,
        "at": "2025-12-01T08:00:01.000Z",
    }


def test_slots_are_kept_in_the_transcript_when_the_turn_has_some() -> None:
    response = lex_turn("Which size?")
    response["sessionState"]["intent"]["slots"] = {"Size": {"value": {"interpretedValue": "large"}}}
    store = RecordingStore()
    chat(RecordingLex(response), Streaming(store), request())  # type: ignore[arg-type]
    assert store.turns["web-tab-7"][1]["slots"] == {"Size": "large"}


def test_a_failing_store_never_fails_the_turn_says_why_and_still_hands_out_the_token_it_took() -> None:
    store = RecordingStore(fail_append=True)
    reply = chat(RecordingLex(lex_turn("Hello there!")), Streaming(store), request())  # type: ignore[arg-type]
    assert reply.msg == "Hello there!"
    assert reply.store_error == "RuntimeError: the table is not there"
    assert reply.to_body()["conversation"] == {"token": store.tokens["web-tab-7"]}


def test_a_store_that_cannot_say_whether_the_session_is_busy_lets_the_turn_through() -> None:
    class Unreachable(RecordingStore):
        def active_answer(self, session_id: str) -> str | None:
            raise TimeoutError("read timed out")

    lex = RecordingLex(lex_turn("Hello there!"))
    reply = chat(lex, Streaming(Unreachable()), request())  # type: ignore[arg-type]
    assert reply.msg == "Hello there!"
    assert len(lex.calls) == 1
    assert reply.store_error == "TimeoutError: read timed out"


def test_utc_stamps_have_milliseconds_and_a_z() -> None:
    assert utc_stamp(0.0) == "1970-01-01T00:00:00.000Z"
    assert utc_stamp(1_764_576_000.9999) == "2025-12-01T08:00:00.999Z"


def test_opened_sessions_are_bounded_and_forgotten_after_their_age() -> None:
    opened = OpenedSessions(max_entries=2, max_age=10.0)
    opened.add("a", 0.0)
    opened.add("b", 1.0)
    opened.add("c", 2.0)
    assert not opened.known("a", 3.0)
    assert opened.known("b", 3.0)
    assert opened.known("c", 3.0)
    assert not opened.known("b", 11.5)


# --- the memory fold in the write-back ------------------------------------------------------------


def folding(attributes: Mapping[str, str], store: Any, locale: str) -> dict[str, str]:
    """Stands in for conversation_memory's fold: remembers a fixed ended answer, drops the attribute."""
    others = {k: v for k, v in attributes.items() if k != PENDING_ANSWER_ATTRIBUTE}
    history, _ = conversation_memory.load_history(others)
    return conversation_memory.remember(
        others, history, "what are tides", f"Tides ({locale}).", max_messages=10
    )


def test_the_write_back_folds_a_pending_answer_before_adding_this_turn() -> None:
    response = lex_turn("Hi! What's your name?", attributes={PENDING_ANSWER_ATTRIBUTE: ANSWER_ID})
    lex = RecordingLex(response)
    streaming = Streaming(RecordingStore(), fold_function=folding)  # type: ignore[arg-type]
    reply = chat(lex, streaming, request("hello"), history=10)
    assert reply.memory == "written"
    attributes = lex.puts[0]["session_state"]["sessionAttributes"]
    assert PENDING_ANSWER_ATTRIBUTE not in attributes
    history, _ = conversation_memory.load_history(attributes)
    assert [m.content for m in history] == [
        "what are tides",
        "Tides (en_US).",
        "hello",
        "Hi! What's your name?",
    ]


def test_a_fold_that_cannot_read_the_store_leaves_the_pending_answer_for_later() -> None:
    def broken(attributes: Mapping[str, str], store: Any, locale: str) -> dict[str, str]:
        raise ConnectionError("store unreachable")

    response = lex_turn("Hi!", attributes={PENDING_ANSWER_ATTRIBUTE: ANSWER_ID})
    lex = RecordingLex(response)
    chat(lex, Streaming(RecordingStore(), fold_function=broken), request("hello"), history=10)  # type: ignore[arg-type]
    attributes = lex.puts[0]["session_state"]["sessionAttributes"]
    assert attributes[PENDING_ANSWER_ATTRIBUTE] == ANSWER_ID
    history, _ = conversation_memory.load_history(attributes)
    assert [m.content for m in history] == ["hello", "Hi!"]


def test_a_streamed_turn_is_not_written_back() -> None:
    lex = RecordingLex(PENDING)
    chat(lex, Streaming(RecordingStore(), fold_function=folding), request(), history=10)  # type: ignore[arg-type]
    assert lex.puts == []
