"""HTTP/2 over cleartext with prior knowledge, frame by frame, with the `h2` package as the client.

`Client` opens one TCP connection to a ``http://`` URL, sends requests on new streams (bodies as the
server's flow-control windows allow) and collects each stream's `Answer`: headers, body, the size
of every DATA frame, a reset, and the connection's GOAWAY. ``ack_data=False`` leaves received data
unacknowledged, so the server's respect for the client's window can be watched; ``preface_pause``
sends the connection preface in two writes.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import h2.config
import h2.connection
import h2.events

from tests.robustness.support.raw_http import address


@dataclass
class Answer:
    headers: dict[str, str] = field(default_factory=dict)
    body: bytearray = field(default_factory=bytearray)
    ended: bool = False
    reset: int | None = None
    frames: list[int] = field(default_factory=list)  # the size of each DATA frame

    @property
    def status(self) -> int:
        return int(self.headers[":status"])

    def json(self) -> Any:
        return json.loads(bytes(self.body))


class Client:
    """A bare HTTP/2 client on one TCP connection."""

    def __init__(
        self,
        url: str,
        settings: dict[int, int] | None = None,
        *,
        ack_data: bool = True,
        preface_pause: float | None = None,
    ) -> None:
        self.sock = socket.create_connection(address(url), timeout=15)
        self.conn = h2.connection.H2Connection(
            h2.config.H2Configuration(client_side=True, header_encoding="utf-8")
        )
        self.conn.initiate_connection()
        if preface_pause is not None:  # the preface in two writes, a pause between them
            opening = self.conn.data_to_send()
            self.sock.sendall(opening[:5])
            time.sleep(preface_pause)
            self.sock.sendall(opening[5:])
        if settings:
            self.conn.update_settings(settings)
        self.ack_data = ack_data
        self.answers: dict[int, Answer] = {}
        self.terminated: h2.events.ConnectionTerminated | None = None
        self.flush()

    def flush(self) -> None:
        self.sock.sendall(self.conn.data_to_send())

    def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> int:
        stream_id = self.conn.get_next_available_stream_id()
        self.answers[stream_id] = Answer()
        head = [(":method", method), (":path", path), (":scheme", "http"), (":authority", "emulator")]
        head += list((headers or {}).items())
        if body:
            head.append(("content-length", str(len(body))))
        self.conn.send_headers(stream_id, head, end_stream=not body)
        self.flush()
        while body:
            window = min(self.conn.local_flow_control_window(stream_id), self.conn.max_outbound_frame_size)
            if window <= 0:
                self.pump(lambda: self.conn.local_flow_control_window(stream_id) > 0)
                continue
            chunk, body = body[:window], body[window:]
            self.conn.send_data(stream_id, chunk, end_stream=not body)
            self.flush()
        return stream_id

    def pump(self, done: Callable[[], bool]) -> None:
        """Read frames until `done()` (or the server closes the connection)."""
        while not done():
            data = self.sock.recv(65536)
            if not data:
                return
            for event in self.conn.receive_data(data):
                self.on_event(event)
            self.flush()

    def on_event(self, event: h2.events.Event) -> None:
        if isinstance(event, h2.events.ResponseReceived):
            self.answers[event.stream_id].headers = dict(event.headers)  # type: ignore[arg-type]
        elif isinstance(event, h2.events.DataReceived):
            answer = self.answers[event.stream_id]
            answer.body.extend(event.data)
            answer.frames.append(len(event.data))
            if self.ack_data:
                self.conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
        elif isinstance(event, h2.events.StreamEnded):
            self.answers[event.stream_id].ended = True
        elif isinstance(event, h2.events.StreamReset):
            self.answers[event.stream_id].reset = event.error_code
        elif isinstance(event, h2.events.ConnectionTerminated):
            self.terminated = event

    def wait(self, *stream_ids: int) -> list[Answer]:
        self.pump(lambda: all(self.answers[s].ended or self.answers[s].reset is not None for s in stream_ids))
        return [self.answers[s] for s in stream_ids]

    def close(self) -> None:
        self.sock.close()
