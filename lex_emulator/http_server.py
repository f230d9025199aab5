"""The HTTP front of the emulator: a ThreadingHTTPServer speaking the Lex V2 runtime's rest-json.

Every answer carries ``x-amzn-RequestId``; an error answers its status with ``x-amzn-ErrorType:
<Name>`` and ``{"message": "..."}``, which botocore turns into ``client.exceptions.<Name>``. SigV4
is not checked (any ``Authorization`` header, or none, is accepted). Unknown paths answer 404
``UnknownOperationException``; a known path with the wrong method 405 with ``Allow``; the two Lex
operations the emulator does not implement (RecognizeUtterance, StartConversation) 501. A request
that is not valid HTTP (bad request line, header line too long, too many headers, URI too long)
gets 400 ``ValidationException`` in the same JSON shape, not http.server's HTML page.
Each connection gets its own thread, so a slow turn (an LLM call) holds up no other session.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from .errors import LexError, ValidationException
from .wire import (
    MAX_BODY_BYTES,
    MethodNotAllowedError,
    RouteNotFoundError,
    UnsupportedOperationError,
    match_route,
)

if TYPE_CHECKING:
    from .emulator import LexEmulator

_log = logging.getLogger("lex_emulator.http")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024  # the listen backlog: a burst of new connections must not be reset


class _Server6(_Server):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "LexV2RuntimeEmulator"
    disable_nagle_algorithm = True  # headers and body go out at once, no delayed-ACK stall
    emulator: LexEmulator
    access_log = False
    default_request_version = "HTTP/1.0"  # a malformed request still gets a status line and headers

    def log_message(self, format: str, *args: Any) -> None:
        if self.access_log:
            _log.info("%s - %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def do_HEAD(self) -> None:
        self._dispatch("HEAD")

    def do_OPTIONS(self) -> None:
        self._dispatch("OPTIONS")

    # -- plumbing -----------------------------------------------------------------------------------

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            self.close_connection = True
            raise ValidationException("Chunked request bodies are not accepted; send Content-Length.")
        raw_length = self.headers.get("Content-Length")
        if raw_length is None:
            return b""
        try:
            length = int(raw_length)
        except ValueError:
            self.close_connection = True
            raise ValidationException("The Content-Length header is not a number.") from None
        if length < 0:
            self.close_connection = True
            raise ValidationException("The Content-Length header is negative.")
        if length > MAX_BODY_BYTES:
            self.close_connection = True  # the body is not read: the connection cannot be reused
            raise ValidationException(
                f"The request body is {length} bytes; the Lex emulator accepts at most {MAX_BODY_BYTES}."
            )
        return self.rfile.read(length)

    def _send(self, status: int, headers: dict[str, str], body: bytes, request_id: str) -> None:
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("x-amzn-RequestId", request_id)
            self.send_header("Content-Length", str(len(body)))
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _send_error(
        self, status: int, name: str, message: str, request_id: str, extra: dict[str, str] | None = None
    ) -> None:
        body = json.dumps({"message": message}, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json", "x-amzn-ErrorType": name, **(extra or {})}
        self._send(status, headers, body, request_id)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals (the request is not valid HTTP), in Lex's error shape."""
        self.close_connection = True
        reason = (message or "malformed request").rstrip(".")
        self._send_error(
            400, "ValidationException", f"The request is not valid HTTP: {reason}.", str(uuid.uuid4())
        )

    def _dispatch(self, method: str) -> None:
        request_id = str(uuid.uuid4())
        try:
            route = match_route(method, self.path)
        except RouteNotFoundError:
            self._discard_body()
            self._send_error(
                404,
                "UnknownOperationException",
                f"No Lex V2 runtime operation at {method} {self.path}.",
                request_id,
            )
            return
        except MethodNotAllowedError as error:
            self._discard_body()
            allowed = ", ".join(error.allowed)
            self._send_error(
                405,
                "MethodNotAllowedException",
                f"{method} is not allowed here; use {allowed}.",
                request_id,
                {"Allow": allowed},
            )
            return
        except UnsupportedOperationError as error:
            self._discard_body()
            self._send_error(
                501,
                "NotImplementedException",
                f"{error} is not implemented by the Lex emulator; use RecognizeText.",
                request_id,
            )
            return
        try:
            body = self._read_body()
            headers = {name.lower(): value for name, value in self.headers.items()}
            result = self.emulator.handle(route, body, headers)
        except LexError as error:
            self._send_error(error.status, error.name, error.message, request_id)
            return
        except Exception:
            _log.exception("%s failed (request %s)", route.operation, request_id)
            self._send_error(
                500,
                "InternalServerException",
                "The Lex emulator failed on this request; see its log.",
                request_id,
            )
            return
        self._send(result.status, result.headers, result.body, request_id)

    def _discard_body(self) -> None:
        try:
            self._read_body()
        except ValidationException:
            self.close_connection = True


def start_server(
    emulator: LexEmulator, host: str, port: int, *, access_log: bool = False
) -> tuple[ThreadingHTTPServer, threading.Thread]:
    """Bind and start serving in a daemon thread; returns the server and its thread."""
    handler = type("LexEmulatorHandler", (_Handler,), {"emulator": emulator, "access_log": access_log})
    server_class = _Server6 if ":" in host else _Server
    server = server_class((host, port), handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="lex-emulator-http", daemon=True
    )
    thread.start()
    return server, thread
