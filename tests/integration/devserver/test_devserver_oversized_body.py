"""An oversized /chat body gets its 413 even from a client that sends the whole body before reading.

Closing a socket whose receive buffer still holds unread bytes makes the kernel send a TCP reset,
which can destroy the answer before the client reads it (the client sees a broken pipe or a
connection reset instead). The dev server therefore lingers, as real servers do: it sends the
answer, shuts its sending side and reads the rest of the body, within a bound, before closing.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from devserver.http_server import MAX_BODY_BYTES, DevServer

SITE = Path(__file__).resolve().parents[3] / "html"


def _never_called(event: dict[str, Any], context: Any) -> Any:
    raise AssertionError("an oversized body must not reach the handler")


@pytest.fixture
def server() -> Iterator[DevServer]:
    served = DevServer(("127.0.0.1", 0), site_dir=SITE, chat_handler=_never_called, access_log=False)
    thread = threading.Thread(target=served.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        served.shutdown()
        served.server_close()


@pytest.mark.parametrize("size", [MAX_BODY_BYTES + 1, 4 * MAX_BODY_BYTES])
def test_a_client_that_sends_everything_first_still_reads_the_413(server: DevServer, size: int) -> None:
    head = (
        "POST /chat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {size}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as conn:
        # A small send buffer makes the client still be sending when the server has answered.
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 16 * 1024)
        conn.sendall(head)
        chunk = b"a" * 65536
        sent = 0
        while sent < size:
            part = chunk[: size - sent]
            conn.sendall(part)  # raises BrokenPipeError / ConnectionResetError if the server hung up
            sent += len(part)
        answer = b""
        while data := conn.recv(65536):
            answer += data
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    assert b'"payload_too_large"' in answer
    assert b"Connection: close" in answer


def test_a_client_that_stops_sending_gets_the_413_without_waiting_for_the_bound(server: DevServer) -> None:
    head = b"POST /chat HTTP/1.1\r\nHost: x\r\nContent-Length: 50000000\r\n\r\n" + b"{" * 1000
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as conn:
        conn.sendall(head)
        conn.settimeout(1.0)  # the answer comes at once: the server does not wait for the body first
        answer = conn.recv(65536)
    assert answer.startswith(b"HTTP/1.1 413 ")
