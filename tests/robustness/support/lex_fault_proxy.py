"""A real HTTP proxy on 127.0.0.1 in front of the Lex emulator that can answer in Lex's place with an
error (status + `x-amzn-ErrorType`, as Lex sends errors), so a test sees what /chat does when Lex
throttles, has a dependency fail or a bad gateway, and then that the same session goes on normally
once Lex is back: every request not told to fail is forwarded to the emulator unchanged.
"""

from __future__ import annotations

import http.client
import json
import threading
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class LexFault:
    status: int
    error_type: str
    retry_after: str | None = None


THROTTLED = LexFault(429, "ThrottlingException", retry_after="3")
DEPENDENCY_FAILED = LexFault(424, "DependencyFailedException")
BAD_GATEWAY = LexFault(502, "BadGatewayException")
INTERNAL = LexFault(500, "InternalServerException")


class LexFaultProxy:
    """`with LexFaultProxy(emulator_url) as proxy: proxy.fail(THROTTLED, THROTTLED)`; `proxy.url`."""

    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        assert parts.hostname, upstream
        assert parts.port, upstream
        self._upstream = (parts.hostname, parts.port)
        self._faults: deque[LexFault] = deque()
        self._lock = threading.Lock()
        self.received: list[str] = []  # "forwarded" or the error type answered, in order
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="lex-fault-proxy", daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def fail(self, *faults: LexFault) -> None:
        """Answer the next requests with these errors, in order; forward everything after them."""
        with self._lock:
            self._faults.extend(faults)

    def _next(self) -> LexFault | None:
        with self._lock:
            return self._faults.popleft() if self._faults else None

    def __enter__(self) -> LexFaultProxy:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                return

            def _relay(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                fault = proxy._next()
                if fault is not None:
                    proxy.received.append(fault.error_type)
                    payload = json.dumps({"message": f"{fault.error_type} (injected)"}).encode()
                    self.send_response(fault.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("x-amzn-ErrorType", fault.error_type)
                    if fault.retry_after is not None:
                        self.send_header("Retry-After", fault.retry_after)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                proxy.received.append("forwarded")
                upstream = http.client.HTTPConnection(*proxy._upstream, timeout=30)
                try:
                    headers = {
                        k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")
                    }
                    upstream.request(self.command, self.path, body=body or None, headers=headers)
                    answer = upstream.getresponse()
                    data = answer.read()
                    self.send_response(answer.status)
                    for name, value in answer.getheaders():
                        if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                            self.send_header(name, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                finally:
                    upstream.close()

            def do_GET(self) -> None:
                self._relay()

            def do_POST(self) -> None:
                self._relay()

            def do_DELETE(self) -> None:
                self._relay()

        return Handler
