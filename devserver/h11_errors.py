"""uvicorn's HTTP/1.1 protocol (h11) with the dev server's JSON errors for requests it cannot parse.

A request whose line or headers are not valid HTTP/1.1 never reaches the app: uvicorn answers it
with a plain-text 400. The dev server answers every error as JSON ``{"error": {"code", "message"}}``,
so this subclass keeps what h11 said was wrong (its error and status hint: 400, 431 for headers
too large, 501 for a transfer coding other than chunked) and answers that as JSON instead. A
Content-Length that is not a number is ``invalid_content_length``, as before the move to uvicorn.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

import h11
from h11._connection import DEFAULT_MAX_INCOMPLETE_EVENT_SIZE
from uvicorn.protocols.http.h11_impl import H11Protocol

from .static_files import SECURITY_HEADERS

_CONTENT_LENGTH_ERRORS = {"bad Content-Length", "conflicting Content-Length headers"}


class _RememberingConnection(h11.Connection):
    """h11's server connection, remembering the error that made it refuse the peer's request."""

    refusal: h11.RemoteProtocolError | None = None

    def next_event(self) -> Any:
        try:
            return super().next_event()
        except h11.RemoteProtocolError as error:
            self.refusal = error
            raise


def refusal_answer(error: h11.RemoteProtocolError | None) -> tuple[int, str, str]:
    """(status, code, message) for a request h11 refused."""
    reason = str(error) if error is not None else "the request could not be parsed"
    if reason in _CONTENT_LENGTH_ERRORS:
        return 400, "invalid_content_length", "Content-Length is not a number."
    status = error.error_status_hint if error is not None else 400
    if status not in HTTPStatus._value2member_map_:
        status = 400
    phrase = HTTPStatus(status).phrase
    code = phrase.lower().replace(" ", "_").replace("-", "_")
    return status, code, f"{phrase}: {reason}."


class JsonErrorsH11Protocol(H11Protocol):
    """uvicorn's h11 protocol whose answers to unparseable requests are JSON, with the security headers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        size = self.config.h11_max_incomplete_event_size
        self.conn = _RememberingConnection(
            h11.SERVER, size if size is not None else DEFAULT_MAX_INCOMPLETE_EVENT_SIZE
        )

    def send_400_response(self, msg: str) -> None:
        connection = self.conn
        refusal = connection.refusal if isinstance(connection, _RememberingConnection) else None
        if connection.our_state not in {h11.IDLE, h11.SEND_RESPONSE}:
            self.transport.close()  # an answer is already under way: nothing valid can be added
            return
        status, code, message = refusal_answer(refusal)
        body = json.dumps({"error": {"code": code, "message": message}}).encode("utf-8")
        headers = [
            (b"Content-Type", b"application/json"),
            *((name.encode(), value.encode()) for name, value in SECURITY_HEADERS),
            (b"Content-Length", str(len(body)).encode()),
            (b"Connection", b"close"),
        ]
        reason = HTTPStatus(status).phrase.encode()
        self.transport.write(
            connection.send(h11.Response(status_code=status, headers=headers, reason=reason))
        )
        self.transport.write(connection.send(h11.Data(data=body)) or b"")
        self.transport.write(connection.send(h11.EndOfMessage()) or b"")
        self.transport.close()
