"""The CLI client streaming LLM answers (`python -m devserver.client`, run in-process) against a small
local HTTP server whose read routes are the real `lambda_answers` core over the embedded store:
both read modes (AWS long polls re-requested from the last id, the dev server's one long stream),
Ctrl-C sending Stop, failed answers, a dropped connection resumed without repeating text, and the
single-answer request of `--no-stream` and of servers without streaming."""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from answer_store import EmbeddedAnswerStore
from devserver.client import EXIT_ERROR_RESPONSE, EXIT_INTERRUPTED, EXIT_OK, run
from lambda_answers import routes
from lambda_answers.errors import RouteError
from lambda_answers.reading import PollLimits

SESSION = "cli-stream-1"


class Backend:
    """What the test server serves: /chat starting an answer a test-owned writer fills in, and the
    answer routes in `mode` ("poll": long polls of at most `max_wait` s, "stream": one response)."""

    def __init__(self, mode: str, pieces: list[str], *, gap: float = 0.05, status: str = "done") -> None:
        self.store = EmbeddedAnswerStore()
        self.mode = mode
        self.pieces = pieces
        self.gap = gap
        self.status = status
        self.streaming = True
        self.drop_first_read_after: int | None = None
        self.chat_bodies: list[dict[str, Any]] = []
        self.reads: list[int] = []
        self.stops = 0
        self.writer: threading.Thread | None = None

    def chat(self, body: dict[str, Any]) -> dict[str, Any]:
        self.chat_bodies.append(body)
        reply: dict[str, Any] = {
            "msg": "Whole answer.",
            "messages": [{"contentType": "PlainText", "content": "Whole answer."}],
            "sessionId": body.get("sessionId") or SESSION,
            "locale": "en_US",
            "intent": "FallbackIntent",
            "intentState": "Fulfilled",
            "dialogAction": "Close",
            "slots": {},
            "source": "llm",
        }
        if not (self.streaming and body.get("stream") is True):
            return reply
        token = "cli-token-0123456789"
        answer_id = self.store.create(
            session_id=SESSION, token=token, job={"locale": "en_US"}, ttl_seconds=600
        )
        self.writer = threading.Thread(target=self._write, args=(answer_id,), daemon=True)
        self.writer.start()
        url = f"/chat/answers/{answer_id}"
        return {**reply, "msg": "", "messages": [], "answer": {"id": answer_id, "token": token, "url": url}}

    def _write(self, answer_id: str) -> None:
        """The worker's part: the pieces one by one, stopping when asked."""
        self.store.claim(answer_id)
        for piece in self.pieces:
            time.sleep(self.gap)
            answer = self.store.get(answer_id)
            if answer is not None and answer.stop_requested:
                self.store.finish(answer_id, "stopped")
                return
            self.store.append(answer_id, piece)
        time.sleep(self.gap)
        answer = self.store.get(answer_id)
        stopped = answer is not None and answer.stop_requested
        self.store.finish(
            answer_id,
            "stopped" if stopped else self.status,
            error_kind="timeout" if self.status == "failed" else None,
        )


