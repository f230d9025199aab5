"""Reading code-hook events forgivingly and writing Close responses Lex accepts, within size limits."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lambda_chatgpt.codehook import (
    MAX_RESPONSE_BYTES,
    Turn,
    close_response,
    fitted_response,
    parse_event,
    wire_size,
)
from lambda_chatgpt.memory import ATTRIBUTE
from tests.integration.lambdas.codehook_contract import assert_fallback_close

EVENTS = Path(__file__).resolve().parents[2] / "events"
MARKER = "… (cut)"


def load(name: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / name).read_text(encoding="utf-8"))
    return event


def test_the_korean_sample_event_is_read() -> None:
    turn = parse_event(load("lex_codehook_fallback_ko_KR.json"))
    assert (turn.session_id, turn.locale, turn.transcript) == (
        "web-3f2a9c1e-visitor",
        "ko_KR",
        "Lex에 대해 설명해줘",
    )
    assert turn.invocation_source == "FulfillmentCodeHook"
    assert turn.intent["name"] == "FallbackIntent"
    assert turn.active_contexts == []


def test_the_english_sample_event_keeps_its_session_attributes() -> None:
    turn = parse_event(load("lex_codehook_fallback_en_US.json"))
    assert turn.locale == "en_US"
    assert turn.attributes == {"greetedName": "Mina"}


@pytest.mark.parametrize(
    "event",
    [
        None,
        [],
        "text",
        {},
        {"bot": 5, "sessionState": []},
        {"sessionState": {"sessionAttributes": {"a": 1, "b": "ok"}}},
        {"sessionState": {"intent": {"name": ""}}},
        {"inputTranscript": 42},
    ],
)
def test_odd_events_give_defaults_and_a_valid_close(event: object) -> None:
    turn = parse_event(event)
    assert turn.locale == "en_US"
    assert turn.intent["name"] == "FallbackIntent"
    assert all(isinstance(v, str) for v in turn.attributes.values())
    assert_fallback_close(fitted_response(turn, ["hello"], turn.attributes, turn.attributes, marker=MARKER))


def test_close_keeps_the_intent_name_slots_and_confirmation_state_and_fulfils_it() -> None:
    turn = parse_event(load("lex_codehook_fallback_ko_KR.json"))
    response = close_response(turn, ["답"], {"k": "v"})
    assert response == {
        "sessionState": {
            "sessionAttributes": {"k": "v"},
            "dialogAction": {"type": "Close"},
            "intent": {
                "name": "FallbackIntent",
                "state": "Fulfilled",
                "slots": {},
                "confirmationState": "None",
            },
            "activeContexts": [],
        },
        "messages": [{"contentType": "PlainText", "content": "답"}],
    }
    assert_fallback_close(response)


def test_a_lone_surrogate_in_the_transcript_is_replaced_not_fatal() -> None:
    turn = parse_event({"inputTranscript": "hi \ud800"})
    assert turn.transcript == "hi \ufffd"


def big_turn() -> Turn:
    return Turn(
        session_id="s",
        locale="ko_KR",
        transcript="q",
        invocation_source="FulfillmentCodeHook",
        attributes={},
        intent={"name": "FallbackIntent"},
    )


def test_a_response_too_big_for_lex_drops_the_memory_first() -> None:
    contents = ["가" * 1000] * 3  # 3000 Korean characters: fine alone
    memory = {ATTRIBUTE: "나" * 2600}
    response = fitted_response(big_turn(), contents, memory, {}, marker=MARKER)
    assert wire_size(response) <= MAX_RESPONSE_BYTES
    assert [m["content"] for m in response["messages"]] == contents
    assert ATTRIBUTE not in response["sessionState"]["sessionAttributes"]
    assert_fallback_close(response)


def test_then_trailing_messages_with_a_marker_on_the_last_one_kept() -> None:
    contents = [f"{n}" + "가" * 1000 for n in range(10)]
    response = fitted_response(big_turn(), contents, {}, {}, marker=MARKER)
    assert wire_size(response) <= MAX_RESPONSE_BYTES
    kept = [m["content"] for m in response["messages"]]
    assert 1 < len(kept) < 10
    assert kept[-1].endswith(MARKER)
    assert kept[0] == contents[0]
    assert_fallback_close(response)


def test_invalid_message_lists_are_repaired() -> None:
    response = fitted_response(big_turn(), ["  ", "x" * 2000, *["y"] * 12], {}, {}, marker=MARKER)
    assert_fallback_close(response)
    assert len(response["messages"]) == 10
    assert response["messages"][0]["content"].endswith(MARKER)
    assert fitted_response(big_turn(), [], {}, {}, marker=MARKER)["messages"] == [
        {"contentType": "PlainText", "content": MARKER}
    ]
