"""The table of malformed (and borderline) `POST /chat` requests, with the answer each one must get.

Decisions this table pins down (the README's Robustness section repeats them):

- Text length counts UTF-16 code units after trimming, 1 to 1024 (`text_too_long` above), as Lex V2
  counts ("character limits are calculated as the number of Unicode code units", Lex V2 quotas page)
  and the emulator does: an emoji beyond the BMP counts as two, so 512 emoji fit and 513 (or 1024)
  get `text_too_long` from /chat itself, never Lex's generic `invalid_request`.
- Duplicated JSON keys: the last one wins (Python's `json`, like JavaScript's `JSON.parse`).
- `NaN`/`Infinity` are read (Python's `json` accepts them) and then fail the type checks.
- Raw control characters and NUL inside a JSON string are invalid JSON; escaped ones (`\\u0000`) are
  valid JSON and are passed on to Lex as part of the text.
- A UTF-8 BOM is tolerated; any other encoding (UTF-16, Latin-1, overlong or surrogate UTF-8) is
  `invalid_json`.
- A missing Content-Type is read as JSON; one present must be JSON (`application/json` or
  `application/*+json`) in UTF-8, else 415. With two Content-Type headers the last one counts (API
  Gateway's `headers` keeps the last value).
- Nesting deeper than the parser's recursion limit is `invalid_json`, even in an unknown field;
  moderate nesting in an unknown field is ignored like the field.
- Session ids follow Lex's pattern `[0-9a-zA-Z._:-]{2,100}` but may not be made only of dots: the
  id travels as a path segment of the RecognizeText URL, where `..` or `...` could be normalised
  away by an HTTP layer. Dots next to anything else (`..a..`) are fine.
- The dev server itself answers what API Gateway would never hand to the Lambda: wrong method (405),
  chunked or unreadable Content-Length (411/400), bodies over 1 MiB (413, not read), a body that
  does not finish arriving in time (408, see `test_bad_input_devserver.py`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

JSON = (("Content-Type", "application/json"),)
SMALL_BODY_LIMIT = 16 * 1024


@dataclass(frozen=True)
class Case:
    """One request and the answer it must get (`code` None: a 200 turn)."""

    id: str
    body: bytes
    status: int
    code: str | None = None
    headers: tuple[tuple[str, str], ...] = JSON
    method: str = "POST"
    raw_length: str | None = None  # a literal Content-Length header instead of the body's length
    handler: bool = True  # also given to the /chat handler as a proxy event


def doc(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def padded(size: int) -> bytes:
    """A valid turn whose body is exactly `size` bytes (an unknown field carries the padding)."""
    skeleton = doc({"text": "Hello", "locale": "en_US", "pad": ""})
    return doc({"text": "Hello", "locale": "en_US", "pad": "x" * (size - len(skeleton))})


def nested(depth: int) -> bytes:
    return b'{"text": "Hello", "locale": "en_US", "extra": ' + b"[" * depth + b"]" * depth + b"}"


CASES: list[Case] = [
    # -- not JSON ------------------------------------------------------------------------------
    Case("not-json-word", b"hello", 400, "invalid_json"),
    Case("truncated-object", b'{"text": "hi"', 400, "invalid_json"),
    Case("empty-body", b"", 400, "invalid_json"),
    Case("whitespace-body", b" \r\n\t ", 400, "invalid_json"),
    Case("trailing-garbage", b'{"text": "hi"} {}', 400, "invalid_json"),
    Case("single-quotes", b"{'text': 'hi'}", 400, "invalid_json"),
    Case("comment", b'{"text": "hi" /* note */}', 400, "invalid_json"),
    Case("trailing-comma", b'{"text": "hi",}', 400, "invalid_json"),
    Case("nan-text", b'{"text": NaN}', 400, "invalid_field_type"),
    # -- JSON that is not an object -----------------------------------------------------------
    Case("array", b'["text", "hi"]', 400, "invalid_json"),
    Case("string", b'"hi"', 400, "invalid_json"),
    Case("number", b"42", 400, "invalid_json"),
    Case("null", b"null", 400, "invalid_json"),
    Case("boolean", b"true", 400, "invalid_json"),
    # -- wrong types ---------------------------------------------------------------------------
    Case("text-float", doc({"text": 1.5}), 400, "invalid_field_type"),
    Case("text-list", doc({"text": ["hi"]}), 400, "invalid_field_type"),
    Case("text-object", doc({"text": {"value": "hi"}}), 400, "invalid_field_type"),
    Case("text-bool", doc({"text": True}), 400, "invalid_field_type"),
    Case("text-null", doc({"text": None}), 400, "missing_text"),
    Case("session-number", doc({"text": "hi", "sessionId": 12345}), 400, "invalid_field_type"),
    Case("session-object", doc({"text": "hi", "sessionId": {"id": "abc"}}), 400, "invalid_field_type"),
    Case("locale-list", doc({"text": "hi", "locale": ["en_US"]}), 400, "invalid_field_type"),
    Case("locale-bool", doc({"text": "hi", "locale": False}), 400, "invalid_field_type"),
    # -- missing or empty text -----------------------------------------------------------------
    Case("no-fields", b"{}", 400, "missing_text"),
    Case("session-only", doc({"sessionId": "abc-123"}), 400, "missing_text"),
    Case("empty-text", doc({"text": ""}), 400, "missing_text"),
    Case("unicode-whitespace-text", doc({"text": "\u3000\u00a0\t\n \u2003"}), 400, "missing_text"),
    # -- length: UTF-16 code units after trimming (an emoji is two), 1024 at most ---------------
    Case("ascii-1024", doc({"text": "a" * 1024, "locale": "en_US"}), 200),
    Case("ascii-1025", doc({"text": "a" * 1025}), 400, "text_too_long"),
    Case("korean-1024", doc({"text": "가" * 1024}), 200),
    Case("korean-1025", doc({"text": "나" * 1025}), 400, "text_too_long"),
    Case("emoji-1025", doc({"text": "😀" * 1025}), 400, "text_too_long"),
    Case("emoji-512-is-1024-units", doc({"text": "😀" * 512, "locale": "en_US"}), 200),
    Case("emoji-513-is-1026-units", doc({"text": "😀" * 513}), 400, "text_too_long"),
    Case("emoji-1024-is-2048-units", doc({"text": "😀" * 1024}), 400, "text_too_long"),
    Case("korean-1022-plus-emoji", doc({"text": "가" * 1022 + "🎉"}), 200),
    Case("korean-1023-plus-emoji", doc({"text": "가" * 1023 + "🎉"}), 400, "text_too_long"),
    Case("ascii-1024-inside-spaces", doc({"text": "  " + "b" * 1024 + "\n ", "locale": "en_US"}), 200),
    Case("combining-marks-1024", doc({"text": "e\u0301" * 512, "locale": "en_US"}), 200),
    # -- control characters and NUL ------------------------------------------------------------
    Case("raw-control-in-string", b'{"text": "a\x01b"}', 400, "invalid_json"),
    Case("raw-nul-in-string", b'{"text": "a\x00b"}', 400, "invalid_json"),
    Case("nul-after-json", b'{"text": "hi"}\x00', 400, "invalid_json"),
    Case("escaped-nul", b'{"text": "Hello\\u0000there", "locale": "en_US"}', 200),
    Case("escaped-controls", b'{"text": "\\u0007\\u001b[31mred\\u001b[0m", "locale": "en_US"}', 200),
    # -- encodings -----------------------------------------------------------------------------
    Case("invalid-utf8-byte", b'{"text": "\xff\xfe"}', 400, "invalid_json"),
    Case("overlong-utf8", b'{"text": "\xc0\xaf"}', 400, "invalid_json"),
    Case("surrogate-utf8", b'{"text": "\xed\xa0\x80"}', 400, "invalid_json"),
    Case("escaped-lone-surrogate", b'{"text": "hi \\ud800"}', 400, "invalid_json"),
    Case("latin1-body", '{"text": "café"}'.encode("latin-1"), 400, "invalid_json"),
    Case("utf16-body", '{"text": "hi"}'.encode("utf-16"), 400, "invalid_json"),
    Case("utf8-bom", b"\xef\xbb\xbf" + doc({"text": "Hello", "locale": "en_US"}), 200),
    # -- size ----------------------------------------------------------------------------------
    Case("exactly-16-kib", padded(SMALL_BODY_LIMIT), 200),
    Case("16-kib-plus-one", padded(SMALL_BODY_LIMIT + 1), 413, "payload_too_large"),
    Case("ten-mib", b'{"text": "' + b"z" * (10 * 1024 * 1024) + b'"}', 413, "payload_too_large"),
    # -- media type ----------------------------------------------------------------------------
    Case(
        "form-urlencoded",
        b"text=hi",
        415,
        "unsupported_media_type",
        (("Content-Type", "application/x-www-form-urlencoded"),),
    ),
    Case(
        "json-in-latin1",
        doc({"text": "hi"}),
        415,
        "unsupported_media_type",
        (("Content-Type", "application/json; charset=latin-1"),),
    ),
    Case(
        "jsonp", doc({"text": "hi"}), 415, "unsupported_media_type", (("Content-Type", "application/jsonp"),)
    ),
    Case("empty-content-type", doc({"text": "hi"}), 415, "unsupported_media_type", (("Content-Type", ""),)),
    Case(
        "json-then-text-plain",
        doc({"text": "hi"}),
        415,
        "unsupported_media_type",
        (*JSON, ("Content-Type", "text/plain")),
    ),
    Case("no-content-type", doc({"text": "Hello", "locale": "en_US"}), 200, headers=()),
    Case(
        "vendor-json",
        doc({"text": "Hello", "locale": "en_US"}),
        200,
        headers=(("Content-Type", "application/vnd.chat+json"),),
    ),
    Case(
        "json-shouting",
        doc({"text": "Hello", "locale": "en_US"}),
        200,
        headers=(("Content-Type", "APPLICATION/JSON; Charset=UTF-8"),),
    ),
    # -- duplicated keys: the last one wins ----------------------------------------------------
    Case("duplicate-text-last-empty", b'{"text": "Hello", "text": "  "}', 400, "missing_text"),
    Case("duplicate-text-last-valid", b'{"text": "", "text": "Hello", "locale": "en_US"}', 200),
    Case(
        "duplicate-session-last-bad",
        b'{"text": "hi", "sessionId": "good-id", "sessionId": "bad id"}',
        400,
        "invalid_session_id",
    ),
    # -- nesting -------------------------------------------------------------------------------
    Case("deep-nesting-in-unknown-field", nested(5000), 400, "invalid_json"),
    Case("moderate-nesting-in-unknown-field", nested(50), 200),
    # -- session ids ---------------------------------------------------------------------------
    Case("session-one-char", doc({"text": "hi", "sessionId": "a"}), 400, "invalid_session_id"),
    Case("session-101-chars", doc({"text": "hi", "sessionId": "s" * 101}), 400, "invalid_session_id"),
    Case("session-100-chars", doc({"text": "Hello", "locale": "en_US", "sessionId": "L" * 99 + "0"}), 200),
    Case("session-with-space", doc({"text": "hi", "sessionId": "my session"}), 400, "invalid_session_id"),
    Case(
        "session-path-traversal",
        doc({"text": "hi", "sessionId": "../../etc/passwd"}),
        400,
        "invalid_session_id",
    ),
    Case("session-korean", doc({"text": "hi", "sessionId": "세션아이디"}), 400, "invalid_session_id"),
    Case("session-empty", doc({"text": "hi", "sessionId": ""}), 400, "invalid_session_id"),
    Case("session-percent-encoded", doc({"text": "hi", "sessionId": "a%2Fb"}), 400, "invalid_session_id"),
    Case("session-trailing-newline", doc({"text": "hi", "sessionId": "abc\n"}), 400, "invalid_session_id"),
    Case(
        "session-dot-dot",
        doc({"text": "Hello", "locale": "en_US", "sessionId": ".."}),
        400,
        "invalid_session_id",
    ),
    Case(
        "session-three-dots",
        doc({"text": "Hello", "locale": "en_US", "sessionId": "..."}),
        400,
        "invalid_session_id",
    ),
    Case(
        "session-single-dot",
        doc({"text": "Hello", "locale": "en_US", "sessionId": "."}),
        400,
        "invalid_session_id",
    ),
    Case("session-dots-around-letters", doc({"text": "Hello", "locale": "en_US", "sessionId": "..a.."}), 200),
    # -- locales -------------------------------------------------------------------------------
    Case("locale-japanese", doc({"text": "hi", "locale": "ja_JP"}), 400, "unsupported_locale"),
    Case("locale-hyphen", doc({"text": "hi", "locale": "ko-KR"}), 400, "unsupported_locale"),
    Case("locale-upper-case", doc({"text": "hi", "locale": "KO_KR"}), 400, "unsupported_locale"),
    Case("locale-empty", doc({"text": "hi", "locale": ""}), 400, "unsupported_locale"),
    # -- what only the dev server sees (API Gateway answers these before the Lambda) -----------
    Case("method-patch", doc({"text": "hi"}), 405, "method_not_allowed", method="PATCH", handler=False),
    Case("method-options", b"", 405, "method_not_allowed", method="OPTIONS", handler=False),
    Case("method-head", b"", 405, None, method="HEAD", handler=False),
    Case("content-length-not-a-number", b"", 400, "invalid_content_length", raw_length="abc", handler=False),
    Case("content-length-negative", b"", 400, "invalid_content_length", raw_length="-5", handler=False),
    Case(
        "chunked-body",
        b'e\r\n{"text": "hi"}\r\n0\r\n\r\n',
        411,
        "length_required",
        (*JSON, ("Transfer-Encoding", "chunked")),
        raw_length="",
        handler=False,
    ),
]

HANDLER_CASES = [pytest.param(case, id=case.id) for case in CASES if case.handler]
DEVSERVER_CASES = [pytest.param(case, id=case.id) for case in CASES]
