"""One request in, one response out: the request handling HTTP/1.1 and HTTP/2 share.

`handle_request` takes the method, the path (with any query), the headers (lower-case names) and a
body reader, and returns a `Response` (status, headers, body) with ``x-amzn-RequestId`` set. Lex's
own errors answer their status with ``x-amzn-ErrorType: <Name>`` and ``{"message": "..."}``; off the
Lex routes the emulator answers 404 ``UnknownOperationException``, 405 ``MethodNotAllowedException``
(with ``Allow``) and 501 ``NotImplementedException`` (StartConversation). The body is read only on a
Lex route, so a transport can refuse an unreadable body (a bad ``Content-Length``) in Lex's shape.
"""

from __future__ import annotations

import contextlib
import json
import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import LexError, ValidationException
from .utterance_wire import recognize_utterance
from .wire import MethodNotAllowedError, RouteNotFoundError, UnsupportedOperationError, match_route

if TYPE_CHECKING:
    from .emulator import LexEmulator

_log = logging.getLogger("lex_emulator.http")

BodyReader = Callable[[], bytes]


@dataclass(frozen=True)
class Response:
    """What to send back: status, headers (as Lex spells them) and the body bytes."""

    status: int
    headers: dict[str, str]
    body: bytes


def error_response(
    status: int, name: str, message: str, request_id: str | None = None, extra: dict[str, str] | None = None
) -> Response:
    """An error in Lex's shape: ``x-amzn-ErrorType`` names it, the JSON body says what went wrong."""
    body = json.dumps({"message": message}, ensure_ascii=False).encode("utf-8")
    headers = {
        "Content-Type": "application/json",
        "x-amzn-ErrorType": name,
        **(extra or {}),
        "x-amzn-RequestId": request_id or str(uuid.uuid4()),
    }
    return Response(status, headers, body)


def handle_request(
    emulator: LexEmulator, method: str, path: str, headers: Mapping[str, str], read_body: BodyReader
) -> Response:
    """Route one request to its operation and answer it; never raises."""
    request_id = str(uuid.uuid4())
    try:
        route = match_route(method, path)
    except RouteNotFoundError:
        _discard(read_body)
        return error_response(
            404, "UnknownOperationException", f"No Lex V2 runtime operation at {method} {path}.", request_id
        )
    except MethodNotAllowedError as error:
        _discard(read_body)
        allowed = ", ".join(error.allowed)
        return error_response(
            405,
            "MethodNotAllowedException",
            f"{method} is not allowed here; use {allowed}.",
            request_id,
            {"Allow": allowed},
        )
    except UnsupportedOperationError as error:
        _discard(read_body)
        return error_response(
            501,
            "NotImplementedException",
            f"{error} is not implemented by the Lex emulator; use RecognizeText or RecognizeUtterance.",
            request_id,
        )
    try:
        body = read_body()
        if route.operation == "RecognizeUtterance":
            result = recognize_utterance(emulator, route, body, headers)
        else:
            result = emulator.handle(route, body, headers)
    except LexError as error:
        return error_response(error.status, error.name, error.message, request_id)
    except Exception:
        _log.exception("%s failed (request %s)", route.operation, request_id)
        return error_response(
            500,
            "InternalServerException",
            "The Lex emulator failed on this request; see its log.",
            request_id,
        )
    return Response(result.status, {**result.headers, "x-amzn-RequestId": request_id}, result.body)


def _discard(read_body: BodyReader) -> None:
    # The route's own error is the answer; the transport has noted an unreadable body itself.
    with contextlib.suppress(ValidationException):
        read_body()
