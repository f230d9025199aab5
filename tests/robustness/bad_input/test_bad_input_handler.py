"""The same table given straight to the /chat Lambda handler as API Gateway proxy events (built the way
the dev server builds them; invalid UTF-8 arrives base64-encoded), with Lex served by the emulator
on real HTTP. Then the events API Gateway itself could never send: the handler must still answer in
the documented shape, never raise.
"""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

import pytest

import lambda_lex.handler as chat_handler
from devserver.apigw import LambdaContext
from tests.chat_contract import assert_success_body
from tests.robustness.bad_input.bad_input_cases import HANDLER_CASES, Case
from tests.robustness.support.local_stack import ChatAnswer, call_handler, chat_event, post_chat

pytestmark = pytest.mark.usefixtures("chat_stack")


def check(answer: ChatAnswer, status: int, code: str | None) -> None:
    assert answer.status == status, answer.body
    assert answer.headers["Content-Type"] == "application/json; charset=utf-8"
    if code is None:
        assert_success_body(answer.body)
        return
    assert answer.body == {"error": {"code": code, "message": answer.body["error"]["message"]}}
    assert answer.body["error"]["message"]
    assert "Traceback" not in answer.body["error"]["message"]


def assert_next_turn_works() -> None:
    answer = post_chat({"text": "Hello", "locale": "en_US", "sessionId": f"next-{uuid.uuid4()}"})
    assert answer.status == 200
    assert answer.body["intent"] == "HelloWorld"


@pytest.mark.parametrize("case", HANDLER_CASES)
def test_each_malformed_event_gets_its_documented_answer(case: Case) -> None:
    check(call_handler(chat_event(case.body, case.headers)), case.status, case.code)
    assert_next_turn_works()


def test_the_handler_table_is_big_enough() -> None:
    assert len(HANDLER_CASES) >= 40


def plain_event(**overrides: Any) -> dict[str, Any]:
    event = chat_event(json.dumps({"text": "Hello", "locale": "en_US"}).encode())
    event.update(overrides)
    return event


ODD_EVENTS = [
    pytest.param(None, 400, "invalid_json", id="event-none"),
    pytest.param([], 400, "invalid_json", id="event-list"),
    pytest.param("POST /chat", 400, "invalid_json", id="event-string"),
    pytest.param({}, 400, "invalid_json", id="event-empty"),
    pytest.param(plain_event(body=12), 400, "invalid_json", id="body-number"),
    pytest.param(plain_event(body={"text": "Hello"}), 400, "invalid_json", id="body-object-not-string"),
    pytest.param(
        plain_event(body="%%%not base64", isBase64Encoded=True), 400, "invalid_json", id="bad-base64"
    ),
    pytest.param(
        plain_event(
            body=base64.b64encode(b'{"text": "Hello", "locale": "en_US"}').decode(), isBase64Encoded=True
        ),
        200,
        None,
        id="base64-body",
    ),
    pytest.param(plain_event(isBase64Encoded="true"), 200, None, id="base64-flag-a-string-is-not-true"),
    pytest.param(plain_event(headers=None, multiValueHeaders=None), 200, None, id="no-headers-at-all"),
    pytest.param(plain_event(headers={"Content-Type": 5}), 200, None, id="header-value-not-a-string"),
    pytest.param(
        plain_event(headers={}, multiValueHeaders={"content-type": ["text/plain", "application/json"]}),
        415,
        "unsupported_media_type",
        id="multi-value-content-type-first-counts",
    ),
    pytest.param(
        plain_event(headers={"CONTENT-TYPE": "text/csv"}), 415, "unsupported_media_type", id="header-case"
    ),
    pytest.param(plain_event(requestContext="not a mapping"), 200, None, id="request-context-a-string"),
    pytest.param(plain_event(httpMethod="GET"), 200, None, id="method-is-api-gateways-business"),
]


@pytest.mark.parametrize(("event", "status", "code"), ODD_EVENTS)
def test_events_api_gateway_would_never_send_still_get_the_documented_shape(
    event: Any, status: int, code: str | None
) -> None:
    response = chat_handler.handler(event, LambdaContext())
    check(ChatAnswer(response["statusCode"], json.loads(response["body"]), response["headers"]), status, code)
    assert_next_turn_works()


def test_a_context_without_remaining_time_is_fine() -> None:
    response = chat_handler.handler(plain_event(), object())
    assert response["statusCode"] == 200
