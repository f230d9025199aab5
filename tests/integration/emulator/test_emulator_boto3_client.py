"""boto3 as a client: RecognizeUtterance with text input beside RecognizeText and the session calls.

RecognizeUtterance answers in headers that botocore hands over as they came: JSON, gzip-compressed
then base64-encoded (inputTranscript, interpretations, messages, requestAttributes, sessionState),
as https://docs.aws.amazon.com/lexv2/latest/dg/API_runtime_RecognizeUtterance.html lists them.
"""

from __future__ import annotations

import base64
import gzip
import json
from typing import Any

import pytest
import requests

from lex_emulator.wire import packed_header, unpack_header
from tests.integration.emulator.emulator_support import ALIAS_ID, BOT_ID, Served

IDS = {"botId": BOT_ID, "botAliasId": ALIAS_ID}
TEXT = "text/plain; charset=utf-8"
UTTERANCE_PATH = f"/bots/{BOT_ID}/botAliases/{ALIAS_ID}/botLocales/en_US/sessions/raw-1/utterance"


def utter(served: Served, text: str, *, session: str = "utter-1", locale: str = "en_US", **extra: Any) -> Any:
    arguments: dict[str, Any] = {"requestContentType": TEXT, "responseContentType": TEXT, **extra}
    return served.client.recognize_utterance(
        **IDS, localeId=locale, sessionId=session, inputStream=text.encode("utf-8"), **arguments
    )


def decoded(response: dict[str, Any], name: str) -> Any:
    return unpack_header(response[name]) if name in response else None


def test_recognize_utterance_runs_the_same_dialog_as_recognize_text(served: Served) -> None:
    first = utter(served, "Hello")
    second = utter(served, "I'm Ann")

    assert first["inputMode"] == "Text"
    assert first["contentType"] == TEXT
    assert first["sessionId"] == "utter-1"
    assert first["audioStream"].read() == b""
    assert decoded(first, "messages") == [
        {"contentType": "PlainText", "content": "My name is Lex. What is your name?"}
    ]
    assert decoded(first, "sessionState")["dialogAction"] == {"type": "ElicitSlot", "slotToElicit": "Name"}
    assert decoded(first, "inputTranscript") == "Hello"
    assert decoded(second, "inputTranscript") == "I'm Ann"
    assert decoded(second, "sessionState")["intent"]["slots"]["Name"]["value"]["interpretedValue"] == "Ann"
    # The same two turns through RecognizeText say the same.
    served.say("Hello", session="text-1", locale="en_US")
    by_text = served.say("I'm Ann", session="text-1", locale="en_US")
    assert decoded(second, "messages") == by_text["messages"]
    assert decoded(second, "interpretations") == by_text["interpretations"]
    assert {k: v for k, v in decoded(second, "sessionState").items() if k != "originatingRequestId"} == {
        k: v for k, v in by_text["sessionState"].items() if k != "originatingRequestId"
    }


def test_utterance_and_text_turns_share_one_session(served: Served) -> None:
    served.say("안녕하세요", session="mixed")
    answer = utter(served, "민수예요", session="mixed", locale="ko_KR")
    session = served.client.get_session(**IDS, localeId="ko_KR", sessionId="mixed")

    assert decoded(answer, "sessionState")["dialogAction"] == {"type": "ConfirmIntent"}
    assert session["sessionState"]["dialogAction"] == {"type": "ConfirmIntent"}
    assert session["messages"] == decoded(answer, "messages")


def test_session_state_and_request_attributes_go_in_packed_and_come_back_packed(served: Served) -> None:
    answer = utter(
        served,
        "Hello",
        sessionState=packed_header({"sessionAttributes": {"plan": "gold"}}),
        requestAttributes=packed_header({"channel": "kiosk"}),
    )

    assert decoded(answer, "sessionState")["sessionAttributes"] == {"plan": "gold"}
    assert decoded(answer, "requestAttributes") == {"channel": "kiosk"}


def test_a_plain_base64_json_session_state_is_read_too(served: Served) -> None:
    plain = base64.b64encode(json.dumps({"sessionAttributes": {"tier": "1"}}).encode()).decode()

    answer = utter(served, "Hello", sessionState=plain)

    assert decoded(answer, "sessionState")["sessionAttributes"] == {"tier": "1"}


def test_the_fallback_code_hook_answers_an_utterance(served: Served) -> None:
    answer = utter(served, "tell me about the moon landing")

    assert decoded(answer, "sessionState")["intent"]["name"] == "FallbackIntent"
    assert decoded(answer, "messages") == [
        {"contentType": "PlainText", "content": "echo: tell me about the moon landing"}
    ]


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        ({"requestContentType": "audio/l16; rate=16000; channels=1"}, "Audio input"),
        ({"requestContentType": "audio/x-cbr-opus-with-preamble; preamble-size=0"}, "no speech recognition"),
        ({"responseContentType": "audio/mpeg"}, "does not synthesize speech"),
        ({"requestContentType": "application/json"}, "requestContentType"),
        ({"requestContentType": "text/plain; charset=latin-1"}, "requestContentType"),
        ({"sessionState": "not base64 at all!"}, "sessionState"),
        ({"sessionState": base64.b64encode(b"[1, 2]").decode()}, "sessionState"),
        ({"requestAttributes": packed_header({"a": 1})}, "requestAttributes"),
    ],
)
def test_what_the_emulator_cannot_take_is_a_validation_exception(
    served: Served, extra: dict[str, str], fragment: str
) -> None:
    with pytest.raises(served.client.exceptions.ValidationException) as raised:
        utter(served, "Hello", **extra)

    assert fragment in raised.value.response["Error"]["Message"]
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


@pytest.mark.parametrize(("text", "fragment"), [("", "greater than or equal to 1"), ("😀" * 513, "1024")])
def test_utterance_text_length_is_checked_in_utf16_units(served: Served, text: str, fragment: str) -> None:
    with pytest.raises(served.client.exceptions.ValidationException, match=fragment):
        utter(served, text)


def test_an_unknown_bot_is_resource_not_found(served: Served) -> None:
    with pytest.raises(served.client.exceptions.ResourceNotFoundException):
        served.client.recognize_utterance(
            botId="NOSUCHBOT1",
            botAliasId=ALIAS_ID,
            localeId="en_US",
            sessionId="utter-1",
            requestContentType=TEXT,
            inputStream=b"Hello",
        )


def test_a_body_that_is_not_utf8_is_refused(served: Served) -> None:
    response = requests.post(
        f"{served.url}{UTTERANCE_PATH}", data=b"\xff\xfe", headers={"Content-Type": TEXT}, timeout=10
    )

    assert response.status_code == 400
    assert response.headers["x-amzn-ErrorType"] == "ValidationException"
    assert "UTF-8" in response.json()["message"]


def test_a_gzip_bomb_in_a_header_is_refused(served: Served) -> None:
    bomb = base64.b64encode(gzip.compress(b'{"a":"' + b"x" * 2_000_000 + b'"}')).decode()

    with pytest.raises(served.client.exceptions.ValidationException, match="unpacks to more than"):
        utter(served, "Hello", sessionState=bomb)


def test_no_response_content_type_answers_text(served: Served) -> None:
    answer = served.client.recognize_utterance(
        **IDS, localeId="en_US", sessionId="utter-2", requestContentType=TEXT, inputStream=b"Hello"
    )

    assert answer["contentType"] == TEXT
    assert decoded(answer, "inputTranscript") == "Hello"
