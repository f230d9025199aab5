"""The dev server's HTTP side: the page from the site folder and ``POST /chat`` through the Lambda handler.

One thread per connection (HTTP/1.1 keep-alive), so a slow LLM turn in one session never holds up
another. ``/chat`` is turned into an API Gateway proxy event and given to the handler as is, the
request body passed through byte for byte (the handler enforces its own limits); the dev server
only refuses bodies it would not read at all (over `MAX_BODY_BYTES`, or chunked) and bodies that do
not arrive whole within `BODY_TIMEOUT_SECONDS` (408: a client dripping bytes never holds a thread for
longer than that).
Every error is JSON ``{"error": {"code", "message"}}``; a handler crash or an invalid handler result
gets what the stack's API Gateway answers then (its DEFAULT_5XX gateway response: 502
``upstream_failed``), and the traceback goes to the dev server's stderr.
"""

from __future__ import annotations

import base64
import binascii
import json
import socket
import sys
import time
import traceback
from collections.abc import Callable, Mapping
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from . import static_files
from .apigw import LambdaContext, proxy_event
from .limits import THROTTLED_CODE, THROTTLED_MESSAGE, ClientRateLimiter
from .metrics import MetricsStore

CHAT_PATH = "/chat"
METRICS_PATH = "/metrics"
# As cdk_chatbot.limits.VIEWER_IP_HEADER (lambda_lex.client_key reads it).
VIEWER_IP_HEADER = "x-chatbot-viewer-ip"
# Far above the handler's own 16 KB limit: anything bigger is refused without being read.
MAX_BODY_BYTES = 1024 * 1024
IDLE_CONNECTION_SECONDS = 60
# The whole body must arrive within this time once the headers are in (however it is dripped).
BODY_TIMEOUT_SECONDS = 10.0
# After refusing an oversized body, read and drop this much of it, for at most this long, before
# closing (a "lingering close"): closing with unread bytes makes the kernel send a reset, which can
# destroy the 413 before a client that sends its whole body first gets to read it.
LINGER_MAX_BYTES = 16 * 1024 * 1024
LINGER_SECONDS = 5.0

ChatHandler = Callable[[dict[str, Any], Any], Any]

_HOP_BY_HOP = {"content-length", "transfer-encoding", "connection", "keep-alive"}
_SECURITY_HEADER_NAMES = {name.lower() for name, _ in static_files.SECURITY_HEADERS}
# As cdk_chatbot.chat_api.GATEWAY_ERRORS["DEFAULT_5XX"] (a test compares them).
GATEWAY_5XX_CODE = "upstream_failed"
GATEWAY_5XX_MESSAGE = "The chat service failed. Please try again later."


class DevServer(ThreadingHTTPServer):
    """A threading HTTP server bound to one address; `chat_handler` may be set after binding."""

    daemon_threads = True
    request_queue_size = 128
    body_timeout_seconds = BODY_TIMEOUT_SECONDS

    def __init__(
        self,
        address: tuple[str, int],
        *,
        site_dir: Path,
        chat_handler: ChatHandler | None = None,
        access_log: bool = True,
        generated_files: Mapping[str, bytes] | None = None,
        rate_limiter: ClientRateLimiter | None = None,
        metrics: MetricsStore | None = None,
    ) -> None:
        self.site_dir = site_dir.resolve()
        # The handlers' metrics, served at GET /metrics (None: nothing served there).
        self.metrics = metrics
        # URL path -> JSON body served instead of the file of that name (e.g. the page's config.json).
        self.generated_files = dict(generated_files or {})
        self.chat_handler = chat_handler
        self.access_log = access_log
        # Per client IP, like the stack's web ACL (devserver/limits.py); None = no limit.
        self.rate_limiter = rate_limiter
        super().__init__(address, DevRequestHandler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])


def _error_body(code: str, message: str) -> bytes:
    return json.dumps({"error": {"code": code, "message": message}}).encode("utf-8")


