"""A streamed turn through both Lambda handlers and the embedded answer store: POST /chat with
`"stream": true` (Lex stubbed with botocore's Stubber, the code hook's part played where Lex would
call it), the 409 while the answer is written, then the answers Lambda's routes as API Gateway
events: the SSE long poll, its token and cursor rules, Stop, the kept conversation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.stub import ANY, Stubber

import lambda_answers.handler as answers_handler
import lambda_lex.handler as chat_handler
from answer_store import AnswerStore, from_env, reset_shared_store
from lambda_chatgpt.sse import SseDecoder
from tests.chat_contract import SUCCESS_FIELDS, assert_success_body
from tests.integration.lambdas.lambda_support import FakeLambdaContext, LogCapture, load_event

SESSION = "web-int-tides-1"


@pytest.fixture
def store(chat_env: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[AnswerStore]:
    monkeypatch.setenv("ANSWER_STORE", "embedded")
    monkeypatch.setenv("CHAT_HISTORY_MESSAGES", "0")
    reset_shared_store()
    chat_handler.reset_container()
    answers_handler.reset_container()
    shared = from_env()
    assert shared is not None
    yield shared
    reset_shared_store()
    chat_handler.reset_container()
    answers_handler.reset_container()


@pytest.fixture
def answers_logs() -> Iterator[LogCapture]:
    """The answers handler's JSON log lines."""
    handler: Any = answers_handler.logger.registered_handler
    capture = LogCapture()
    previous = handler.setStream(capture.stream)
    try:
        yield capture
    finally:
        handler.setStream(previous)


@pytest.fixture
def lex() -> Iterator[Stubber]:
    client = chat_handler.container().gateway.client
    with Stubber(client) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


def lex_answer(text: str, intent: str = "FallbackIntent") -> dict[str, Any]:
    return {
        "messages": [{"contentType": "PlainText", "content": text}],
        "sessionState": {
            "dialogAction": {"type": "Close"},
            "intent": {"name": intent, "slots": {}, "state": "Fulfilled", "confirmationState": "None"},
            "sessionAttributes": {},
        },
        "interpretations": [{"intent": {"name": intent}}],
        "sessionId": SESSION,
    }


def play_code_hook(store: AnswerStore, response: dict[str, Any]) -> list[dict[str, str]]:
    """When /chat calls RecognizeText, do what the streaming code hook does inside Lex: create the
    answer with the turn's token and mark the turn `llm-pending:<id>` in the queued response."""
    seen: list[dict[str, str]] = []

    def hook(params: dict[str, Any], **_: Any) -> None:
        attributes = params["requestAttributes"]
        seen.append(attributes)
        answer_id = store.create(
            session_id=params["sessionId"],
            token=attributes["x-chatbot-answer-token"],
            job={
                "question": params["text"],
                "locale": params["localeId"],
                "historyLimit": 10,
                "messages": [],
            },
            ttl_seconds=3600,
        )
        marker = f"{attributes['x-chatbot-turn']}:llm-pending:{answer_id}"
        response["sessionState"]["sessionAttributes"]["x-chatbot-answered-by"] = marker

    client = chat_handler.container().gateway.client
    client.meta.events.register("provide-client-params.lex-runtime-v2.RecognizeText", hook)
    return seen


def post_chat(body: dict[str, Any]) -> dict[str, Any]:
    event = load_event("apigw_chat_post_ko.json")
    event["body"] = json.dumps(body, ensure_ascii=False)
    return chat_handler.handler(event, FakeLambdaContext())


def answers_event(
    method: str, path: str, headers: dict[str, str], after: str | None = None
) -> dict[str, Any]:
    return {
        "resource": "/chat/answers/{id}",
        "path": path,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": {name: [value] for name, value in headers.items()},
        "queryStringParameters": None if after is None else {"after": after},
        "multiValueQueryStringParameters": None if after is None else {"after": [after]},
        "pathParameters": None,
        "requestContext": {"requestId": "req-answers-1", "stage": "prod"},
        "body": None,
        "isBase64Encoded": False,
    }


def call(event: dict[str, Any], remaining_ms: int = 29_000) -> dict[str, Any]:
    return answers_handler.handler(event, FakeLambdaContext(remaining_ms))


def sse(response: dict[str, Any]) -> list[tuple[str, Any]]:
    assert response["statusCode"] == 200, response
    assert response["headers"]["Content-Type"] == "text/event-stream; charset=utf-8"
    assert response["headers"]["Cache-Control"] == "no-store"
    return [(e.event, json.loads(e.data)) for e in SseDecoder().feed(response["body"].encode())]


