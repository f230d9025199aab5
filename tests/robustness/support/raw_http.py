"""HTTP/1.1 over a raw socket, for requests no client library would send: invalid bytes, odd headers,
bodies that drip in slowly or are far too big.

`exchange` writes the request (the body from a background thread, so a server that answers before
reading it all cannot deadlock us), then reads one response: status line, headers and a body of
`Content-Length` bytes (none for HEAD and 1xx/204/304).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit


@dataclass
class RawResponse:
    """One response as it came off the wire."""

    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    send_error: str | None = None
    elapsed: float = 0.0
    raw_head: bytes = field(default=b"", repr=False)

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        for key, value in self.headers:
            if key.lower() == wanted:
                return value
        return None

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


def address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    assert parts.hostname is not None, url
    assert parts.port is not None, url
    return parts.hostname, parts.port


def build_request(
    method: str,
    path: str,
    body: bytes = b"",
    headers: Sequence[tuple[str, str]] = (),
    *,
    content_length: int | None = -1,
    host: str = "127.0.0.1",
) -> bytes:
    """The request head (and body). `content_length=-1`: the body's length; None: no such header."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    lines.extend(f"{name}: {value}" for name, value in headers)
    if content_length is not None:
        lines.append(f"Content-Length: {len(body) if content_length == -1 else content_length}")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return head + body


def exchange(
    url: str,
    request: bytes,
    *,
    drip: Iterable[bytes] = (),
    drip_interval: float = 0.0,
    timeout: float = 15.0,
    head_only: bool = False,
) -> RawResponse:
    """Send `request` then each piece of `drip` (pausing `drip_interval` between them); read the answer."""
    started = time.perf_counter()
    with socket.create_connection(address(url), timeout=timeout) as conn:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        send_error: list[str] = []

        def send() -> None:
            try:
                conn.sendall(request)
                for piece in drip:
                    time.sleep(drip_interval)
                    conn.sendall(piece)
            except OSError as error:  # the server may answer and close before taking everything
                send_error.append(type(error).__name__)

        sender = threading.Thread(target=send, daemon=True)
        sender.start()
        response = read_response(conn, head_only=head_only)
        sender.join(timeout)
    response.send_error = send_error[0] if send_error else None
    response.elapsed = time.perf_counter() - started
    return response


def read_response(conn: socket.socket, *, head_only: bool = False) -> RawResponse:
    buffer = b""
    while b"\r\n\r\n" not in buffer:
        chunk = conn.recv(65536)
        if not chunk:
            raise ConnectionError(f"the server closed the connection without an answer: {buffer!r}")
        buffer += chunk
    head, _, rest = buffer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    _version, status, *reason = status_line.split(" ", 2)
    headers = []
    for line in header_lines:
        name, _, value = line.partition(":")
        headers.append((name.strip(), value.strip()))
    response = RawResponse(int(status), reason[0] if reason else "", headers, b"", raw_head=head)
    length_header = response.header("Content-Length")
    if head_only or response.status in (204, 304) or response.status < 200:
        return response
    if length_header is None:  # read to the end of the connection
        while chunk := conn.recv(65536):
            rest += chunk
        response.body = rest
        return response
    length = int(length_header)
    while len(rest) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        rest += chunk
    response.body = rest[:length]
    return response