class Handler(BaseHTTPRequestHandler):
    backend: Backend

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _json(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            if path == "/chat":
                self._json(200, self.backend.chat(json.loads(raw)))
            elif path.endswith("/stop"):
                self.backend.stops += 1
                answer_id = path.split("/")[3]
                self._json(
                    200, routes.stop(self.backend.store, answer_id, self.headers.get("X-Answer-Token"))
                )
            else:
                self._json(404, {"error": {"code": "not_found", "message": "no"}})
        except RouteError as error:
            self._json(error.status, error.body())

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        answer_id = parts.path.split("/")[3]
        after = parse_qs(parts.query).get("after", [None])[0]
        token = self.headers.get("X-Answer-Token")
        backend = self.backend
        backend.reads.append(int(after or 0))
        try:
            if backend.mode == "poll":
                body = routes.read_long_poll(
                    backend.store, answer_id, token, after, limits=PollLimits(max_wait=0.3, coalesce=0.02)
                )
                chunks: Iterator[bytes] = iter([body])
            else:
                chunks = routes.open_stream(
                    backend.store, answer_id, token, after, keepalive_seconds=0.2, poll_seconds=0.05
                )
        except RouteError as error:
            self._json(error.status, error.body())
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()  # no length: the body ends when the connection closes
        sent = 0
        for chunk in chunks:
            self.wfile.write(chunk)
            self.wfile.flush()
            sent += chunk.count(b"event: delta")
            if backend.drop_first_read_after is not None and sent >= backend.drop_first_read_after:
                backend.drop_first_read_after = None
                self.wfile.write(b'event: delta\nid: 99\ndata: {"te')  # cut mid-event
                self.wfile.flush()
                self.close_connection = True
                return


@pytest.fixture
def serve() -> Iterator[Any]:
    servers: list[ThreadingHTTPServer] = []

    def start(backend: Backend) -> str:
        handler = type("BoundHandler", (Handler,), {"backend": backend})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


class InterruptingOut(io.StringIO):
    """stdout that raises KeyboardInterrupt (as Ctrl-C would) once the first `after` chars are shown."""

    def __init__(self, after: str) -> None:
        super().__init__()
        self.after = after
        self.fired = False

    def write(self, text: str) -> int:
        written = super().write(text)
        if not self.fired and self.after in self.getvalue():
            self.fired = True
            raise KeyboardInterrupt
        return written


def client(url: str, *args: str, out: io.StringIO | None = None) -> tuple[int, str, str]:
    out = out if out is not None else io.StringIO()
    err = io.StringIO()
    status = run(["--url", url, "--session", SESSION, *args], out=out, err=err)
    return status, out.getvalue(), err.getvalue()


PIECES = ["The moon ", "pulls ", "the sea ", "twice ", "a day."]


@pytest.mark.parametrize("mode", ["poll", "stream"])
def test_a_streamed_answer_is_printed_whole_and_once_in_both_read_modes(serve: Any, mode: str) -> None:
    backend = Backend(mode, PIECES, gap=0.12 if mode == "poll" else 0.05)
    status, out, err = client(serve(backend), "-m", "why tides?")
    assert status == EXIT_OK, err
    assert out == "The moon pulls the sea twice a day.\n"
    assert backend.chat_bodies[0]["stream"] is True
    if mode == "poll":
        assert len(backend.reads) > 1  # long polls asked again from the last id
        assert backend.reads == sorted(backend.reads)
    else:
        assert backend.reads == [0]
    assert "source llm" in err


def test_no_stream_and_json_send_the_documented_single_answer_request(serve: Any) -> None:
    backend = Backend("stream", PIECES)
    url = serve(backend)
    assert client(url, "--no-stream", "-m", "hi")[:2] == (EXIT_OK, "Whole answer.\n")
    status, out, _ = client(url, "--json", "-m", "hi")
    assert status == EXIT_OK
    assert json.loads(out)["msg"] == "Whole answer."
    assert ["stream" in body for body in backend.chat_bodies] == [False, False]
    assert backend.reads == []


def test_a_server_without_streaming_is_answered_as_before(serve: Any) -> None:
    backend = Backend("stream", PIECES)
    backend.streaming = False
    assert client(serve(backend), "-m", "hi")[:2] == (EXIT_OK, "Whole answer.\n")
    assert backend.chat_bodies[0]["stream"] is True


def test_ctrl_c_while_streaming_stops_the_answer_and_keeps_what_arrived(serve: Any) -> None:
    backend = Backend("stream", [f"piece {n}. " for n in range(40)], gap=0.05)
    out = InterruptingOut(after="piece 1.")
    status, shown, err = client(serve(backend), "-m", "a long one", out=out)
    assert status == EXIT_INTERRUPTED
    assert backend.stops == 1
    assert "stopping the answer" in err
    assert "The answer was stopped." in err
    assert shown.startswith("piece 0. piece 1. ")
    assert "piece 39." not in shown


def test_a_failed_answer_shows_its_notice_and_exits_1(serve: Any) -> None:
    backend = Backend("poll", ["Partial "], status="failed")
    status, out, err = client(serve(backend), "-m", "hi")
    assert status == EXIT_ERROR_RESPONSE
    assert out == "Partial \n"
    assert "took too long" in err


def test_a_dropped_connection_is_resumed_from_the_last_id_without_repeating_text(serve: Any) -> None:
    backend = Backend("stream", PIECES, gap=0.05)
    backend.drop_first_read_after = 2
    status, out, err = client(serve(backend), "-m", "why tides?")
    assert status == EXIT_OK, err
    assert out == "The moon pulls the sea twice a day.\n"
    assert backend.reads[0] == 0
    assert backend.reads[1] >= 2


def test_an_answer_the_server_refuses_to_show_is_an_error_naming_the_code(serve: Any) -> None:
    backend = Backend("stream", PIECES)
    url = serve(backend)
    original = backend.chat

    def wrong_token(body: dict[str, Any]) -> dict[str, Any]:
        reply = original(body)
        reply["answer"]["token"] = "not-the-token"
        return reply

    backend.chat = wrong_token  # type: ignore[method-assign]
    status, _, err = client(url, "-m", "hi")
    assert status == EXIT_ERROR_RESPONSE
    assert "answer_not_found" in err
