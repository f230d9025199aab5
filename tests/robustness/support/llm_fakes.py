"""The fake OpenAI server, extended for robustness tests.

`echo_reply` makes the fake answer with what it was asked: the question, how many messages it
received (system prompt + remembered turns + question) and the earlier questions in the memory.
A test reads that back with `parse_echo` to prove the memory is intact and belongs to its session.

`FaultyOpenAIServer` adds two faults the shared fake does not have: `reset` (read the request,
then close with SO_LINGER 0, so the client sees a TCP RST rather than a clean close) and `trickle`
(send the status line and headers at once, then the body a few bytes at a time: every single read
is quick, the whole answer is not).
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from typing import Any

from tests.fakes.openai_server import FakeOpenAIServer

ECHO_PREFIX = "ECHO "


def echo_reply(body: dict[str, Any]) -> str:
    messages = body.get("messages") or []
    questions = [m.get("content", "") for m in messages if m.get("role") == "user"]
    report = {"q": questions[-1] if questions else "", "n": len(messages), "earlier": questions[:-1]}
    return ECHO_PREFIX + json.dumps(report, ensure_ascii=False)


def parse_echo(answer: str) -> dict[str, Any]:
    """What `echo_reply` reported; fails the test when the answer is not an echo."""
    assert answer.startswith(ECHO_PREFIX), f"not an echo from the fake LLM: {answer!r}"
    report: dict[str, Any] = json.loads(answer.removeprefix(ECHO_PREFIX))
    return report


class FaultyOpenAIServer(FakeOpenAIServer):
    """FakeOpenAIServer plus `reset_next(n)`, `reset_always`, `trickle_next(n)`."""

    def __init__(self, **kwargs: Any) -> None:
        self._fault_lock = threading.Lock()
        self._resets_left = 0
        self.reset_always = False
        self._trickles_left = 0
        self.trickle_interval = 0.25
        self.faults_served = 0
        super().__init__(**kwargs)

    def __enter__(self) -> FaultyOpenAIServer:
        self.start()
        return self

    def reset_next(self, count: int) -> None:
        with self._fault_lock:
            self._resets_left = count

    def trickle_next(self, count: int, interval: float = 0.25) -> None:
        with self._fault_lock:
            self._trickles_left = count
            self.trickle_interval = interval

    def clear_faults(self) -> None:
        with self._fault_lock:
            self._resets_left = self._trickles_left = self.faults_served = 0
            self.reset_always = False

    def _take(self) -> str | None:
        with self._fault_lock:
            if self.reset_always or self._resets_left:
                self._resets_left = max(0, self._resets_left - 1)
                self.faults_served += 1
                return "reset"
            if self._trickles_left:
                self._trickles_left -= 1
                self.faults_served += 1
                return "trickle"
        return None

    def _handler_class(self) -> type[Any]:
        base: type[Any] = super()._handler_class()
        fake = self

        class Handler(base):  # type: ignore[misc]
            def do_POST(self) -> None:
                fault = fake._take()
                if fault is None:
                    base.do_POST(self)
                    return
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if fault == "reset":
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.close_connection = True
                    self.connection.close()
                    return
                self._trickle(fake.trickle_interval)

            def _trickle(self, interval: float) -> None:
                completion = {"choices": [{"index": 0, "message": {"role": "assistant", "content": "late"}}]}
                payload = json.dumps(completion).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.flush()
                try:
                    for start in range(0, len(payload), 4):
                        self.wfile.write(payload[start : start + 4])
                        self.wfile.flush()
                        time.sleep(interval)
                except OSError:
                    self.close_connection = True

        return Handler