def _lambda_response(result: Any) -> tuple[int, list[tuple[str, str]], bytes] | None:
    """A proxy integration result as (status, headers, body), or None when API Gateway would reject it."""
    if not isinstance(result, dict):
        return None
    status = result.get("statusCode")
    if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
        return None
    headers: list[tuple[str, str]] = []
    single = result.get("headers") or {}
    multi = result.get("multiValueHeaders") or {}
    if not isinstance(single, dict) or not isinstance(multi, dict):
        return None
    for name, value in single.items():
        if name not in multi:
            headers.append((str(name), str(value)))
    for name, values in multi.items():
        if not isinstance(values, list):
            return None
        headers.extend((str(name), str(value)) for value in values)
    body = result.get("body")
    if body is None:
        payload = b""
    elif isinstance(body, str):
        if result.get("isBase64Encoded"):
            try:
                payload = base64.b64decode(body, validate=True)
            except (binascii.Error, ValueError):
                return None
        else:
            payload = body.encode("utf-8")
    else:
        return None
    return status, headers, payload


class DevRequestHandler(BaseHTTPRequestHandler):
    """Routes one request: ``/chat`` (POST only) or a static file (GET/HEAD only); JSON errors."""

    server: DevServer
    protocol_version = "HTTP/1.1"
    server_version = "chatbot-devserver"
    sys_version = ""
    disable_nagle_algorithm = True
    timeout = IDLE_CONNECTION_SECONDS
    error_content_type = "application/json"
    default_request_version = "HTTP/1.0"  # malformed requests still get a status line and headers

    _started = 0.0
    _status = 0

    # --- routing -------------------------------------------------------------------------------

    def do_GET(self) -> None:
        self._route()

    def do_HEAD(self) -> None:
        self._route()

    def do_POST(self) -> None:
        self._route()

    def do_PUT(self) -> None:
        self._route()

    def do_DELETE(self) -> None:
        self._route()

    def do_PATCH(self) -> None:
        self._route()

    def do_OPTIONS(self) -> None:
        self._route()

    def _route(self) -> None:
        self._started = time.perf_counter()
        path = urlsplit(self.path).path
        if path == CHAT_PATH:
            if self.command == "POST":
                self._chat()
            else:
                self._method_not_allowed("POST")
            return
        if path == METRICS_PATH and self.server.metrics is not None:
            self._metrics(self.server.metrics)
            return
        generated = self.server.generated_files.get(path)
        if generated is not None and self.command in {"GET", "HEAD"}:
            self._send(
                HTTPStatus.OK,
                [("Content-Type", static_files.content_type(Path(path))), ("Cache-Control", "no-cache")],
                b"" if self.command == "HEAD" else generated,
                length=len(generated),
            )
            return
        file = static_files.resolve(self.server.site_dir, path)
        if file is None:
            self._discard_body_and_close()
            self._send_error_json(HTTPStatus.NOT_FOUND, "not_found", f"Nothing is served at {path}.")
        elif self.command in {"GET", "HEAD"}:
            self._static(file)
        else:
            self._method_not_allowed("GET, HEAD")

    # --- /chat ---------------------------------------------------------------------------------

    def _chat(self) -> None:
        body = self._read_body()
        if body is None:
            return
        handler = self.server.chat_handler
        if handler is None:
            self._send_error_json(
                HTTPStatus.SERVICE_UNAVAILABLE, "starting", "The chatbot is still starting."
            )
            return
        limiter = self.server.rate_limiter
        wait = limiter.acquire(self.client_address[0]) if limiter is not None else None
        if wait is not None:
            self._send_error_json(
                HTTPStatus.TOO_MANY_REQUESTS, THROTTLED_CODE, THROTTLED_MESSAGE, [("Retry-After", str(wait))]
            )
            return
        split = urlsplit(self.path)
        host = self.headers.get("Host") or f"127.0.0.1:{self.server.port}"
        # As CloudFront's viewer-request function does: the client's address, whatever it sent.
        headers = [(n, v) for n, v in self.headers.items() if n.lower() != VIEWER_IP_HEADER]
        headers.append((VIEWER_IP_HEADER, self.client_address[0]))
        names = {name.lower() for name, _ in headers}
        for name, value in (
            ("X-Forwarded-For", self.client_address[0]),
            ("X-Forwarded-Proto", "http"),
            ("X-Forwarded-Port", str(self.server.port)),
        ):
            if name.lower() not in names:
                headers.append((name, value))
        event = proxy_event(
            method=self.command,
            path=split.path,
            query=parse_qs(split.query, keep_blank_values=True),
            headers=headers,
            body=body,
            source_ip=self.client_address[0],
            host=host,
        )
        request_id = event["requestContext"]["requestId"]
        crashed = False
        try:
            response = _lambda_response(handler(event, LambdaContext()))
        except Exception:
            crashed = True
            sys.stderr.write("devserver: the /chat handler raised (API Gateway answers 502 then):\n")
            sys.stderr.write(traceback.format_exc())
            response = None
        if response is None:
            if not crashed:
                sys.stderr.write("devserver: the /chat handler returned no valid proxy response\n")
            self._send_error_json(
                HTTPStatus.BAD_GATEWAY,
                GATEWAY_5XX_CODE,
                GATEWAY_5XX_MESSAGE,
                [("x-amzn-ErrorType", "InternalServerErrorException")],
            )
            return
        status, response_headers, payload = response
        kept = [(n, v) for n, v in response_headers if n.lower() not in _HOP_BY_HOP]
        kept.append(("x-amzn-RequestId", request_id))
        self._send(status, kept, payload)

    def _read_body(self) -> bytes | None:
        """The request body, or None after answering an error (the connection is then closed)."""
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            self._send_error_json(
                HTTPStatus.LENGTH_REQUIRED, "length_required", "Send the body with a Content-Length header."
            )
            return None
        raw_length = self.headers.get("Content-Length")
        if raw_length is None:
            return b""
        if not raw_length.strip().isdigit():
            self.close_connection = True
            self._send_error_json(
                HTTPStatus.BAD_REQUEST, "invalid_content_length", "Content-Length is not a number."
            )
            return None
        length = int(raw_length)
        if length > MAX_BODY_BYTES:
            self.close_connection = True
            self._send_error_json(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                "payload_too_large",
                f"The request body is larger than {MAX_BODY_BYTES} bytes.",
            )
            self._linger(length)
            return None
        body = self._read_exactly(length)
        if body is None:
            self.close_connection = True
            self._send_error_json(
                HTTPStatus.REQUEST_TIMEOUT,
                "request_timeout",
                f"The request body did not arrive within {self.server.body_timeout_seconds:g} seconds.",
            )
            return None
        if len(body) < length:
            self.close_connection = True
            return None
        return body

    def _linger(self, length: int) -> None:
        """After an answer sent without reading the body: send FIN, then drop up to `length` bytes
        of the body (bounded by LINGER_MAX_BYTES and LINGER_SECONDS) so the close sends no reset."""
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_WR)
        except OSError:
            return
        deadline = time.monotonic() + LINGER_SECONDS
        left = min(length, LINGER_MAX_BYTES)
        try:
            while left > 0:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return
                self.connection.settimeout(remaining)
                chunk = self.rfile.read1(min(left, 65536))
                if not chunk:
                    return
                left -= len(chunk)
        except OSError:  # a timeout or a reset: the client is gone or slow; stop lingering
            return
        finally:
            self.connection.settimeout(self.timeout)

    def _read_exactly(self, length: int) -> bytes | None:
        """Up to `length` bytes (fewer if the client closes), or None when the body deadline passes."""
        deadline = time.monotonic() + self.server.body_timeout_seconds
        chunks: list[bytes] = []
        received = 0
        try:
            while received < length:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self.connection.settimeout(remaining)
                try:
                    chunk = self.rfile.read1(min(length - received, 65536))
                except TimeoutError:
                    return None
                if not chunk:
                    break
                chunks.append(chunk)
                received += len(chunk)
        finally:
            self.connection.settimeout(self.timeout)
        return b"".join(chunks)

    def _discard_body_and_close(self) -> None:
        """Requests answered without reading their body must not leave it in the connection."""
        if self.headers.get("Transfer-Encoding") or (self.headers.get("Content-Length") or "0") != "0":
            self.close_connection = True

    # --- /metrics ------------------------------------------------------------------------------

    def _metrics(self, store: MetricsStore) -> None:
        """The figures the handlers' metrics add up to: JSON, or text with `?format=text`."""
        if self.command not in {"GET", "HEAD"}:
            self._method_not_allowed("GET, HEAD")
            return
        if parse_qs(urlsplit(self.path).query).get("format") == ["text"]:
            body, content_type = store.text().encode("utf-8"), "text/plain; charset=utf-8"
        else:
            body, content_type = json.dumps(store.snapshot()).encode("utf-8"), "application/json"
        headers = [("Content-Type", content_type), ("Cache-Control", "no-store")]
        self._send(HTTPStatus.OK, headers, b"" if self.command == "HEAD" else body, length=len(body))

    # --- static files --------------------------------------------------------------------------

    def _static(self, file: Path) -> None:
        try:
            stat = file.stat()
            data = b"" if self.command == "HEAD" else file.read_bytes()
        except OSError:
            self._send_error_json(HTTPStatus.NOT_FOUND, "not_found", "Nothing is served here.")
            return
        etag = f'W/"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
        headers = [
            ("Content-Type", static_files.content_type(file)),
            ("Cache-Control", "no-cache"),
            ("ETag", etag),
            ("Last-Modified", formatdate(stat.st_mtime, usegmt=True)),
        ]
        if self.headers.get("If-None-Match") == etag:
            self._send(HTTPStatus.NOT_MODIFIED, headers, b"")
            return
        self._send(HTTPStatus.OK, headers, data, length=stat.st_size)

    # --- responses -----------------------------------------------------------------------------

    def _method_not_allowed(self, allow: str) -> None:
        self._discard_body_and_close()
        self._send_error_json(
            HTTPStatus.METHOD_NOT_ALLOWED,
            "method_not_allowed",
            f"{self.command} is not allowed here; use {allow}.",
            [("Allow", allow)],
        )

    def _send_error_json(
        self, status: int, code: str, message: str, headers: list[tuple[str, str]] | None = None
    ) -> None:
        self._send(
            status, [("Content-Type", "application/json"), *(headers or [])], _error_body(code, message)
        )

    def _send(
        self, status: int, headers: list[tuple[str, str]], body: bytes, length: int | None = None
    ) -> None:
        self._status = int(status)
        self.send_response(status)
        for name, value in headers:
            if name.lower() not in _SECURITY_HEADER_NAMES:
                self.send_header(name, value)
        # Like CloudFront's response headers policy (override=True): these always win.
        for name, value in static_files.SECURITY_HEADERS:
            self.send_header(name, value)
        if status != HTTPStatus.NOT_MODIFIED:
            self.send_header("Content-Length", str(len(body) if length is None else length))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors found while parsing the request line or headers, also as JSON."""
        self.close_connection = True
        phrase = HTTPStatus(code).phrase if code in HTTPStatus._value2member_map_ else "Error"
        slug = phrase.lower().replace(" ", "_").replace("-", "_")
        self._started = self._started or time.perf_counter()
        self._send(code, [("Content-Type", "application/json")], _error_body(slug, message or phrase))

    def version_string(self) -> str:
        return self.server_version

    # --- logging -------------------------------------------------------------------------------

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return

    def log_message(self, format: str, *args: Any) -> None:
        return

    def handle_one_request(self) -> None:
        self._status = 0
        self._started = 0.0
        super().handle_one_request()
        if self.server.access_log and self._status:
            elapsed = (time.perf_counter() - self._started) * 1000
            path = urlsplit(self.path).path if getattr(self, "path", "") else "-"
            sys.stderr.write(f"{self.command} {path} {self._status} {elapsed:.1f} ms\n")
