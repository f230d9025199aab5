"""The HTTP front of the emulator: one port speaking the Lex V2 runtime's rest-json over HTTP/1.1 and h2c.

A connection that opens with the HTTP/2 preface (``PRI * HTTP/2.0``, prior knowledge, as the AWS SDK
for JavaScript v3 sends it over ``http://``) is served by `http2`; any other is HTTP/1.x, served by
http.server. Both hand each request to `dispatch.handle_request`, so both answer alike.

Every answer carries ``x-amzn-RequestId``; an error answers its status with ``x-amzn-ErrorType:
<Name>`` and ``{"message": "..."}``, which botocore turns into ``client.exceptions.<Name>``. SigV4
is not checked (any ``Authorization`` header, or none, is accepted). Unknown paths answer 404
``UnknownOperationException``; a known path with the wrong method 405 with ``Allow``; the Lex
operation the emulator does not implement (StartConversation) 501. An HTTP/1.x request that is not
valid HTTP (bad request line, header line too long, too many headers, URI too long) gets 400
``ValidationException`` in the same JSON shape, not http.server's HTML page.
Each connection gets its own thread (and each HTTP/2 stream its own), so a slow turn (an LLM call)
holds up no other session. Closing the server ends HTTP/2 connections with GOAWAY.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from .dispatch import BodyReader, Response, error_response, handle_request
from .errors import ValidationException
from .http2 import H2Connection, starts_with_preface
from .wire import MAX_BODY_BYTES

if TYPE_CHECKING:
    from .emulator import LexEmulator

_log = logging.getLogger("lex_emulator.http")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024  # the listen backlog: a burst of new connections must not be reset
    drain_seconds = 2.0  # how long closing waits for HTTP/2 streams in flight before GOAWAY

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._h2_connections: set[H2Connection] = set()
        self._h2_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def track(self, connection: H2Connection) -> None:
        with self._h2_lock:
            self._h2_connections.add(connection)

    def untrack(self, connection: H2Connection) -> None:
        with self._h2_lock:
            self._h2_connections.discard(connection)

    def server_close(self) -> None:
        """Stop listening, then end every HTTP/2 connection with GOAWAY once its streams are done."""
        super().server_close()
        with self._h2_lock:
            connections = list(self._h2_connections)
        deadline = time.monotonic() + self.drain_seconds
        for connection in connections:
            connection.drain(deadline)


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

    def _send(self, response: Response) -> None:
        try:
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals (the request is not valid HTTP), in Lex's error shape."""
        self.close_connection = True
        reason = (message or "malformed request").rstrip(".")
        self._send(error_response(400, "ValidationException", f"The request is not valid HTTP: {reason}."))

    def _dispatch(self, method: str) -> None:
        headers = {name.lower(): value for name, value in self.headers.items()}
        self._send(handle_request(self.emulator, method, self.path, headers, self._read_body))

    def handle(self) -> None:
        """HTTP/2 when the client opens with its connection preface (h2c, prior knowledge), else HTTP/1.x."""
        if not starts_with_preface(self.connection):
            super().handle()
            return
        self.close_connection = True
        server = self.server
        assert isinstance(server, _Server)

        def handler(method: str, path: str, headers: dict[str, str], read_body: BodyReader) -> Response:
            return handle_request(self.emulator, method, path, headers, read_body)

        connection = H2Connection(self.connection, handler)
        server.track(connection)
        try:
            connection.serve()
        finally:
            server.untrack(connection)


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
