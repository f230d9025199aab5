"""HTTP/2 over cleartext with prior knowledge (h2c): one connection, many concurrent streams.

The AWS SDK for JavaScript v3's Lex V2 runtime client speaks HTTP/2 by default (its
``NodeHttp2Handler``); against ``http://`` it sends the connection preface straight away. The
framing, HPACK, stream states and flow control are the `h2` package's; this module only moves
bytes between the socket and `h2.connection.H2Connection` and hands each finished request to
`dispatch.handle_request`, the same handling HTTP/1.1 requests get.

Each request runs in its own thread, so a slow turn (an LLM call) on one stream holds up none of
the others on the connection. Response bodies are sent as the peer's flow-control windows allow;
what does not fit waits for its WINDOW_UPDATE. A request body larger than ``MAX_BODY_BYTES`` is not
buffered and gets Lex's ValidationException. `H2Connection.drain` (run when the server closes)
refuses new streams, lets those in flight finish for a moment, then sends GOAWAY naming the last
stream it handled.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import h2.config
import h2.connection
import h2.errors
import h2.events
import h2.exceptions

from .dispatch import Response, error_response
from .errors import ValidationException
from .wire import MAX_BODY_BYTES

_log = logging.getLogger("lex_emulator.http2")

SEND_TIMEOUT_SECONDS = 30
PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
# Connection-specific headers HTTP/2 forbids (RFC 9113 section 8.2.2); the HTTP/1.1 side may set them.
_HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"})

Handler = Callable[[str, str, dict[str, str], Callable[[], bytes]], Response]


def starts_with_preface(sock: socket.socket, wait_seconds: float = 10.0) -> bool:
    """Peek (without consuming) whether the client opened with the HTTP/2 connection preface.

    A client that sent only part of the preface so far is waited for; any byte that differs
    (``POST`` parts from ``PRI`` at the second byte) settles it as HTTP/1.x at once.
    """
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            head = sock.recv(len(PREFACE), socket.MSG_PEEK)
        except OSError:
            return False
        if len(head) == len(PREFACE) or not head or not PREFACE.startswith(head):
            return head == PREFACE
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)


@dataclass
class _Stream:
    method: str = ""
    path: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    body: bytearray = field(default_factory=bytearray)
    too_large: bool = False
    pending: bytes = b""  # response body bytes waiting for flow-control window
    reset: bool = False


class H2Connection:
    """Serves one HTTP/2 connection; `serve` returns when the peer or the server ends it."""

    def __init__(self, sock: socket.socket, handler: Handler) -> None:
        self._sock = sock
        # A client that stops reading must not hold the connection's lock forever: writes give up.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, struct.pack("ll", SEND_TIMEOUT_SECONDS, 0))
        self._handler = handler
        self._conn = h2.connection.H2Connection(
            h2.config.H2Configuration(client_side=False, header_encoding=None)
        )
        self._lock = threading.Lock()  # guards _conn, _streams and writes to the socket
        self._streams: dict[int, _Stream] = {}
        self._in_flight = 0
        self._idle = threading.Condition(self._lock)
        self._draining = False
        self._closed = False
        self._last_stream_id = 0

    # -- the connection's own thread ----------------------------------------------------------------

    def serve(self) -> None:
        with self._lock:
            self._conn.initiate_connection()
            self._flush()
        try:
            while not self._closed:
                try:
                    data = self._sock.recv(65536)
                except OSError:
                    break
                if not data:
                    break
                if not self._receive(data):
                    break
        finally:
            with self._lock:
                self._closed = True
                self._idle.notify_all()

    def _receive(self, data: bytes) -> bool:
        """Feed bytes to h2 and act on its events; False once the connection is over."""
        with self._lock:
            try:
                events = self._conn.receive_data(data)
            except h2.exceptions.ProtocolError as error:
                _log.info("HTTP/2 protocol error from the client, closing: %s", error)
                self._flush()  # h2 has queued the GOAWAY that says why
                return False
            for event in events:
                if isinstance(event, h2.events.RequestReceived):
                    self._request_received(event)
                elif isinstance(event, h2.events.DataReceived):
                    self._data_received(event)
                elif isinstance(event, h2.events.StreamEnded):
                    self._stream_ended(event.stream_id)
                elif isinstance(event, h2.events.StreamReset):
                    stream = self._streams.pop(event.stream_id, None)
                    if stream is not None:
                        stream.reset = True
                elif isinstance(event, h2.events.WindowUpdated | h2.events.RemoteSettingsChanged):
                    self._send_pending()
                elif isinstance(event, h2.events.ConnectionTerminated):
                    self._flush()
                    return False
            self._flush()
        return True

    def _request_received(self, event: h2.events.RequestReceived) -> None:
        stream_id = event.stream_id
        if self._draining:
            self._conn.reset_stream(stream_id, h2.errors.ErrorCodes.REFUSED_STREAM)
            return
        stream = _Stream()
        for raw_name, raw_value in event.headers or ():
            name = _text(raw_name).lower()
            value = _text(raw_value)
            if name == ":method":
                stream.method = value
            elif name == ":path":
                stream.path = value
            elif not name.startswith(":"):
                stream.headers[name] = f"{stream.headers[name]}, {value}" if name in stream.headers else value
        self._streams[stream_id] = stream
        self._last_stream_id = max(self._last_stream_id, stream_id)

    def _data_received(self, event: h2.events.DataReceived) -> None:
        stream = self._streams.get(event.stream_id)
        if event.flow_controlled_length:
            # Every byte is taken off the window at once: a body is buffered (up to the limit) or dropped.
            self._conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
        if stream is None or stream.too_large or not event.data:
            return
        if len(stream.body) + len(event.data) > MAX_BODY_BYTES:
            stream.too_large = True
            stream.body.clear()
            return
        stream.body.extend(event.data)

    def _stream_ended(self, stream_id: int) -> None:
        stream = self._streams.get(stream_id)
        if stream is None:
            return
        self._in_flight += 1
        worker = threading.Thread(
            target=self._respond, args=(stream_id, stream), name=f"lex-emulator-h2-{stream_id}", daemon=True
        )
        worker.start()

    # -- worker threads -----------------------------------------------------------------------------

    def _respond(self, stream_id: int, stream: _Stream) -> None:
        try:
            response = self._answer(stream)
            with self._lock:
                if stream.reset or self._closed:
                    return
                self._send_response(stream_id, stream, response)
                self._flush()
        finally:
            with self._lock:
                self._in_flight -= 1
                self._idle.notify_all()

    def _answer(self, stream: _Stream) -> Response:
        def read_body() -> bytes:
            if stream.too_large:
                raise ValidationException(
                    f"The request body is over {MAX_BODY_BYTES} bytes; the Lex emulator accepts at most "
                    f"{MAX_BODY_BYTES}."
                )
            return bytes(stream.body)

        try:
            return self._handler(stream.method, stream.path, stream.headers, read_body)
        except Exception:
            _log.exception("HTTP/2 request handling failed")
            return error_response(
                500, "InternalServerException", "The Lex emulator failed on this request; see its log."
            )

    def _send_response(self, stream_id: int, stream: _Stream, response: Response) -> None:
        headers = [(":status", str(response.status))]
        headers += [
            (name.lower(), value)
            for name, value in response.headers.items()
            if name.lower() not in _HOP_BY_HOP
        ]
        body = b"" if stream.method == "HEAD" else response.body
        headers.append(("content-length", str(len(response.body))))
        try:
            self._conn.send_headers(stream_id, headers, end_stream=not body)
        except h2.exceptions.StreamClosedError:
            self._streams.pop(stream_id, None)
            return
        if not body:
            self._streams.pop(stream_id, None)
            return
        stream.pending = body
        self._send_pending()

    # -- shared, under the lock ---------------------------------------------------------------------

    def _send_pending(self) -> None:
        """Send whatever response bytes the flow-control windows now allow."""
        for stream_id, stream in list(self._streams.items()):
            while stream.pending:
                try:
                    window = self._conn.local_flow_control_window(stream_id)
                except h2.exceptions.StreamClosedError:
                    self._streams.pop(stream_id, None)
                    break
                size = min(window, self._conn.max_outbound_frame_size, len(stream.pending))
                if size <= 0:
                    break
                chunk, stream.pending = stream.pending[:size], stream.pending[size:]
                self._conn.send_data(stream_id, chunk, end_stream=not stream.pending)
                if not stream.pending:
                    self._streams.pop(stream_id, None)

    def _flush(self) -> None:
        data = self._conn.data_to_send()
        if not data or self._closed:
            return
        try:
            self._sock.sendall(data)
        except OSError:
            self._closed = True

    # -- server shutdown ----------------------------------------------------------------------------

    def drain(self, deadline: float) -> None:
        """Refuse new streams, wait (until `deadline`, monotonic) for those in flight, then GOAWAY.

        A connection whose writes are stuck (a client that stopped reading) is cut without GOAWAY.
        """
        if self._lock.acquire(timeout=max(0.0, deadline - time.monotonic())):
            try:
                self._draining = True
                while self._in_flight and not self._closed:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        break
                    self._idle.wait(left)
                if not self._closed:
                    self._conn.close_connection(
                        h2.errors.ErrorCodes.NO_ERROR, last_stream_id=self._last_stream_id
                    )
                    self._flush()
                    self._closed = True
            finally:
                self._lock.release()
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)


def _text(value: bytes | str) -> str:
    """A header name or value as text (latin-1, as http.server reads HTTP/1.1 headers)."""
    return value.decode("latin-1") if isinstance(value, bytes) else value
