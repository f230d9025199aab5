"""A real HTTP server on 127.0.0.1 that answers Lex V2 RecognizeText the way the service does on the wire
(and accepts PutSession, recording it in `put_sessions`).

boto3 reaches it through AWS_ENDPOINT_URL_LEX_RUNTIME_V2 (or `endpoint_url=`). Behaviours, scriptable
per request like the fake OpenAI server: `ok` (an answer naming an intent), `slow`, `drop` (close the
connection without answering) and `error` (a status with `x-amzn-ErrorType`, as Lex sends errors).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

_PATH = re.compile(r"^/bots/([^/]+)/botAliases/([^/]+)/botLocales/([^/]+)/sessions/([^/]+)/text$")
_SESSION_PATH = re.compile(r"^/bots/([^/]+)/botAliases/([^/]+)/botLocales/([^/]+)/sessions/([^/]+)$")


@dataclass(frozen=True)
class LexBehaviour:
    kind: str = "ok"
    delay: float = 0.0
    intent: str = "FallbackIntent"
    messages: tuple[str, ...] = ("An answer.",)
    status: int = 200
    error_type: str = ""
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def ok(cls, *messages: str, intent: str = "FallbackIntent") -> LexBehaviour:
        return cls("ok", intent=intent, messages=messages or ("An answer.",))

    @classmethod
    def slow(cls, delay: float) -> LexBehaviour:
        return cls("ok", delay=delay)

    @classmethod
    def drop(cls) -> LexBehaviour:
        return cls("drop")

    @classmethod
    def error(cls, status: int, error_type: str, **headers: str) -> LexBehaviour:
        return cls("error", status=status, error_type=error_type, headers=tuple(headers.items()))


@dataclass
class LexRequest:
    bot_id: str
    alias_id: str
    locale: str
    session_id: str
    body: dict[str, Any]
    received_at: float = field(default_factory=time.monotonic)


class FakeLexServer:
    def __init__(self) -> None:
        self.default = LexBehaviour.ok()
        self.requests: list[LexRequest] = []
        self.put_sessions: list[LexRequest] = []
        self.connections = 0  # TCP connections accepted
        self.recognize_text_connections = 0  # of them, those whose first request was RecognizeText
        self._script: deque[LexBehaviour] = deque()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-lex", daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def script(self, *behaviours: LexBehaviour) -> None:
        with self._lock:
            self._script.extend(behaviours)

    def __enter__(self) -> FakeLexServer:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _next(self) -> LexBehaviour:
        with self._lock:
            return self._script.popleft() if self._script else self.default

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out at once: no delayed-ACK stalls

            def log_message(self, format: str, *args: Any) -> None:
                return

            def setup(self) -> None:
                super().setup()
                with fake._lock:
                    fake.connections += 1

            def _send(
                self, status: int, payload: dict[str, Any], headers: tuple[tuple[str, str], ...] = ()
            ) -> None:
                body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if not getattr(self, "served", False) and _PATH.match(self.path):
                    with fake._lock:
                        fake.recognize_text_connections += 1
                self.served = True
                session_match = _SESSION_PATH.match(self.path)
                if session_match is not None:
                    bot, alias, locale, session = session_match.groups()
                    with fake._lock:
                        fake.put_sessions.append(
                            LexRequest(bot, alias, locale, session, json.loads(raw or b"{}"))
                        )
                    self._send(200, {"sessionId": session_match.group(4), "messages": []})
                    return
                match = _PATH.match(self.path)
                if match is None:
                    self._send(
                        404, {"message": "not found"}, (("x-amzn-ErrorType", "ResourceNotFoundException"),)
                    )
                    return
                body = json.loads(raw or b"{}")
                bot_id, alias_id, locale, session_id = match.groups()
                with fake._lock:
                    fake.requests.append(LexRequest(bot_id, alias_id, locale, session_id, body))
                behaviour = fake._next()
                if behaviour.delay:
                    time.sleep(behaviour.delay)
                if behaviour.kind == "drop":
                    self.close_connection = True
                    self.connection.close()
                    return
                if behaviour.kind == "error":
                    headers = (("x-amzn-ErrorType", behaviour.error_type), *behaviour.headers)
                    self._send(
                        behaviour.status, {"message": f"{behaviour.error_type} from the fake"}, headers
                    )
                    return
                self._send(
                    200,
                    {
                        "messages": [{"contentType": "PlainText", "content": m} for m in behaviour.messages],
                        "sessionState": {
                            "dialogAction": {"type": "Close"},
                            "intent": {
                                "name": behaviour.intent,
                                "state": "Fulfilled",
                                "confirmationState": "None",
                            },
                            "sessionAttributes": {},
                        },
                        "interpretations": [{"intent": {"name": behaviour.intent}}],
                        "sessionId": session_id,
                    },
                )

        return Handler
