"""Reading and validating a `POST /chat` request from an API Gateway REST proxy event.

Decisions (also in the README's API section):

- The body is at most 16 KB, counted in bytes after base64 decoding (`isBase64Encoded`); more is 413.
- `Content-Type`, when present, must be JSON (`application/json` or `application/*+json`) with no
  charset other than UTF-8, else 415. When it is absent the body is still read as JSON: curl and
  simple clients often leave it out, and a JSON body cannot be mistaken for anything else.
- The body must be a UTF-8 JSON object (a BOM is tolerated); anything else is `invalid_json`.
- `text` is required: absent, null or blank after trimming is `missing_text`; not a string is
  `invalid_field_type`; more than 1024 characters after trimming is `text_too_long`. Characters
  are counted as Lex counts them, in UTF-16 code units (the Lex V2 quotas page: "character limits
  are calculated as the number of Unicode code units"), so an emoji beyond the Basic Multilingual
  Plane counts as two; the page's `maxlength` and counter count the same way (JavaScript string
  length). So over-long text gets `text_too_long` here instead of Lex's generic `invalid_request`.
- `sessionId` and `locale` are optional: absent or null means "not given" (a fresh uuid4 session, the
  default locale); any other non-string is `invalid_field_type`; a string must match Lex's session id
  pattern and not be made only of dots (`invalid_session_id`: the id travels as a path segment of
  the RecognizeText URL, where `..` or `...` could be normalised away by an HTTP layer), or be one of
  the bot's locales (`unsupported_locale`).
- `stream` is optional: `true` asks for a streamed LLM answer (a handle to read it from, see
  docs/streaming-protocol.md) when the API has an answer store, and is ignored when it has none;
  absent, null or `false` is today's single JSON answer; anything else is `invalid_field_type`.
- Unknown fields are ignored. Header names are matched case-insensitively.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from apigw_proxy import header

from .errors import ApiError, bad_request

MAX_BODY_BYTES = 16 * 1024
MAX_TEXT_CHARS = 1024  # UTF-16 code units, as Lex counts
_SESSION_ID = re.compile(r"[0-9a-zA-Z._:-]{2,100}")
# Base64 of MAX_BODY_BYTES, rounded up, plus slack for padding and line breaks some encoders add.
_MAX_BASE64_CHARS = 4 * (MAX_BODY_BYTES // 3 + 1) + 64


@dataclass(frozen=True)
class ChatRequest:
    """One validated user turn."""

    text: str
    session_id: str
    locale: str
    session_generated: bool
    stream: bool = False


def body_bytes(event: Mapping[str, Any]) -> bytes:
    """The raw request body, base64-decoded when API Gateway says so; 413 when over 16 KB."""
    body = event.get("body")
    if body is None:
        return b""
    if not isinstance(body, str):
        raise bad_request("invalid_json", "The request body must be a JSON object.")
    if event.get("isBase64Encoded") is True:
        if len(body) > _MAX_BASE64_CHARS:
            raise _too_large()
        try:
            raw = base64.b64decode(body, validate=False)
        except (binascii.Error, ValueError):
            raise bad_request("invalid_json", "The request body is not valid base64.") from None
    else:
        if len(body) > MAX_BODY_BYTES:  # every character is at least one byte
            raise _too_large()
        raw = body.encode("utf-8", errors="surrogatepass")
    if len(raw) > MAX_BODY_BYTES:
        raise _too_large()
    return raw


def _too_large() -> ApiError:
    return ApiError(413, "payload_too_large", f"The request body is larger than {MAX_BODY_BYTES} bytes.")


def check_content_type(value: str | None) -> None:
    """415 unless the Content-Type is absent or JSON in UTF-8."""
    if value is None:
        return
    media_type, _, params = value.partition(";")
    media_type = media_type.strip().lower()
    is_json = media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )
    if not is_json:
        raise ApiError(415, "unsupported_media_type", "Send the request as application/json.")
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset" and val.strip().strip('"').lower() not in ("utf-8", "utf8"):
            raise ApiError(415, "unsupported_media_type", "Send the request as application/json in UTF-8.")


def parse_json_object(raw: bytes) -> dict[str, Any]:
    """The body as a JSON object, or 400 invalid_json."""
    if not raw.strip():
        raise bad_request(
            "invalid_json", 'The request body is empty; send a JSON object like {"text": "hello"}.'
        )
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        # ValueError covers JSONDecodeError and integers longer than Python's digit limit.
        raise bad_request("invalid_json", "The request body is not valid UTF-8 JSON.") from None
    if not isinstance(document, dict):
        raise bad_request("invalid_json", 'The request body must be a JSON object like {"text": "hello"}.')
    return document


def validate_fields(
    document: Mapping[str, Any], *, locales: tuple[str, ...], default_locale: str
) -> ChatRequest:
    """The user turn described by a parsed body, or the first field error found."""
    text = document.get("text")
    if text is None:
        raise bad_request("missing_text", 'The field "text" is required.')
    if not isinstance(text, str):
        raise bad_request("invalid_field_type", 'The field "text" must be a string.')
    text = text.strip()
    if not text:
        raise bad_request("missing_text", 'The field "text" must not be empty.')
    if utf16_units(text) > MAX_TEXT_CHARS:
        raise bad_request(
            "text_too_long",
            f'The field "text" must be at most {MAX_TEXT_CHARS} characters after trimming, counted as '
            "Lex counts them: some emoji count as two.",
        )
    if not _is_encodable(text):
        raise bad_request("invalid_json", 'The field "text" contains an invalid Unicode escape.')

    session_id = document.get("sessionId")
    generated = session_id is None
    if session_id is None:
        session_id = str(uuid.uuid4())
    elif not isinstance(session_id, str):
        raise bad_request("invalid_field_type", 'The field "sessionId" must be a string.')
    elif session_id and not session_id.strip("."):
        raise bad_request(
            "invalid_session_id",
            'The field "sessionId" must not be made only of dots; include a letter, digit, _ : or -.',
        )
    elif not _SESSION_ID.fullmatch(session_id):
        raise bad_request(
            "invalid_session_id",
            'The field "sessionId" must be 2 to 100 characters of letters, digits and . _ : -',
        )

    locale = document.get("locale")
    if locale is None:
        locale = default_locale
    elif not isinstance(locale, str):
        raise bad_request("invalid_field_type", 'The field "locale" must be a string.')
    elif locale not in locales:
        raise bad_request("unsupported_locale", f'The field "locale" must be one of: {", ".join(locales)}.')

    stream = document.get("stream")
    if stream is None:
        stream = False
    elif not isinstance(stream, bool):
        raise bad_request("invalid_field_type", 'The field "stream" must be true or false.')
    return ChatRequest(
        text=text, session_id=session_id, locale=locale, session_generated=generated, stream=stream
    )


def utf16_units(text: str) -> int:
    """The length Lex sees: UTF-16 code units (a character beyond the BMP, like most emoji, is two)."""
    return len(text.encode("utf-16-le", errors="surrogatepass")) // 2


def _is_encodable(text: str) -> bool:
    """False for lone surrogates (JSON "\\ud800"), which no UTF-8 consumer downstream accepts."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def parse_chat_request(
    event: Mapping[str, Any], *, locales: tuple[str, ...], default_locale: str
) -> ChatRequest:
    """Size, media type, JSON, then fields, in that order; raises ApiError on the first problem."""
    raw = body_bytes(event)
    check_content_type(header(event, "content-type"))
    return validate_fields(parse_json_object(raw), locales=locales, default_locale=default_locale)
