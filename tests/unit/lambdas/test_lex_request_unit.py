"""Reading and validating /chat requests: size, media type, JSON and each field's rules."""

from __future__ import annotations

import base64
import json
import re
import uuid
from typing import Any

import pytest

from lambda_lex.errors import ApiError
from lambda_lex.request import (
    MAX_BODY_BYTES,
    ChatRequest,
    body_bytes,
    check_content_type,
    parse_chat_request,
    parse_json_object,
    validate_fields,
)

LOCALES = ("ko_KR", "en_US")


def fields(document: dict[str, Any]) -> ChatRequest:
    return validate_fields(document, locales=LOCALES, default_locale="ko_KR")


def error_of(call) -> ApiError:
    with pytest.raises(ApiError) as caught:
        call()
    return caught.value


# --- body size (413) -------------------------------------------------------------------------------


def test_body_of_exactly_16_kb_is_accepted_and_one_byte_more_is_413() -> None:
    assert len(body_bytes({"body": "x" * MAX_BODY_BYTES})) == MAX_BODY_BYTES
    error = error_of(lambda: body_bytes({"body": "x" * (MAX_BODY_BYTES + 1)}))
    assert (error.status, error.code) == (413, "payload_too_large")


def test_size_counts_utf8_bytes_not_characters() -> None:
    korean = "한" * (MAX_BODY_BYTES // 3 + 1)  # fewer characters than the limit, more bytes
    assert len(korean) < MAX_BODY_BYTES
    assert error_of(lambda: body_bytes({"body": korean})).status == 413


def test_base64_bodies_are_decoded_and_their_decoded_size_counts() -> None:
    raw = json.dumps({"text": "안녕"}).encode()
    event = {"body": base64.b64encode(raw).decode(), "isBase64Encoded": True}
    assert body_bytes(event) == raw
    big = {"body": base64.b64encode(b"x" * (MAX_BODY_BYTES + 1)).decode(), "isBase64Encoded": True}
    assert error_of(lambda: body_bytes(big)).status == 413
    huge = {"body": "A" * (10 * MAX_BODY_BYTES), "isBase64Encoded": True}
    assert error_of(lambda: body_bytes(huge)).status == 413


def test_broken_base64_is_invalid_json() -> None:
    error = error_of(lambda: body_bytes({"body": "abc", "isBase64Encoded": True}))
    assert (error.status, error.code) == (400, "invalid_json")


def test_missing_body_is_empty() -> None:
    assert body_bytes({}) == b""
    assert body_bytes({"body": None}) == b""


# --- media type (415) ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        None,
        "application/json",
        "Application/JSON; charset=UTF-8",
        'application/json;charset="utf8"',
        "application/vnd.api+json",
    ],
)
def test_json_media_types_and_an_absent_content_type_are_accepted(value: str | None) -> None:
    check_content_type(value)


@pytest.mark.parametrize(
    "value",
    [
        "text/plain",
        "text/plain;charset=UTF-8",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        "application/json; charset=iso-8859-1",
        "",
        "json",
    ],
)
def test_other_media_types_are_415(value: str) -> None:
    error = error_of(lambda: check_content_type(value))
    assert (error.status, error.code) == (415, "unsupported_media_type")


# --- JSON (invalid_json) ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"   ",
        b"{",
        b"[1, 2]",
        b'"text"',
        b"42",
        b"null",
        b"\xff\xfe{}",
        b'{"text": "\xed\xa0\x80"}',
        b"[" * 5000 + b"]" * 5000,
        b'{"text": ' + b"9" * 5000 + b"}",
    ],
)
def test_bodies_that_are_not_a_utf8_json_object_are_invalid_json(raw: bytes) -> None:
    error = error_of(lambda: parse_json_object(raw))
    assert (error.status, error.code) == (400, "invalid_json")


def test_a_utf8_bom_is_tolerated() -> None:
    assert parse_json_object(b"\xef\xbb\xbf" + b'{"text": "hi"}') == {"text": "hi"}


# --- fields ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "document", [{}, {"text": None}, {"text": ""}, {"text": " \n\t "}, {"sessionId": "ab"}]
)
def test_absent_null_or_blank_text_is_missing_text(document: dict[str, Any]) -> None:
    error = error_of(lambda: fields(document))
    assert (error.status, error.code) == (400, "missing_text")


@pytest.mark.parametrize(
    "document",
    [
        {"text": 5},
        {"text": True},
        {"text": ["hi"]},
        {"text": {"t": "hi"}},
        {"text": "hi", "sessionId": []},
        {"text": "hi", "sessionId": 12345},
        {"text": "hi", "locale": 1},
        {"text": "hi", "locale": ["ko_KR"]},
    ],
)
def test_wrong_json_types_are_invalid_field_type(document: dict[str, Any]) -> None:
    error = error_of(lambda: fields(document))
    assert (error.status, error.code) == (400, "invalid_field_type")


