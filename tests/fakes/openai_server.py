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

Streaming: a request with ``"stream": true`` that would get an answer gets it as OpenAI streams one:
``text/event-stream`` (chunked), ``data: {chat.completion.chunk}`` events (the role delta first, then
the content deltas, then an empty delta with ``finish_reason``, then a usage chunk when
``stream_options.include_usage`` is set) and ``data: [DONE]``. ``Behaviour.streamed`` scripts the
pieces and the pauses (``first_token_delay``, ``chunk_pause``: a 60-second answer is 600 pieces 0.1 s
apart); ``stream_dies`` closes the connection mid-answer, ``stream_silent`` stops sending for a while,
``stream_malformed`` sends a line that is not JSON, ``stream_events`` sends any sequence of events
(``stream_chunk`` builds one), e.g. content after the finish. While it streams the fake watches the
connection: ``ReceivedRequest.client_gone`` is set as soon as the client goes away, and
``chunks_sent`` counts the content pieces written before that.

Requests are recorded without the key: ``authorization_sha256`` is the SHA-256 hex digest of the
whole Authorization header value, so a test can tell which key was sent without the fake keeping it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import select
import socket
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
    # Streaming only (requests with "stream": true); see the module docstring.
    chunks: tuple[str, ...] | None = None
    first_token_delay: float = 0.0
    chunk_pause: float = 0.0
    die_after: int | None = None
    silence_after: int | None = None
    silence: float = 0.0
    malformed_after: int | None = None
    events: tuple[str | dict[str, Any], ...] | None = None

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

    @classmethod
    def streamed(
        cls,
        chunks: tuple[str, ...] | list[str] | None = None,
        *,
        first_token_delay: float = 0.0,
        chunk_pause: float = 0.0,
        text: str | None = None,
    ) -> Behaviour:
        """Stream these content pieces (default: the reply cut into words), with these pauses."""
        pieces = tuple(chunks) if chunks is not None else None
        return cls(
            "ok", text=text, chunks=pieces, first_token_delay=first_token_delay, chunk_pause=chunk_pause
        )

    @classmethod
    def stream_dies(cls, after: int, chunks: tuple[str, ...] | list[str] | None = None) -> Behaviour:
        """Send `after` content pieces, then close the connection without finishing the answer."""
        pieces = tuple(chunks) if chunks is not None else None
        return cls("ok", chunks=pieces, die_after=after)

    @classmethod
    def stream_silent(
        cls, after: int, seconds: float, chunks: tuple[str, ...] | list[str] | None = None
    ) -> Behaviour:
        """Send `after` content pieces, then nothing for `seconds`, then the rest."""
        pieces = tuple(chunks) if chunks is not None else None
        return cls("ok", chunks=pieces, silence_after=after, silence=seconds)

    @classmethod
    def stream_malformed(cls, after: int, chunks: tuple[str, ...] | list[str] | None = None) -> Behaviour:
        """After `after` content pieces, an event whose data is not JSON."""
        pieces = tuple(chunks) if chunks is not None else None
        return cls("ok", chunks=pieces, malformed_after=after)

    @classmethod
    def stream_events(cls, *events: str | dict[str, Any], chunk_pause: float = 0.0) -> Behaviour:
        """Exactly these events, in order: a dict is sent as JSON, a str as it is (e.g. "[DONE]")."""
        return cls("ok", events=tuple(events), chunk_pause=chunk_pause)


def stream_chunk(
    content: str | None = None,
    *,
    role: str | None = None,
    finish_reason: str | None = None,
    index: int = 0,
    model: str = "fake-model",
) -> dict[str, Any]:
    """One chat.completion.chunk with one choice, as OpenAI streams it."""
    delta: dict[str, Any] = {}
    if role is not None:
        delta["role"] = role
    if content is not None:
        delta["content"] = content
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "system_fingerprint": None,
        "choices": [{"index": index, "delta": delta, "logprobs": None, "finish_reason": finish_reason}],
    }


def _pieces(text: str) -> list[str]:
    """Text cut like a tokenizer would, roughly: each word with the spaces after it."""
    return re.findall(r"\S+\s*|\s+", text)


@dataclass
class ReceivedRequest:
    """One request as the server saw it (the Authorization header is reduced to a flag)."""

    path: str
    body: dict[str, Any] | None
    had_authorization: bool
    authorization_scheme: str | None
    received_at: float = field(default_factory=time.monotonic)
    authorization_sha256: str | None = None
    streamed: bool = False
    chunks_sent: int = 0
    client_gone: threading.Event = field(default_factory=threading.Event)
    stream_ended: threading.Event = field(default_factory=threading.Event)


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
                record = ReceivedRequest(
                    path=self.path,
                    body=body if isinstance(body, dict) else None,
                    had_authorization=auth is not None,
                    authorization_scheme=auth.split(" ", 1)[0] if auth else None,
                    authorization_sha256=hashlib.sha256(auth.encode()).hexdigest() if auth else None,
                )
                with fake._lock:
                    fake.requests.append(record)
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
                if body.get("stream") is True:
                    record.streamed = True
                    try:
                        _Streamer(self, fake, behaviour, body, record).run()
                    finally:
                        record.stream_ended.set()
                    return
                text = fake._answer_text(behaviour, body)
                self._send(200, json.dumps(fake._completion(text), ensure_ascii=False).encode("utf-8"))

        return Handler


