"""The /chat contract as the tests check it: the 200 body's shape, and each documented status and
its error codes."""

from __future__ import annotations

from typing import Any

# Who answered a turn: Lex itself, the LLM, an intent's handler, or the fallback's fixed notice.
SOURCES = frozenset({"lex", "llm", "handler", "notice"})
# Lex V2's intent states, as Lex reports them (null when the turn has no intent state).
INTENT_STATES = frozenset(
    {"Failed", "Fulfilled", "InProgress", "ReadyForFulfillment", "Waiting", "FulfillmentInProgress"}
)
SUCCESS_FIELDS = frozenset(
    {"msg", "messages", "sessionId", "locale", "intent", "intentState", "dialogAction", "slots", "source"}
)
# Only with an answer store (issue 11): the handle of a streamed answer, and the conversation token
# returned once, on a session's first turn.
OPTIONAL_FIELDS = frozenset({"answer", "conversation"})

DOCUMENTED_ERRORS: dict[int, set[str]] = {
    400: {
        "invalid_json",
        "missing_text",
        "text_too_long",
        "invalid_session_id",
        "unsupported_locale",
        "invalid_field_type",
        "invalid_request",
    },
    409: {"session_busy"},
    413: {"payload_too_large"},
    415: {"unsupported_media_type"},
    429: {"throttled"},
    502: {"upstream_failed"},
    504: {"upstream_timeout"},
}


def assert_success_body(body: Any) -> None:
    """A 200 body has exactly the documented fields, each of its documented type."""
    assert isinstance(body, dict), body
    assert set(body) - OPTIONAL_FIELDS == SUCCESS_FIELDS, body
    if "answer" in body:
        answer = body["answer"]
        assert set(answer) == {"id", "token", "url"}, answer
        assert all(isinstance(value, str) and value for value in answer.values()), answer
        assert answer["url"] == f"/chat/answers/{answer['id']}", answer
        assert body["source"] == "llm", body
    if "conversation" in body:
        assert set(body["conversation"]) == {"token"}, body["conversation"]
        assert isinstance(body["conversation"]["token"], str), body["conversation"]
    assert isinstance(body["msg"], str)
    assert isinstance(body["messages"], list)
    for message in body["messages"]:
        assert set(message) == {"contentType", "content"}, message
        assert isinstance(message["content"], str)
    assert isinstance(body["sessionId"], str)
    assert isinstance(body["locale"], str)
    for key in ("intent", "dialogAction"):
        assert body[key] is None or isinstance(body[key], str), (key, body[key])
    assert body["intentState"] is None or body["intentState"] in INTENT_STATES, body["intentState"]
    assert body["source"] in SOURCES, body["source"]
    slots = body["slots"]
    assert isinstance(slots, dict), slots
    for name, value in slots.items():
        assert isinstance(name, str)
        ok = value is None or isinstance(value, str)
        ok = ok or (isinstance(value, list) and all(isinstance(v, str) for v in value))
        assert ok, (name, value)
