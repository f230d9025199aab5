"""POST /chat on the dev server, end to end: lambda_lex -> boto3 -> emulator -> lambda_chatgpt -> fake LLM."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import uuid
from typing import Any

import pytest
import requests

from devserver.process import DevServerProcess
from tests.chat_contract import assert_success_body
from tests.fakes.openai_server import Behaviour, FakeOpenAIServer
from tests.integration.devserver.devserver_llm import FAKE_MODEL

DIALOGS = {
    "ko_KR": {
        "greeting": "안녕하세요",
        "name": "민수",
        "yes": "네",
        "prompt": "제 이름은 Lex입니다. 당신의 이름은 무엇 입니까?",
        "confirm": "당신의 이름은 민수입니까?",
        "success": "반갑습니다. 민수님.",
        "closing": "HelloWorld 의도를 종료합니다.",
    },
    "en_US": {
        "greeting": "Hello",
        "name": "Tom",
        "yes": "yes",
        "prompt": "My name is Lex. What is your name?",
        "confirm": "Is your name Tom?",
        "success": "Nice to meet you, Tom.",
        "closing": "Ending the HelloWorld intent.",
    },
}


def chat(
    http: requests.Session, server: DevServerProcess, text: str, session: str, locale: str | None = None
) -> dict[str, Any]:
    payload = {"text": text, "sessionId": session}
    if locale:
        payload["locale"] = locale
    response = http.post(server.url + "/chat", json=payload, timeout=30)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert_success_body(body)
    return body


def contents(body: dict[str, Any]) -> list[str]:
    return [m["content"] for m in body["messages"]]


@pytest.mark.parametrize("locale", ["ko_KR", "en_US"])
def test_hello_world_dialog_from_greeting_to_closing(
    server: DevServerProcess, http: requests.Session, llm: FakeOpenAIServer, locale: str
) -> None:
    lines = DIALOGS[locale]
    session = f"dialog-{uuid.uuid4()}"

    greeting = chat(http, server, lines["greeting"], session, locale)
    assert greeting["intent"] == "HelloWorld"
    assert greeting["dialogAction"] == "ElicitSlot"
    assert greeting["source"] == "lex"
    assert greeting["sessionId"] == session
    assert greeting["locale"] == locale
    assert contents(greeting) == [lines["prompt"]]

    assert greeting["intentState"] == "InProgress"
    assert greeting["slots"] == {"Name": None}

    named = chat(http, server, lines["name"], session, locale)
    assert named["dialogAction"] == "ConfirmIntent"
    assert contents(named) == [lines["confirm"]]
    assert named["slots"] == {"Name": lines["name"]}

    done = chat(http, server, lines["yes"], session, locale)
    assert done["intent"] == "HelloWorld"
    # HelloWorld has no fulfillment code hook: Lex closes it as ReadyForFulfillment, not Fulfilled.
    assert done["intentState"] == "ReadyForFulfillment"
    assert done["dialogAction"] == "Close"
    assert done["source"] == "lex"
    assert done["slots"] == {"Name": lines["name"]}
    assert contents(done) == [lines["success"], lines["closing"]]
    assert lines["success"] in done["msg"]
    assert lines["closing"] in done["msg"]
    assert llm.requests == []  # the greeting path never asks the LLM


def test_default_locale_is_korean(server: DevServerProcess, http: requests.Session) -> None:
    body = chat(http, server, "안녕하세요", f"default-{uuid.uuid4()}")
    assert body["locale"] == "ko_KR"
    assert contents(body) == [DIALOGS["ko_KR"]["prompt"]]


def test_session_id_is_made_when_absent(server: DevServerProcess, http: requests.Session) -> None:
    response = http.post(server.url + "/chat", json={"text": "Hello", "locale": "en_US"})
    assert response.status_code == 200
    assert uuid.UUID(response.json()["sessionId"])


def test_unknown_input_is_answered_by_the_llm(
    server: DevServerProcess, http: requests.Session, llm: FakeOpenAIServer
) -> None:
    llm.reply = "Amazon Lex is a service for building **chatbots**."
    body = chat(http, server, "Lex에 대해 설명해줘", f"fallback-{uuid.uuid4()}", "ko_KR")
    assert body["source"] == "llm"
    assert body["intent"] == "FallbackIntent"
    assert body["msg"] == "Amazon Lex is a service for building **chatbots**."
    assert len(llm.requests) == 1
    sent = llm.requests[0]
    assert sent.path == "/v1/chat/completions"
    assert sent.authorization_scheme == "Bearer"
    assert sent.body is not None
    assert sent.body["model"] == FAKE_MODEL
    assert sent.body["messages"][-1]["content"] == "Lex에 대해 설명해줘"


def test_llm_failure_still_answers_in_the_conversation(
    server: DevServerProcess, http: requests.Session, llm: FakeOpenAIServer
) -> None:
    llm.default = Behaviour.server_error()
    body = chat(http, server, "What is the meaning of life?", f"llm-down-{uuid.uuid4()}", "en_US")
    assert body["source"] == "notice"  # the fallback's own message, not text an LLM wrote
    assert body["msg"]
    llm.default = Behaviour.ok()
    again = chat(http, server, "What is the meaning of life?", body["sessionId"], "en_US")
    assert again["msg"] == "The fake LLM answers this."


BAD_REQUESTS = [
    pytest.param(b"{not json", "application/json", 400, "invalid_json", id="invalid-json"),
    pytest.param(b'{"sessionId": "abc123"}', "application/json", 400, "missing_text", id="missing-text"),
    pytest.param(b'{"text": "   "}', "application/json", 400, "missing_text", id="blank-text"),
    pytest.param(
        ('{"text": "' + "가" * 1025 + '"}').encode(), "application/json", 400, "text_too_long", id="too-long"
    ),
    pytest.param(
        b'{"text": "hi", "sessionId": "bad id!"}',
        "application/json",
        400,
        "invalid_session_id",
        id="bad-session",
    ),
    pytest.param(
        b'{"text": "hi", "locale": "fr_FR"}', "application/json", 400, "unsupported_locale", id="bad-locale"
    ),
    pytest.param(b'{"text": 5}', "application/json", 400, "invalid_field_type", id="text-not-string"),
    pytest.param(b'{"text": "hi"}', "text/plain", 415, None, id="not-json"),
    pytest.param(b'{"text": "' + b"a" * 17_000 + b'"}', "application/json", 413, None, id="over-16kb"),
]


@pytest.mark.parametrize(("body", "content_type", "status", "code"), BAD_REQUESTS)
def test_bad_input_gets_the_documented_error(
    server: DevServerProcess,
    http: requests.Session,
    body: bytes,
    content_type: str,
    status: int,
    code: str | None,
) -> None:
    response = http.post(server.url + "/chat", data=body, headers={"Content-Type": content_type})
    assert response.status_code == status
    error = response.json()["error"]
    assert set(error) == {"code", "message"}
    assert error["message"]
    if code is not None:
        assert error["code"] == code


def test_huge_body_is_refused_without_reading_it(server: DevServerProcess) -> None:
    host, port = server.url.removeprefix("http://").split(":")
    # The server lingers (reading and dropping what still comes) for a second of silence before it
    # closes: the timeout leaves room for that on a loaded machine.
    with socket.create_connection((host, int(port)), timeout=20) as conn:
        conn.sendall(
            b"POST /chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 50000000\r\n\r\n" + b"{" * 1000
        )
        answer = b""
        # The server answers, then closes without reading the rest: read until it has closed.
        with contextlib.suppress(ConnectionResetError):
            while chunk := conn.recv(65536):
                answer += chunk
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b'"payload_too_large"' in answer
    assert b"Connection: close" in answer


def test_chunked_body_is_refused_with_411(server: DevServerProcess, http: requests.Session) -> None:
    response = http.post(server.url + "/chat", data=iter([b'{"text": "hi"}']))
    assert response.status_code == 411
    assert response.json()["error"]["code"] == "length_required"


def test_slow_llm_turn_does_not_block_another_session(
    server: DevServerProcess, llm: FakeOpenAIServer
) -> None:
    llm.default = Behaviour.slow(4.0, text="slow answer")
    slow_result: dict[str, Any] = {}

    def slow_turn() -> None:
        response = requests.post(
            server.url + "/chat",
            json={"text": "Tell me a long story", "sessionId": f"slow-{uuid.uuid4()}", "locale": "en_US"},
            timeout=30,
        )
        slow_result["body"] = response.json()

    slow = threading.Thread(target=slow_turn)
    slow.start()
    deadline = time.monotonic() + 10
    while not llm.requests and time.monotonic() < deadline:
        time.sleep(0.02)
    assert llm.requests, "the slow turn never reached the LLM"

    greeting = requests.post(
        server.url + "/chat",
        json={"text": "Hello", "sessionId": f"fast-{uuid.uuid4()}", "locale": "en_US"},
        timeout=30,
    )
    assert greeting.status_code == 200
    assert greeting.json()["source"] == "lex"
    assert slow.is_alive(), "the greeting should have been answered while the LLM was still thinking"

    slow.join(timeout=30)
    assert slow_result["body"]["source"] == "llm"
    assert slow_result["body"]["msg"] == "slow answer"


def test_query_string_and_extra_fields_are_ignored(server: DevServerProcess, http: requests.Session) -> None:
    response = http.post(
        server.url + "/chat?debug=1",
        json={"text": "Hello", "locale": "en_US", "sessionId": f"extra-{uuid.uuid4()}", "colour": "blue"},
    )
    assert response.status_code == 200
    assert response.json()["intent"] == "HelloWorld"


def test_with_memory_on_the_confirmation_still_gives_up_after_max_retries(
    server: DevServerProcess, http: requests.Session, llm: FakeOpenAIServer
) -> None:
    """The memory's PutSession must not restart Lex's retry count: HelloWorld's confirmation prompt has
    MaxRetries 2, so the third answer that is neither yes nor no goes to FallbackIntent."""
    llm.reply = "Let us start again."
    session = f"retries-{uuid.uuid4()}"
    assert chat(http, server, "Hello", session, "en_US")["dialogAction"] == "ElicitSlot"
    assert chat(http, server, "Tom", session, "en_US")["dialogAction"] == "ConfirmIntent"
    for attempt in (1, 2):
        again = chat(http, server, "the sky is blue", session, "en_US")
        assert (again["intent"], again["dialogAction"]) == ("HelloWorld", "ConfirmIntent"), attempt
    gave_up = chat(http, server, "the sky is blue", session, "en_US")
    assert gave_up["intent"] == "FallbackIntent"
    assert gave_up["source"] == "llm"
    asked = llm.requests[-1].body
    assert asked is not None
    contents = [message["content"] for message in asked["messages"]]
    # the dialog turns are in the LLM's memory
    assert "Hello" in contents
    assert "Tom" in contents