def json_body(response: dict[str, Any]) -> Any:
    assert response["headers"]["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response["body"])


def test_a_streamed_turn_from_post_chat_to_the_last_event(
    store: AnswerStore, lex: Stubber, chat_logs: LogCapture, answers_logs: LogCapture
) -> None:
    response = lex_answer("Writing the answer…")
    lex.add_response("recognize_text", response)
    seen = play_code_hook(store, response)

    first = post_chat(
        {"text": "why are there tides", "sessionId": SESSION, "locale": "en_US", "stream": True}
    )
    assert first["statusCode"] == 200
    body = json_body(first)
    assert_success_body(body)
    handle = body["answer"]
    assert handle["token"] == seen[0]["x-chatbot-answer-token"]
    assert seen[0]["x-chatbot-stream"] == "1"
    assert (body["source"], body["msg"], body["messages"]) == ("llm", "", [])
    conversation_token = body["conversation"]["token"]

    # A new message while the answer is written: refused before Lex (no stubbed response queued).
    busy = post_chat({"text": "hello?", "sessionId": SESSION, "locale": "en_US"})
    assert busy["statusCode"] == 409
    assert json_body(busy)["error"]["code"] == "session_busy"
    assert json_body(busy)["error"]["answerId"] == handle["id"]

    # Nothing written yet: a short Lambda budget answers with only a keep-alive.
    read = answers_event("GET", handle["url"], {"X-Answer-Token": handle["token"]})
    assert call(read, remaining_ms=2_000)["body"] == ": keep-alive\n\n"

    store.claim(handle["id"])
    store.append(handle["id"], "The moon ")
    store.append(handle["id"], "pulls the sea.")
    assert sse(call(read)) == [("delta", {"text": "The moon pulls the sea."})]
    store.finish(handle["id"], "done", finish_reason="stop")
    resumed = answers_event("GET", handle["url"], {"x-answer-token": handle["token"], "Last-Event-ID": "2"})
    assert sse(call(resumed)) == [
        ("end", {"status": "done", "errorKind": None, "finishReason": "stop", "notice": None}),
    ]

    stop = answers_event("POST", handle["url"] + "/stop", {"X-Answer-Token": conversation_token})
    assert json_body(call(stop)) == {"stopped": False, "status": "done"}

    kept = answers_event(
        "GET", f"/chat/conversations/{SESSION}", {"X-Conversation-Token": conversation_token}
    )
    conversation = json_body(call(kept))
    assert conversation["activeAnswer"] is None
    user, bot = conversation["turns"]
    assert user["text"] == "why are there tides"
    assert bot["answer"]["text"] == "The moon pulls the sea."
    assert bot["answer"]["status"] == "done"

    # The tokens open answers: they never reach a log line (the answer's id may).
    logged = chat_logs.text() + answers_logs.text()
    assert handle["id"] in logged
    assert handle["token"] not in logged
    assert conversation_token not in logged


def test_wrong_tokens_and_unknown_answers_get_one_404_and_bad_requests_their_errors(
    store: AnswerStore, lex: Stubber
) -> None:
    answer_id = store.create(
        session_id=SESSION, token="the-right-token", job={"locale": "en_US"}, ttl_seconds=60
    )
    path = f"/chat/answers/{answer_id}"
    wrong = call(answers_event("GET", path, {"X-Answer-Token": "not-the-token"}))
    missing = call(answers_event("GET", path, {}))
    unknown = call(
        answers_event("GET", "/chat/answers/0b5d5a7e-34c1-4f0e-9d4b-6a1f2e3c4d5e", {"X-Answer-Token": "x"})
    )
    assert wrong["statusCode"] == missing["statusCode"] == unknown["statusCode"] == 404
    assert wrong["body"] == missing["body"] == unknown["body"]
    assert json_body(wrong)["error"]["code"] == "answer_not_found"

    bad_cursor = call(answers_event("GET", path, {"X-Answer-Token": "the-right-token"}, after="-3"))
    assert (bad_cursor["statusCode"], json_body(bad_cursor)["error"]["code"]) == (400, "invalid_cursor")
    wrong_method = call(answers_event("DELETE", path, {"X-Answer-Token": "the-right-token"}))
    assert (wrong_method["statusCode"], wrong_method["headers"]["Allow"]) == (405, "GET")
    stop_by_get = call(answers_event("GET", path + "/stop", {"X-Answer-Token": "the-right-token"}))
    assert (stop_by_get["statusCode"], stop_by_get["headers"]["Allow"]) == (405, "POST")
    nowhere = call(answers_event("GET", "/chat/elsewhere", {}))
    assert (nowhere["statusCode"], json_body(nowhere)["error"]["code"]) == (404, "not_found")


def test_stream_true_is_validated_and_ignored_without_a_store(
    chat_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ANSWER_STORE", raising=False)
    monkeypatch.delenv("ANSWER_TABLE_NAME", raising=False)
    monkeypatch.setenv("CHAT_HISTORY_MESSAGES", "0")
    chat_handler.reset_container()
    bad = post_chat({"text": "hi", "stream": "yes"})
    assert (bad["statusCode"], json_body(bad)["error"]["code"]) == (400, "invalid_field_type")
    client = chat_handler.container().gateway.client
    with Stubber(client) as stubber:
        stubber.add_response(
            "recognize_text",
            lex_answer("Hello!", intent="Greeting"),
            expected_params={
                "botId": ANY,
                "botAliasId": ANY,
                "localeId": "en_US",
                "sessionId": SESSION,
                "text": "hi",
                "requestAttributes": {"x-chatbot-turn": ANY, "x-chatbot-client": ANY},
            },
        )
        reply = post_chat({"text": "hi", "sessionId": SESSION, "locale": "en_US", "stream": True})
    assert set(json_body(reply)) == SUCCESS_FIELDS


def test_the_answers_lambda_without_a_store_is_a_500_not_a_crash(
    chat_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ANSWER_STORE", raising=False)
    monkeypatch.delenv("ANSWER_TABLE_NAME", raising=False)
    answers_handler.reset_container()
    response = call(answers_event("GET", "/chat/answers/0b5d5a7e-34c1-4f0e-9d4b-6a1f2e3c4d5e", {}))
    assert (response["statusCode"], json_body(response)["error"]["code"]) == (500, "internal_error")
