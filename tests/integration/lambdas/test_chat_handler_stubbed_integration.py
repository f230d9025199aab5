"""POST /chat through the real handler and a real lexv2-runtime client, with botocore's Stubber
standing in for Lex: the success shape, every Lex error, and every request error of the contract."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.stub import ANY, Stubber

import lambda_lex.handler as chat_handler
from tests.chat_contract import assert_success_body
from tests.integration.lambdas.lambda_support import FakeLambdaContext, LogCapture, load_event

pytestmark = pytest.mark.usefixtures("chat_env")


@pytest.fixture(autouse=True)
def _memory_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """Most tests here are about one RecognizeText call; the memory tests turn it back on."""
    monkeypatch.setenv("CHAT_HISTORY_MESSAGES", "0")
    chat_handler.reset_container()


@pytest.fixture
def lex() -> Iterator[Stubber]:
    client = chat_handler.container().gateway.client
    with Stubber(client) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


def post(body: object, *, content_type: str | None = "application/json", raw: bool = False) -> dict[str, Any]:
    event = load_event("apigw_chat_post_ko.json")
    event["body"] = body if raw else json.dumps(body, ensure_ascii=False)
    event["headers"] = {} if content_type is None else {"Content-Type": content_type}
    event["multiValueHeaders"] = {}
    return chat_handler.handler(event, FakeLambdaContext())


def body_of(response: dict[str, Any]) -> dict[str, Any]:
    assert response["headers"]["Content-Type"] == "application/json; charset=utf-8"
    assert response["headers"]["Cache-Control"] == "no-store"
    body: dict[str, Any] = json.loads(response["body"])
    return body


def assert_error(response: dict[str, Any], status: int, code: str) -> None:
    assert response["statusCode"] == status
    body = body_of(response)
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str)
    assert body["error"]["message"]
    assert "Traceback" not in response["body"]


def lex_answer(
    *messages: str, intent: str = "HelloWorld", state: str = "Fulfilled", action: str = "Close"
) -> dict[str, Any]:
    return {
        "messages": [{"contentType": "PlainText", "content": m} for m in messages],
        "sessionState": {
            "dialogAction": {"type": action},
            "intent": {"name": intent, "slots": {}, "state": state, "confirmationState": "None"},
            "sessionAttributes": {},
        },
        "interpretations": [{"intent": {"name": intent}}],
        "sessionId": "web-3f2a9c1e-visitor",
    }


def test_a_multi_message_answer_is_returned_whole(lex: Stubber) -> None:
    lex.add_response(
        "recognize_text",
        lex_answer("반갑습니다. 민아님.", "HelloWorld 의도를 종료합니다."),
        expected_params={
            "botId": "ABCDEFGHIJ",
            "botAliasId": "LIVEALIAS1",
            "localeId": "ko_KR",
            "sessionId": "web-3f2a9c1e-visitor",
            "text": "Lex에 대해 설명해줘",
            "requestAttributes": {"x-chatbot-turn": ANY, "x-chatbot-client": ANY},
        },
    )
    response = chat_handler.handler(load_event("apigw_chat_post_ko.json"), FakeLambdaContext())
    assert response["statusCode"] == 200
    body = body_of(response)
    assert_success_body(body)
    assert body["msg"] == "반갑습니다. 민아님.\n\nHelloWorld 의도를 종료합니다."
    assert [m["content"] for m in body["messages"]] == [
        "반갑습니다. 민아님.",
        "HelloWorld 의도를 종료합니다.",
    ]
    assert (body["sessionId"], body["locale"], body["intent"]) == (
        "web-3f2a9c1e-visitor",
        "ko_KR",
        "HelloWorld",
    )
    assert (body["intentState"], body["dialogAction"], body["source"]) == ("Fulfilled", "Close", "lex")


FIXED_TURN = uuid.UUID("00000000-0000-4000-8000-00000000abcd")


def llm_marked(answer: dict[str, Any]) -> dict[str, Any]:
    """The answer as Lex returns it after the code hook marked this turn as the LLM's (protocol: the
    x-chatbot-answered-by session attribute names the turn id /chat sent)."""
    answer["sessionState"]["sessionAttributes"]["x-chatbot-answered-by"] = f"{FIXED_TURN.hex}:llm"
    return answer


@pytest.fixture
def fixed_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uuid, "uuid4", lambda: FIXED_TURN)


@pytest.mark.usefixtures("fixed_turn")
def test_a_fallback_answer_the_code_hook_marked_is_the_llms(lex: Stubber) -> None:
    lex.add_response(
        "recognize_text",
        llm_marked(lex_answer("Lex is a service for chatbots.", intent="FallbackIntent")),
        expected_params={
            "botId": "ABCDEFGHIJ",
            "botAliasId": "LIVEALIAS1",
            "localeId": "en_US",
            "sessionId": "abc-123",
            "text": "what is lex",
            "requestAttributes": {"x-chatbot-turn": FIXED_TURN.hex, "x-chatbot-client": ANY},
        },
    )
    body = body_of(post({"text": "what is lex", "sessionId": "abc-123", "locale": "en_US"}))
    assert (body["source"], body["intent"], body["locale"]) == ("llm", "FallbackIntent", "en_US")


def test_a_fallback_answer_without_the_marker_is_lexs_own(lex: Stubber) -> None:
    lex.add_response("recognize_text", lex_answer("Sorry, I did not get that.", intent="FallbackIntent"))
    body = body_of(post({"text": "what is lex", "sessionId": "abc-124", "locale": "en_US"}))
    assert (body["source"], body["intent"]) == ("lex", "FallbackIntent")


def test_a_base64_body_without_session_id_gets_a_fresh_uuid4_session(lex: Stubber) -> None:
    for _ in range(2):
        lex.add_response("recognize_text", lex_answer("Hi!", action="ElicitSlot", state="InProgress"))
    event = load_event("apigw_chat_post_en_base64.json")
    first = body_of(chat_handler.handler(event, FakeLambdaContext()))
    second = body_of(chat_handler.handler(event, FakeLambdaContext()))
    assert uuid.UUID(first["sessionId"]).version == 4
    assert first["sessionId"] != second["sessionId"]
    assert (first["locale"], first["dialogAction"], first["intentState"]) == (
        "en_US",
        "ElicitSlot",
        "InProgress",
    )


def test_absent_content_type_is_read_as_json(lex: Stubber) -> None:
    lex.add_response("recognize_text", lex_answer("ok"))
    assert post({"text": "hi"}, content_type=None)["statusCode"] == 200


@pytest.mark.parametrize(
    ("code", "lex_status", "status", "api_code"),
    [
        ("ConflictException", 409, 409, "session_busy"),
        ("ValidationException", 400, 400, "invalid_request"),
        ("DependencyFailedException", 424, 502, "upstream_failed"),
        ("BadGatewayException", 502, 502, "upstream_failed"),
        ("InternalServerException", 500, 502, "upstream_failed"),
        ("ResourceNotFoundException", 404, 502, "upstream_failed"),
        ("AccessDeniedException", 403, 502, "upstream_failed"),
    ],
)
def test_each_lex_error_maps_to_its_status(
    lex: Stubber, code: str, lex_status: int, status: int, api_code: str
) -> None:
    lex.add_client_error("recognize_text", service_error_code=code, http_status_code=lex_status)
    assert_error(post({"text": "hi", "sessionId": "abc-123"}), status, api_code)


def test_throttling_is_retried_once_then_429_with_retry_after(lex: Stubber) -> None:
    for _ in range(2):
        lex.add_client_error(
            "recognize_text",
            service_error_code="ThrottlingException",
            http_status_code=429,
            response_meta={"HTTPHeaders": {"retry-after": "2"}},
        )
    response = post({"text": "hi"})
    assert_error(response, 429, "throttled")
    assert response["headers"]["Retry-After"] == "2"


def test_throttling_once_is_absorbed(lex: Stubber) -> None:
    lex.add_client_error("recognize_text", service_error_code="ThrottlingException", http_status_code=429)
    lex.add_response("recognize_text", lex_answer("fine"))
    assert body_of(post({"text": "hi"}))["msg"] == "fine"


@pytest.mark.parametrize(
    ("body", "content_type", "raw", "status", "code"),
    [
        ("{not json", "application/json", True, 400, "invalid_json"),
        ("[1, 2]", "application/json", True, 400, "invalid_json"),
        (None, "application/json", True, 400, "invalid_json"),
        ({"sessionId": "abc"}, "application/json", False, 400, "missing_text"),
        ({"text": "   "}, "application/json", False, 400, "missing_text"),
        ({"text": "a" * 1025}, "application/json", False, 400, "text_too_long"),
        ({"text": "hi", "sessionId": "x"}, "application/json", False, 400, "invalid_session_id"),
        ({"text": "hi", "locale": "fr_FR"}, "application/json", False, 400, "unsupported_locale"),
        ({"text": 5}, "application/json", False, 400, "invalid_field_type"),
        ({"text": "hi", "sessionId": []}, "application/json", False, 400, "invalid_field_type"),
        ({"text": "x" * 17_000}, "application/json", False, 413, "payload_too_large"),
        ({"text": "hi"}, "text/plain", False, 415, "unsupported_media_type"),
        ({"text": "hi"}, "application/x-www-form-urlencoded", False, 415, "unsupported_media_type"),
    ],
)
def test_each_request_error_is_answered_without_calling_lex(
    lex: Stubber, body: object, content_type: str, raw: bool, status: int, code: str
) -> None:
    assert_error(post(body, content_type=content_type, raw=raw), status, code)


def test_invalid_utf8_in_a_base64_body_is_invalid_json(lex: Stubber) -> None:
    event = load_event("apigw_chat_post_en_base64.json")
    event["body"] = base64.b64encode(b'{"text": "\xff\xfe"}').decode()
    assert_error(chat_handler.handler(event, FakeLambdaContext()), 400, "invalid_json")


def test_a_misconfigured_lambda_answers_500_json_and_logs_the_problem(
    monkeypatch: pytest.MonkeyPatch, chat_logs: LogCapture
) -> None:
    monkeypatch.setenv("BOT_ID", "not-a-bot-id")
    chat_handler.reset_container()
    response = post({"text": "hi"})
    assert_error(response, 500, "internal_error")
    assert "BOT_ID='not-a-bot-id'" not in response["body"]
    assert any("BOT_ID='not-a-bot-id'" in line.get("problem", "") for line in chat_logs.lines())


@pytest.mark.usefixtures("fixed_turn")
def test_one_structured_log_line_per_turn_without_the_users_text(lex: Stubber, chat_logs: LogCapture) -> None:
    lex.add_response("recognize_text", llm_marked(lex_answer("ok", intent="FallbackIntent")))
    post({"text": "my secret diary entry", "sessionId": "sess-42"})
    [line] = [line for line in chat_logs.lines() if line["message"] == "chat turn"]
    assert (line["session_id"], line["intent"], line["source"], line["status"]) == (
        "sess-42",
        "FallbackIntent",
        "llm",
        200,
    )
    assert isinstance(line["latency_ms"], float)
    assert line["correlation_id"] == "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
    assert "my secret diary entry" not in chat_logs.text()


def test_user_text_is_logged_only_when_asked(
    lex: Stubber, chat_logs: LogCapture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOG_USER_TEXT", "true")
    chat_handler.reset_container()
    with Stubber(chat_handler.container().gateway.client) as stubber:
        stubber.add_response("recognize_text", lex_answer("ok"))
        post({"text": "log this one", "sessionId": "sess-43"})
    [line] = [line for line in chat_logs.lines() if line["message"] == "chat turn"]
    assert line["user_text"] == "log this one"


def test_with_memory_on_a_lex_turn_is_written_back_with_a_put_session_botocore_accepts(
    monkeypatch: pytest.MonkeyPatch, chat_logs: LogCapture
) -> None:
    monkeypatch.setenv("CHAT_HISTORY_MESSAGES", "10")
    chat_handler.reset_container()
    gateway = chat_handler.container().gateway
    answer = lex_answer("Is your name Minah?", action="ConfirmIntent", state="InProgress")
    value = {"originalValue": "minah", "interpretedValue": "Minah", "resolvedValues": ["Minah"]}
    answer["sessionState"]["intent"]["slots"] = {"FirstName": {"value": value}}
    answer["sessionState"]["sessionAttributes"] = {"theme": "dark"}
    expected_state = {
        **answer["sessionState"],
        "sessionAttributes": {
            "theme": "dark",
            "llmHistory": '{"v":1,"messages":[{"role":"user","content":"minah"},'
            '{"role":"assistant","content":"Is your name Minah?"}]}',
            "x-chatbot-dialog-step": "HelloWorld|ConfirmIntent|",
        },
    }
    with Stubber(gateway.client) as turns, Stubber(gateway.session_client) as sessions:
        turns.add_response("recognize_text", answer)
        sessions.add_response(
            "put_session",
            {"sessionId": "sess-9"},
            expected_params={
                "botId": "ABCDEFGHIJ",
                "botAliasId": "LIVEALIAS1",
                "localeId": "en_US",
                "sessionId": "sess-9",
                "sessionState": expected_state,
            },
        )
        body = body_of(post({"text": "minah", "sessionId": "sess-9", "locale": "en_US"}))
        turns.assert_no_pending_responses()
        sessions.assert_no_pending_responses()
    assert body["slots"] == {"FirstName": "Minah"}
    [line] = [line for line in chat_logs.lines() if line["message"] == "chat turn"]
    assert line["memory"] == "written"


def test_a_failed_put_session_is_a_warning_and_the_answer_still_arrives(
    monkeypatch: pytest.MonkeyPatch, chat_logs: LogCapture
) -> None:
    monkeypatch.setenv("CHAT_HISTORY_MESSAGES", "10")
    chat_handler.reset_container()
    gateway = chat_handler.container().gateway
    with Stubber(gateway.client) as turns, Stubber(gateway.session_client) as sessions:
        turns.add_response("recognize_text", lex_answer("Nice to meet you."))
        sessions.add_client_error(
            "put_session", service_error_code="AccessDeniedException", http_status_code=403
        )
        response = post({"text": "yes", "sessionId": "sess-10", "locale": "en_US"})
    assert response["statusCode"] == 200
    assert body_of(response)["msg"] == "Nice to meet you."
    [warning] = [line for line in chat_logs.lines() if line["level"] == "WARNING"]
    assert "lex:PutSession permission" in warning["message"]
    assert (warning["lex_error"], warning["failure"]) == ("AccessDeniedException", "misconfigured")
