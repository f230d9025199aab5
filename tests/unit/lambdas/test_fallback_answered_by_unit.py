"""Who answered a turn: the fallback writes x-chatbot-answered-by = "<turn>:llm" or "<turn>:notice"
(the shared protocol between /chat and the code hook), and nothing without /chat's turn id."""

from __future__ import annotations

import pytest

import lambda_chatgpt.handler as fallback_handler
from lambda_chatgpt.answered_by import ANSWERED_BY_ATTRIBUTE, mark_response, marked, turn_id


def test_the_marker_names_the_turn_and_the_source() -> None:
    event = {"requestAttributes": {"x-chatbot-turn": "abc123"}}

    assert marked({"k": "v"}, event, "llm") == {"k": "v", ANSWERED_BY_ATTRIBUTE: "abc123:llm"}


@pytest.mark.parametrize(
    "event", [{}, None, {"requestAttributes": None}, {"requestAttributes": {"x-chatbot-turn": ""}}]
)
def test_no_turn_id_means_no_marker(event: object) -> None:
    assert turn_id(event) is None
    assert marked({"k": "v"}, event, "notice") == {"k": "v"}


def test_a_response_without_messages_is_not_marked() -> None:
    response: dict[str, object] = {"sessionState": {"sessionAttributes": {}}}
    event = {"requestAttributes": {"x-chatbot-turn": "t"}}

    assert mark_response(response, event, "handler") == {"sessionState": {"sessionAttributes": {}}}


def test_a_fallback_with_no_llm_configured_is_a_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LLM_PROVIDER", "LLM_BASE_URL", "LLM_SECRET_NAME", "OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    fallback_handler.reset_container()
    event = {
        "invocationSource": "FulfillmentCodeHook",
        "inputTranscript": "what is lex",
        "bot": {"localeId": "en_US"},
        "requestAttributes": {"x-chatbot-turn": "t9"},
        "sessionState": {"intent": {"name": "FallbackIntent"}, "sessionAttributes": {"a": "b"}},
    }
    try:
        response = fallback_handler.handler(event, None)
    finally:
        fallback_handler.reset_container()

    assert response["messages"][0]["content"].startswith("No LLM is configured")
    assert response["sessionState"]["sessionAttributes"] == {"a": "b", ANSWERED_BY_ATTRIBUTE: "t9:notice"}


def test_a_misconfigured_fallback_is_a_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLM_PROVIDER", "nonsense")
    fallback_handler.reset_container()
    event = {
        "requestAttributes": {"x-chatbot-turn": "t3"},
        "sessionState": {"intent": {"name": "FallbackIntent"}},
    }
    try:
        response = fallback_handler.handler(event, None)
    finally:
        fallback_handler.reset_container()

    assert response["sessionState"]["sessionAttributes"][ANSWERED_BY_ATTRIBUTE] == "t3:notice"


def test_a_response_that_leaves_the_attributes_alone_is_not_given_a_marker_that_would_replace_them() -> None:
    response: dict[str, object] = {
        "sessionState": {"dialogAction": {"type": "Close"}},
        "messages": [{"contentType": "PlainText", "content": "x"}],
    }

    marked_response = mark_response(response, {"requestAttributes": {"x-chatbot-turn": "t"}}, "notice")

    assert "sessionAttributes" not in marked_response["sessionState"]