def test_text_is_trimmed_and_may_be_1024_characters() -> None:
    request = fields({"text": "  " + "가" * 1024 + "\n"})
    assert request.text == "가" * 1024
    assert fields({"text": " a "}).text == "a"


def test_text_over_1024_characters_is_text_too_long() -> None:
    error = error_of(lambda: fields({"text": "a" * 1025}))
    assert (error.status, error.code) == (400, "text_too_long")


@pytest.mark.parametrize("text", ["😀" * 513, "😀" * 1024, "가" * 1023 + "🎉", "a" * 1023 + "𝄞"])
def test_characters_are_utf16_code_units_as_lex_counts_so_an_emoji_counts_two(text: str) -> None:
    error = error_of(lambda: fields({"text": text}))
    assert (error.status, error.code) == (400, "text_too_long")
    assert "1024 characters" in error.message
    assert "emoji count as two" in error.message


@pytest.mark.parametrize("text", ["😀" * 512, "가" * 1022 + "🎉", " " + "a" * 1022 + "😀 "])
def test_text_of_exactly_1024_utf16_code_units_fits(text: str) -> None:
    assert fields({"text": text}).text == text.strip()


def test_text_with_a_lone_surrogate_over_the_limit_is_still_refused() -> None:
    document = json.loads('{"text": "' + "a" * 1024 + '\\ud800"}')
    assert error_of(lambda: fields(document)).code == "text_too_long"


def test_text_with_a_lone_surrogate_is_invalid_json() -> None:
    document = json.loads('{"text": "hi \\ud800"}')
    assert error_of(lambda: fields(document)).code == "invalid_json"


def test_absent_or_null_session_id_gets_a_fresh_uuid4() -> None:
    for document in ({"text": "hi"}, {"text": "hi", "sessionId": None}):
        request = fields(document)
        assert request.session_generated
        assert uuid.UUID(request.session_id).version == 4
    assert fields({"text": "hi"}).session_id != fields({"text": "hi"}).session_id


@pytest.mark.parametrize("session_id", ["ab", "web-1.2:3_x", "A" * 100, "0123456789abcdef"])
def test_session_ids_in_the_lex_pattern_are_kept(session_id: str) -> None:
    request = fields({"text": "hi", "sessionId": session_id})
    assert request.session_id == session_id
    assert not request.session_generated


@pytest.mark.parametrize(
    "session_id", ["", "a", "A" * 101, "has space", "slash/no", "한글세션", "semi;colon"]
)
def test_session_ids_outside_the_pattern_are_invalid_session_id(session_id: str) -> None:
    error = error_of(lambda: fields({"text": "hi", "sessionId": session_id}))
    assert (error.status, error.code) == (400, "invalid_session_id")


@pytest.mark.parametrize("session_id", [".", "..", "...", "." * 100])
def test_session_ids_made_only_of_dots_are_invalid_session_id(session_id: str) -> None:
    """They match Lex's pattern, but as a URL path segment an HTTP layer may normalise them away."""
    error = error_of(lambda: fields({"text": "hi", "sessionId": session_id}))
    assert (error.status, error.code) == (400, "invalid_session_id")
    assert "dots" in error.message


@pytest.mark.parametrize("session_id", ["..a", "a..", ".-.", "._", ":.", "v1.2.3"])
def test_session_ids_with_dots_and_anything_else_are_kept(session_id: str) -> None:
    assert fields({"text": "hi", "sessionId": session_id}).session_id == session_id


def test_locale_defaults_when_absent_or_null_and_must_be_a_bot_locale() -> None:
    assert fields({"text": "hi"}).locale == "ko_KR"
    assert fields({"text": "hi", "locale": None}).locale == "ko_KR"
    assert fields({"text": "hi", "locale": "en_US"}).locale == "en_US"
    for locale in ("fr_FR", "en-US", "ko_kr", ""):
        error = error_of(lambda locale=locale: fields({"text": "hi", "locale": locale}))
        assert (error.status, error.code) == (400, "unsupported_locale")
        assert "ko_KR" in error.message


def test_unknown_fields_are_ignored() -> None:
    request = fields({"text": "hi", "extra": {"deep": [1, 2]}, "sessionID": 5, "Text": None})
    assert request.text == "hi"


def test_checks_run_in_order_size_then_media_type_then_json_then_fields() -> None:
    too_big = {"body": "x" * (MAX_BODY_BYTES + 1), "headers": {"content-type": "text/plain"}}
    assert (
        error_of(lambda: parse_chat_request(too_big, locales=LOCALES, default_locale="ko_KR")).status == 413
    )
    wrong_type = {"body": "not json", "headers": {"content-type": "text/plain"}}
    assert (
        error_of(lambda: parse_chat_request(wrong_type, locales=LOCALES, default_locale="ko_KR")).status
        == 415
    )
    ok = parse_chat_request({"body": '{"text": "hi"}'}, locales=LOCALES, default_locale="en_US")
    assert ok.locale == "en_US"
    assert re.fullmatch(r"[0-9a-f-]{36}", ok.session_id)
