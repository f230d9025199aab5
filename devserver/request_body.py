"""Reading a request body within the dev server's bounds, and the answers that refuse one.

The dev server passes bodies to the handlers byte for byte (they enforce their own limits); it only
refuses bodies it would not read at all: chunked ones (411, as the README documents), ones over
`MAX_BODY_BYTES` (413, answered at once without reading them) and ones that do not arrive whole
within the body deadline (408: a client dripping bytes never holds the request longer than that).
A Content-Length that is not a number never gets here: the HTTP parser refuses it (`h11_errors`).

Refusing a body without reading it and then closing would make the kernel send a reset (unread
bytes in the receive buffer), which can destroy the answer before a client that sends its whole
body first gets to read it. `RefusedBodyResponse` therefore sends the answer, then reads and drops
the rest of the body ("lingering close", bounded by LINGER_MAX_BYTES and LINGER_SECONDS, and given
up once the client has sent nothing for LINGER_IDLE_SECONDS, as web servers do), and only then ends
the response, after which uvicorn closes the connection (the answer says Connection: close).
"""

from __future__ import annotations

import json

import anyio
from starlette.types import Message, Receive, Scope, Send

# Far above the handler's own 16 KB limit: anything bigger is refused without being read.
MAX_BODY_BYTES = 1024 * 1024
# The whole body must arrive within this time once the headers are in (however it is dripped).
BODY_TIMEOUT_SECONDS = 10.0
LINGER_MAX_BYTES = 16 * 1024 * 1024
LINGER_SECONDS = 5.0
# A client that sends nothing more for this long has stopped sending: end the answer and close.
LINGER_IDLE_SECONDS = 1.0


def error_body(code: str, message: str) -> bytes:
    return json.dumps({"error": {"code": code, "message": message}}).encode("utf-8")


class BodyRefusedError(Exception):
    """The body is not read; `response` says why (an ASGI app to send as the answer)."""

    def __init__(self, response: RefusedBodyResponse) -> None:
        super().__init__(response.code)
        self.response = response


class RefusedBodyResponse:
    """A JSON error with Connection: close that drains the unread body (bounded) before it ends."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        linger_bytes: int,
    ) -> None:
        self.status = status
        self.code = code
        self.body = error_body(code, message)
        self.linger_bytes = min(linger_bytes, LINGER_MAX_BYTES)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = [
            (b"Content-Type", b"application/json"),
            (b"Content-Length", str(len(self.body)).encode()),
            (b"Connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        if self.linger_bytes <= 0:
            await send({"type": "http.response.body", "body": self.body, "more_body": False})
            return
        await send({"type": "http.response.body", "body": self.body, "more_body": True})
        left = self.linger_bytes
        with anyio.move_on_after(LINGER_SECONDS):
            while left > 0:
                message: Message | None = None
                with anyio.move_on_after(LINGER_IDLE_SECONDS):
                    message = await receive()
                if message is None:
                    break  # the client has stopped sending
                if message["type"] != "http.request":
                    return  # the client is gone: nothing more to send
                left -= len(message.get("body", b""))
                if not message.get("more_body", False):
                    break
        await send({"type": "http.response.body", "body": b"", "more_body": False})


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return None


async def read_body(scope: Scope, receive: Receive, timeout_seconds: float) -> bytes | None:
    """The whole body; None when the client went away before sending it. Raises BodyRefusedError."""
    if _header(scope, b"transfer-encoding") is not None:
        raise BodyRefusedError(
            RefusedBodyResponse(
                411,
                "length_required",
                "Send the body with a Content-Length header.",
                linger_bytes=LINGER_MAX_BYTES,
            )
        )
    raw_length = _header(scope, b"content-length")
    if raw_length is None:
        return b""
    length = int(raw_length)  # h11 has checked it is a number
    if length > MAX_BODY_BYTES:
        raise BodyRefusedError(
            RefusedBodyResponse(
                413,
                "payload_too_large",
                f"The request body is larger than {MAX_BODY_BYTES} bytes.",
                linger_bytes=length,
            )
        )
    chunks: list[bytes] = []
    with anyio.move_on_after(timeout_seconds) as deadline:
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return None
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
    if deadline.cancelled_caught:
        raise BodyRefusedError(
            RefusedBodyResponse(
                408,
                "request_timeout",
                f"The request body did not arrive within {timeout_seconds:g} seconds.",
                linger_bytes=0,
            )
        )
    return b"".join(chunks)
