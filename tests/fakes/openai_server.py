"""A real HTTP server on 127.0.0.1 that speaks OpenAI's chat completions wire format, for tests.

It answers ``POST {base}/chat/completions`` (``base`` is ``/v1``) and can be told how to behave:

    with FakeOpenAIServer() as llm:
        llm.reply = "Hello!"                       # default behaviour: 200 with this answer
        llm.reply = lambda body: body["messages"][-1]["content"].upper()   # or computed
        llm.script(Behaviour.rate_limited(retry_after=1), Behaviour.ok())  # next requests, in order
        llm.default = Behaviour.slow(5.0)          # every request after the script
        client_base_url = llm.base_url             # "http://127.0.0.1:PORT/v1"
        llm.requests                               # what it received, in order
        llm.usage = (120, 30)                      # the answer's usage.prompt_tokens/completion_tokens
        llm.usage = None                           # or no usage field at all

Behaviours: ``ok``, ``slow``, ``rate_limited`` (429 + Retry-After), ``server_error`` (500),
``malformed`` (200 with a body that is not JSON), ``wrong_shape`` (JSON without choices), ``big``
(an answer of a given size), ``empty`` (an empty answer), ``drop`` (closes the connection
without answering) and ``http_error`` (any status with an OpenAI-style error body, e.g. 401, or 400
naming the offending ``param``).

Requests are recorded without the key: ``authorization_sha256`` is the SHA-256 hex digest of the
whole Authorization header value, so a test can tell which key was sent without the fake keeping it.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

Reply = str | Callable[[dict[str, Any]], str]
DEFAULT_USAGE = (1, 1)


@dataclass(frozen=True)
class Behaviour:
    """How the server answers one request."""

    kind: str
    delay: float = 0.0
    retry_after: float | None = None
    size: int = 0
    text: str | None = None
    status: int = 0
    message: str | None = None
    param: str | None = None

    @classmethod
    def ok(cls, text: str | None = None) -> Behaviour:
        return cls("ok", text=text)

    @classmethod
    def slow(cls, delay: float, text: str | None = None) -> Behaviour:
        return cls("ok", delay=delay, text=text)

    @classmethod
    def rate_limited(cls, retry_after: float | None = 1.0) -> Behaviour:
        return cls("rate_limited", retry_after=retry_after)

    @classmethod
    def server_error(cls) -> Behaviour:
        return cls("server_error")

    @classmethod
    def malformed(cls) -> Behaviour:
        return cls("malformed")

    @classmethod
    def wrong_shape(cls) -> Behaviour:
        return cls("wrong_shape")

    @classmethod
    def big(cls, size: int = 20_000) -> Behaviour:
        return cls("big", size=size)

    @classmethod
    def empty(cls) -> Behaviour:
        return cls("empty")

    @classmethod
    def drop(cls) -> Behaviour:
        return cls("drop")

    @classmethod
    def http_error(cls, status: int, message: str = "error", param: str | None = None) -> Behaviour:
        return cls("http_error", status=status, message=message, param=param)


@dataclass
class ReceivedRequest:
    """One request as the server saw it (the Authorization header is reduced to a flag)."""

    path: str
    body: dict[str, Any] | None
    had_authorization: bool
    authorization_scheme: str | None
    received_at: float = field(default_factory=time.monotonic)
    authorization_sha256: str | None = None


def _big_text(size: int) -> str:
    sentence = "This is a long answer sentence number {n}. "
    parts: list[str] = []
    total = 0
    n = 0
    while total < size:
        piece = sentence.format(n=n)
        if n % 7 == 6:
            piece += "\n"
        parts.append(piece)
        total += len(piece)
        n += 1
    return "".join(parts)[:size]


class FakeOpenAIServer:
    """A ThreadingHTTPServer on 127.0.0.1 with scriptable chat-completions behaviour."""

    def __init__(self, *, reply: Reply = "This is the fake LLM's answer.", model: str = "fake-model") -> None:
        self.reply: Reply = reply
        self.model = model
        self.default = Behaviour.ok()
        # (prompt_tokens, completion_tokens) of every answer; None leaves the usage field out.
        self.usage: tuple[int, int] | None = DEFAULT_USAGE
        self.requests: list[ReceivedRequest] = []
        self._script: deque[Behaviour] = deque()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-openai", daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> FakeOpenAIServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def script(self, *behaviours: Behaviour) -> None:
        """Answer the next requests with these behaviours, in order, then fall back to ``default``."""
        with self._lock:
            self._script.extend(behaviours)

    def reset(self) -> None:
        with self._lock:
            self._script.clear()
            self.requests.clear()
            self.default = Behaviour.ok()
            self.usage = DEFAULT_USAGE

    def _next_behaviour(self) -> Behaviour:
        with self._lock:
            return self._script.popleft() if self._script else self.default

    def _answer_text(self, behaviour: Behaviour, body: dict[str, Any]) -> str:
        if behaviour.text is not None:
            return behaviour.text
        if behaviour.kind == "big":
            return _big_text(behaviour.size)
        if behaviour.kind == "empty":
            return ""
        return self.reply(body) if callable(self.reply) else self.reply

    def _completion(self, text: str) -> dict[str, Any]:
        completion: dict[str, Any] = {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": self.model,
            "choices": [
                {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
            ],
        }
        if self.usage is not None:
            prompt, answer = self.usage
            completion["usage"] = {
                "prompt_tokens": prompt,
                "completion_tokens": answer,
                "total_tokens": prompt + answer,
            }
        return completion

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body leave without waiting for the client's delayed ACK (a 40 ms stall per
            # request on keep-alive connections otherwise).
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                return

            def _send(self, status: int, payload: bytes, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = None
                auth = self.headers.get("Authorization")
                with fake._lock:
                    fake.requests.append(
                        ReceivedRequest(
                            path=self.path,
                            body=body if isinstance(body, dict) else None,
                            had_authorization=auth is not None,
                            authorization_scheme=auth.split(" ", 1)[0] if auth else None,
                            authorization_sha256=hashlib.sha256(auth.encode()).hexdigest() if auth else None,
                        )
                    )
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send(404, b'{"error": {"message": "not found"}}')
                    return
                if not isinstance(body, dict):
                    self._send(400, b'{"error": {"message": "body is not a JSON object"}}')
                    return
                behaviour = fake._next_behaviour()
                if behaviour.delay:
                    time.sleep(behaviour.delay)
                if behaviour.kind == "drop":
                    self.close_connection = True
                    self.connection.close()
                    return
                if behaviour.kind == "rate_limited":
                    headers = {}
                    if behaviour.retry_after is not None:
                        headers["Retry-After"] = f"{behaviour.retry_after:g}"
                    rate_body = b'{"error": {"message": "Rate limit reached", "type": "requests"}}'
                    self._send(429, rate_body, headers)
                    return
                if behaviour.kind == "server_error":
                    self._send(500, b'{"error": {"message": "The server had an error"}}')
                    return
                if behaviour.kind == "malformed":
                    self._send(200, b'{"id": "chatcmpl-fake", "choices": [ {"message": ')
                    return
                if behaviour.kind == "http_error":
                    error = {
                        "message": behaviour.message,
                        "type": "invalid_request_error",
                        "param": behaviour.param,
                    }
                    self._send(behaviour.status, json.dumps({"error": error}).encode("utf-8"))
                    return
                if behaviour.kind == "wrong_shape":
                    self._send(200, b'{"id": "chatcmpl-fake", "object": "chat.completion"}')
                    return
                text = fake._answer_text(behaviour, body)
                self._send(200, json.dumps(fake._completion(text), ensure_ascii=False).encode("utf-8"))

        return Handler