class _ClientGoneError(Exception):
    """The client closed its end of the connection while the answer was streaming."""


class _Streamer:
    """Writes one streamed answer (chunked transfer encoding, server-sent events) as scripted."""

    def __init__(
        self,
        handler: BaseHTTPRequestHandler,
        fake: FakeOpenAIServer,
        behaviour: Behaviour,
        body: dict[str, Any],
        record: ReceivedRequest,
    ) -> None:
        self._handler = handler
        self._fake = fake
        self._behaviour = behaviour
        self._body = body
        self._record = record
        options = body.get("stream_options")
        self._include_usage = isinstance(options, dict) and options.get("include_usage") is True

    def run(self) -> None:
        handler = self._handler
        handler.close_connection = True
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream; charset=utf-8")
        handler.send_header("Cache-Control", "no-cache")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        try:
            if self._behaviour.events is not None:
                self._scripted_events()
            else:
                self._answer()
            self._write_raw(b"0\r\n\r\n")
        except _ClientGoneError:
            self._record.client_gone.set()

    def _scripted_events(self) -> None:
        for number, event in enumerate(self._behaviour.events or ()):
            if number:
                self._pause(self._behaviour.chunk_pause)
            self._event(event if isinstance(event, str) else json.dumps(event, ensure_ascii=False))

    def _answer(self) -> None:
        behaviour = self._behaviour
        if behaviour.chunks is not None:
            pieces = list(behaviour.chunks)
        else:
            pieces = _pieces(self._fake._answer_text(behaviour, self._body))
        self._chunk(stream_chunk("", role="assistant", model=self._fake.model))
        self._pause(behaviour.first_token_delay)
        for number, piece in enumerate(pieces):
            if number == behaviour.die_after:
                self._die()
                return
            if number == behaviour.silence_after:
                self._pause(behaviour.silence)
            if number == behaviour.malformed_after:
                self._event('{"id": "chatcmpl-fake", "choices": [{"delta": ')
            if number:
                self._pause(behaviour.chunk_pause)
            self._chunk(stream_chunk(piece, model=self._fake.model))
            self._record.chunks_sent += 1
        if behaviour.die_after is not None and behaviour.die_after >= len(pieces):
            self._die()
            return
        self._chunk(stream_chunk(finish_reason="stop", model=self._fake.model))
        if self._include_usage:
            usage = {"prompt_tokens": 1, "completion_tokens": len(pieces), "total_tokens": 1 + len(pieces)}
            self._event(
                json.dumps(
                    {
                        "id": "chatcmpl-fake",
                        "object": "chat.completion.chunk",
                        "created": int(time.time()),
                        "model": self._fake.model,
                        "choices": [],
                        "usage": usage,
                    }
                )
            )
        self._event("[DONE]")

    def _chunk(self, chunk: dict[str, Any]) -> None:
        if self._include_usage:
            chunk["usage"] = None
        self._event(json.dumps(chunk, ensure_ascii=False))

    def _event(self, data: str) -> None:
        payload = f"data: {data}\n\n".encode()
        self._write_raw(f"{len(payload):x}\r\n".encode() + payload + b"\r\n")

    def _write_raw(self, data: bytes) -> None:
        if self._peer_closed(0.0):
            raise _ClientGoneError
        try:
            self._handler.wfile.write(data)
            self._handler.wfile.flush()
        except OSError:
            raise _ClientGoneError from None

    def _pause(self, seconds: float) -> None:
        """Sleep, but notice at once when the client goes away meanwhile."""
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            if self._peer_closed(min(left, 0.05)):
                raise _ClientGoneError

    def _peer_closed(self, wait: float) -> bool:
        connection = self._handler.connection
        try:
            readable, _, _ = select.select([connection], [], [], wait)
            if not readable:
                return False
            peeked: bytes = connection.recv(1, socket.MSG_PEEK)
            return peeked == b""
        except (OSError, ValueError):
            return True

    def _die(self) -> None:
        """Close the connection mid-answer: no finishing chunk, no [DONE], no end of the chunked body."""
        self._handler.wfile.flush()
        with contextlib.suppress(OSError):
            self._handler.connection.shutdown(socket.SHUT_RDWR)
        self._handler.connection.close()
