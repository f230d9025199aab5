"""RecognizeUtterance's wire pieces on their own: content types and the packed request headers."""

from __future__ import annotations

import base64
import gzip

import pytest

from lex_emulator.errors import ValidationException
from lex_emulator.utterance_wire import (
    MAX_UNPACKED_BYTES,
    is_text_plain,
    read_packed_header,
    response_content_type,
    text_input,
)
from lex_emulator.wire import packed_header


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("text/plain; charset=utf-8", True),
        ("Text/Plain;Charset=UTF-8", True),
        ("text/plain", True),
        ('text/plain; charset="utf-8"', True),
        ("text/plain; charset=iso-8859-1", False),
        ("text/html; charset=utf-8", False),
        ("application/json", False),
    ],
)
def test_text_plain_means_utf8_text(content_type: str, expected: bool) -> None:
    assert is_text_plain(content_type) is expected


def test_the_body_is_the_users_text() -> None:
    assert text_input("text/plain; charset=utf-8", "안녕 😀".encode()) == "안녕 😀"


@pytest.mark.parametrize(
    ("content_type", "body", "fragment"),
    [
        (None, b"hi", "requestContentType"),
        ("audio/lpcm; sample-rate=8000", b"\x00\x01", "Audio input"),
        ("application/octet-stream", b"hi", "requestContentType"),
        ("text/plain", b"", "greater than or equal to 1"),
        ("text/plain", ("😀" * 513).encode(), "less than or equal to 1024"),
        ("text/plain", b"\xc3\x28", "UTF-8"),
    ],
)
def test_bad_text_input_is_a_validation_exception(
    content_type: str | None, body: bytes, fragment: str
) -> None:
    with pytest.raises(ValidationException, match=fragment):
        text_input(content_type, body)


def test_the_response_content_type_defaults_to_text_and_refuses_audio() -> None:
    assert response_content_type(None) == "text/plain; charset=utf-8"
    assert response_content_type("text/plain;charset=utf-8") == "text/plain;charset=utf-8"
    with pytest.raises(ValidationException, match="does not synthesize speech"):
        response_content_type("audio/ogg")


def test_packed_headers_read_gzipped_or_plain_base64_json() -> None:
    value = {"sessionAttributes": {"k": "값"}}
    plain = base64.b64encode(b'{"sessionAttributes": {"k": "v"}}').decode()

    assert read_packed_header({"x-state": packed_header(value)}, "x-state", "sessionState") == value
    assert read_packed_header({"x-state": plain}, "x-state", "sessionState") == {
        "sessionAttributes": {"k": "v"}
    }
    assert read_packed_header({}, "x-state", "sessionState") is None


@pytest.mark.parametrize(
    "raw",
    [
        "***",
        base64.b64encode(b"not json").decode(),
        base64.b64encode(gzip.compress(b"{broken")).decode(),
        base64.b64encode(gzip.compress(b'{"a": 1}')[:-6]).decode(),  # truncated gzip
    ],
)
def test_a_bad_packed_header_names_the_field(raw: str) -> None:
    with pytest.raises(ValidationException, match="'sessionState'"):
        read_packed_header({"x-state": raw}, "x-state", "sessionState")


def test_a_packed_header_may_not_unpack_past_the_limit() -> None:
    big = base64.b64encode(gzip.compress(b'"' + b"x" * MAX_UNPACKED_BYTES + b'"')).decode()

    with pytest.raises(ValidationException, match="unpacks to more than"):
        read_packed_header({"x-state": big}, "x-state", "sessionState")
