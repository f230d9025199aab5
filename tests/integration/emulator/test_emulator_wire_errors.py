"""Every wire error the emulator answers, with the status, x-amzn-ErrorType and JSON body Lex uses.

Raw HTTP (requests) where boto3 would refuse to send the request; boto3 where it can send it.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from typing import Any

import pytest
import requests

from tests.integration.emulator.emulator_support import ALIAS_ID, BOT_ID, Served

SESSION_PATH = f"/bots/{BOT_ID}/botAliases/{ALIAS_ID}/botLocales/en_US/sessions/wire-session"


def post_text(
    served: Served, body: Any, *, path: str = SESSION_PATH, raw: bytes | None = None
) -> requests.Response:
    data = raw if raw is not None else json.dumps(body).encode("utf-8")
    return requests.post(
        f"{served.url}{path}/text", data=data, headers={"Content-Type": "application/json"}, timeout=10
    )


def assert_error(response: requests.Response, status: int, name: str, *fragments: str) -> None:
    assert response.status_code == status
    assert response.headers["x-amzn-ErrorType"] == name
    assert response.headers["x-amzn-RequestId"]
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"message"}
    for fragment in fragments:
        assert fragment in body["message"]
    assert "Traceback" not in body["message"]


def test_an_unsigned_request_is_answered(served: Served) -> None:
    response = post_text(served, {"text": "Hello"})

    assert response.status_code == 200
    assert response.headers["x-amzn-RequestId"]
    assert response.json()["sessionState"]["dialogAction"] == {"type": "ElicitSlot", "slotToElicit": "Name"}


def test_text_longer_than_1024_characters_is_a_validation_error(served: Served) -> None:
    assert_error(post_text(served, {"text": "a" * 1025}), 400, "ValidationException", "'text'", "1024")


def test_text_of_exactly_1024_characters_is_accepted(served: Served) -> None:
    assert post_text(served, {"text": "a" * 1024}).status_code == 200


def test_text_length_counts_utf16_code_units_as_lex_does(served: Served) -> None:
    # boto3 counts 600 characters and sends it; Lex counts 1200 code units and refuses.
    with pytest.raises(served.client.exceptions.ValidationException) as raised:
        served.say("😀" * 600, locale="en_US")

    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "'text'" in raised.value.response["Error"]["Message"]


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"text": ""}, "'text'"),
        ({}, "'text' failed to satisfy constraint: Member must not be null"),
        ({"text": 42}, "'text'"),
        (
            {"text": "hi", "sessionState": {"dialogAction": {"type": "Explode"}}},
            "sessionState.dialogAction.type",
        ),
        ({"text": "hi", "sessionState": {"intent": {"slots": {}}}}, "sessionState.intent.name"),
        ({"text": "hi", "sessionState": {"sessionAttributes": {"a": 1}}}, "sessionState.sessionAttributes.a"),
        ({"text": "hi", "requestAttributes": {"channel": ["web"]}}, "requestAttributes.channel"),
        ({"text": "hi", "sessionState": "open"}, "'sessionState'"),
    ],
)
def test_a_malformed_request_is_a_validation_error(
    served: Served, body: dict[str, Any], fragment: str
) -> None:
    assert_error(post_text(served, body), 400, "ValidationException", fragment)


@pytest.mark.parametrize(
    ("session_id", "fragment"),
    [
        ("a", "length greater than or equal to 2"),
        ("x" * 101, "less than or equal to 100"),
        ("bad%20id", "pattern"),
    ],
)
def test_a_bad_session_id_is_a_validation_error(served: Served, session_id: str, fragment: str) -> None:
    path = f"/bots/{BOT_ID}/botAliases/{ALIAS_ID}/botLocales/en_US/sessions/{session_id}"

    assert_error(
        post_text(served, {"text": "hi"}, path=path), 400, "ValidationException", "'sessionId'", fragment
    )


def test_a_malformed_bot_id_is_a_validation_error(served: Served) -> None:
    path = f"/bots/SHORT/botAliases/{ALIAS_ID}/botLocales/en_US/sessions/wire-session"

    assert_error(post_text(served, {"text": "hi"}, path=path), 400, "ValidationException", "'botId'")


@pytest.mark.parametrize(
    ("bot_id", "alias_id", "locale", "fragment"),
    [
        ("OTHERBOT01", ALIAS_ID, "en_US", "Could not find bot OTHERBOT01"),
        (BOT_ID, "OTHERALIAS", "en_US", "Could not find alias OTHERALIAS"),
        (BOT_ID, ALIAS_ID, "fr_FR", "has no locale fr_FR"),
    ],
)
def test_an_unknown_bot_alias_or_locale_is_resource_not_found(
    served: Served, bot_id: str, alias_id: str, locale: str, fragment: str
) -> None:
    with pytest.raises(served.client.exceptions.ResourceNotFoundException) as raised:
        served.client.recognize_text(
            botId=bot_id, botAliasId=alias_id, localeId=locale, sessionId="wire-session", text="hi"
        )

    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert fragment in raised.value.response["Error"]["Message"]


@pytest.mark.parametrize("raw", [b"{not json", b'["text", "hi"]', b"\xff\xfe garbage"])
def test_a_body_that_is_not_a_json_object_is_a_validation_error(served: Served, raw: bytes) -> None:
    assert_error(post_text(served, None, raw=raw), 400, "ValidationException", "JSON")


def test_a_body_over_the_size_limit_is_refused_without_reading_it(served: Served) -> None:
    host, port = served.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(
            f"POST {SESSION_PATH}/text HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            "Content-Length: 10000000\r\n\r\n".encode("ascii")
        )
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    assert b"x-amzn-ErrorType: ValidationException" in head
    assert b"Connection: close" in head
    assert "at most" in json.loads(body)["message"]


def test_an_unknown_path_is_an_unknown_operation(served: Served) -> None:
    response = requests.get(f"{served.url}/bots", timeout=10)

    assert_error(response, 404, "UnknownOperationException", "GET /bots")


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [("PUT", SESSION_PATH, "DELETE, GET, POST"), ("GET", f"{SESSION_PATH}/text", "POST")],
)
def test_a_known_path_with_the_wrong_method_says_which_are_allowed(
    served: Served, method: str, path: str, allowed: str
) -> None:
    response = requests.request(method, f"{served.url}{path}", timeout=10)

    assert_error(response, 405, "MethodNotAllowedException", allowed)
    assert response.headers["Allow"] == allowed


def test_start_conversation_is_not_implemented(served: Served) -> None:
    response = requests.post(f"{served.url}{SESSION_PATH}/conversation", data=b"{}", timeout=10)

    assert_error(response, 501, "NotImplementedException", "StartConversation")


def test_recognize_utterance_without_a_content_type_is_a_validation_error(served: Served) -> None:
    response = requests.post(f"{served.url}{SESSION_PATH}/utterance", data=b"audio", timeout=10)

    assert_error(response, 400, "ValidationException", "requestContentType")


def test_an_internal_failure_is_an_internal_server_exception_without_details(
    serve: Callable[..., Served],
) -> None:
    class BrokenRecognizer:
        def recognize(self, text: str) -> list[Any]:
            raise RuntimeError("secret internal detail")

    served = serve(recognizer_factory=lambda intents, *, locale: BrokenRecognizer())

    response = post_text(served, {"text": "hello"})

    assert_error(response, 500, "InternalServerException", "see its log")
    assert "secret internal detail" not in response.text
