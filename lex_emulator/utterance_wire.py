"""RecognizeUtterance with text input, on Lex V2's wire: the text in the body, everything else in headers.

``POST .../sessions/{sessionId}/utterance`` with ``Content-Type: text/plain; charset=utf-8`` and the
user's text as the body. ``x-amz-lex-session-state`` and ``x-amz-lex-request-attributes`` come in as
base64 of gzip-compressed JSON (plain base64 JSON is accepted too). The turn runs exactly as
RecognizeText runs it; the answer is an empty body of the ``Response-Content-Type`` asked for and
these headers, each JSON gzip-compressed then base64-encoded as the API reference lists them
(https://docs.aws.amazon.com/lexv2/latest/dg/API_runtime_RecognizeUtterance.html):
``x-amz-lex-messages``, ``x-amz-lex-interpretations``, ``x-amz-lex-session-state``,
``x-amz-lex-request-attributes`` and ``x-amz-lex-input-transcript`` (the text, as a JSON string);
plus ``x-amz-lex-input-mode: Text`` and ``x-amz-lex-session-id``. botocore's model gives these
headers as plain strings, so boto3 hands them over still encoded, as real Lex's are.

The emulator has no speech recognition or synthesis: audio input (``Content-Type: audio/...``) and
audio output (``Response-Content-Type: audio/...``) are refused with ValidationException, one of the
errors the operation's model lists, saying so.
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .errors import ValidationException
from .wire import MAX_TEXT_UNITS, TEXT_PLAIN, Route, packed_header, utf16_units

if TYPE_CHECKING:
    from .emulator import LexEmulator, OperationResult

_GZIP_MAGIC = b"\x1f\x8b"
MAX_UNPACKED_BYTES = 256 * 1024


def recognize_utterance(
    emulator: LexEmulator, route: Route, body: bytes, headers: Mapping[str, str]
) -> OperationResult:
    """Run one text turn for RecognizeUtterance; raises `LexError` for an error answer."""
    from .emulator import OperationResult

    response_type = response_content_type(headers.get("response-content-type"))
    text = text_input(headers.get("content-type"), body)
    request: dict[str, Any] = {"text": text}
    state = read_packed_header(headers, "x-amz-lex-session-state", "sessionState")
    if state is not None:
        request["sessionState"] = state
    attributes = read_packed_header(headers, "x-amz-lex-request-attributes", "requestAttributes")
    if attributes is not None:
        request["requestAttributes"] = attributes
    text_route = Route("RecognizeText", route.bot_id, route.alias_id, route.locale_id, route.session_id)
    result = emulator.handle(text_route, json.dumps(request).encode("utf-8"), headers)
    turn = json.loads(result.body)
    out = {
        "Content-Type": response_type,
        "x-amz-lex-input-mode": "Text",
        "x-amz-lex-session-id": turn["sessionId"],
        "x-amz-lex-session-state": packed_header(turn["sessionState"]),
        "x-amz-lex-interpretations": packed_header(turn["interpretations"]),
        "x-amz-lex-input-transcript": packed_header(text),
    }
    if turn.get("messages"):
        out["x-amz-lex-messages"] = packed_header(turn["messages"])
    if turn.get("requestAttributes") is not None:
        out["x-amz-lex-request-attributes"] = packed_header(turn["requestAttributes"])
    return OperationResult(200, out, b"")


def response_content_type(raw: str | None) -> str:
    """The ``Response-Content-Type`` to answer with: text (the default) only."""
    if raw is None or not raw.strip():
        return TEXT_PLAIN
    if raw.strip().lower().startswith("audio/"):
        raise ValidationException(
            f"1 validation error detected: Value '{raw}' at 'responseContentType' failed to satisfy "
            "constraint: the Lex emulator does not synthesize speech; ask for text/plain; charset=utf-8."
        )
    if not is_text_plain(raw):
        raise ValidationException(
            f"1 validation error detected: Value '{raw}' at 'responseContentType' failed to satisfy "
            "constraint: Member must be text/plain; charset=utf-8 or an audio/ type."
        )
    return raw.strip()


def text_input(content_type: str | None, body: bytes) -> str:
    """The user's text from a ``text/plain`` body, checked as RecognizeText checks ``text``."""
    if content_type is None or not content_type.strip():
        raise ValidationException(
            "1 validation error detected: Value at 'requestContentType' failed to satisfy constraint: "
            "Member must not be null (send Content-Type: text/plain; charset=utf-8)."
        )
    if content_type.strip().lower().startswith("audio/"):
        raise ValidationException(
            f"Audio input ({content_type.strip()}) is not supported by the Lex emulator: it has no speech "
            "recognition. Send the user's words as text with Content-Type: text/plain; charset=utf-8."
        )
    if not is_text_plain(content_type):
        raise ValidationException(
            f"1 validation error detected: Value '{content_type}' at 'requestContentType' failed to satisfy "
            "constraint: Member must be text/plain; charset=utf-8 or an audio/ type."
        )
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationException("The text in the request body (inputStream) is not valid UTF-8.") from None
    units = utf16_units(text)
    if units < 1:
        raise ValidationException(
            "1 validation error detected: Value at 'inputStream' failed to satisfy constraint: "
            "Member must have length greater than or equal to 1"
        )
    if units > MAX_TEXT_UNITS:
        raise ValidationException(
            "1 validation error detected: Value at 'inputStream' failed to satisfy constraint: "
            f"Member must have length less than or equal to {MAX_TEXT_UNITS}"
        )
    return text


def is_text_plain(content_type: str) -> bool:
    """``text/plain`` with no charset or charset utf-8 (any case, any spacing)."""
    media, _, params = content_type.partition(";")
    if media.strip().lower() != "text/plain":
        return False
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in ("utf-8", "utf8"):
            return False
    return True


def read_packed_header(headers: Mapping[str, str], name: str, field: str) -> Any:
    """Decode base64 (of gzip-compressed, or plain) JSON from a request header; None when absent."""
    raw = headers.get(name)
    if raw is None or not raw.strip():
        return None
    problem = (
        f"1 validation error detected: Value at '{field}' failed to satisfy constraint: the {name} header "
        "must be JSON, gzip-compressed then base64-encoded"
    )
    try:
        data = base64.b64decode(raw.strip(), validate=True)
        if data.startswith(_GZIP_MAGIC):
            data = _gunzip(data, name)
        return json.loads(data.decode("utf-8"))
    except (binascii.Error, zlib.error, UnicodeDecodeError, json.JSONDecodeError):
        raise ValidationException(problem) from None


def _gunzip(data: bytes, name: str) -> bytes:
    """Decompress at most `MAX_UNPACKED_BYTES`: a small header must not unpack into gigabytes."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = inflater.decompress(data, MAX_UNPACKED_BYTES)
    if inflater.unconsumed_tail:
        raise ValidationException(f"The {name} header unpacks to more than {MAX_UNPACKED_BYTES} bytes.")
    if not inflater.eof:
        raise zlib.error("truncated gzip data")
    return out
