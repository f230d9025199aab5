"""The answers routes over real HTTP: an in-process dev server (uvicorn) with scripted event sources
and handlers, read with a real streaming client (requests).

What the transport promises: events reach the client as they are made (not when the stream ends),
keep-alive comments flow while nothing happens, a client that goes away stops the server-side
reader, refusals are JSON, a slow turn and an open stream never wait for each other, the answers
routes reach lambda_answers' handler with the stack's resource and path parameters, and stopping
the server ends open streams.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from devserver.answer_stream import StreamRefused, StreamRequest
from devserver.http_server import DevServer
from devserver.limits import ClientRateLimiter
from devserver.static_files import CONTENT_SECURITY_POLICY
from lambda_chatgpt.sse import SseDecoder, SseEvent

SITE = Path(__file__).resolve().parents[3] / "html"
ANSWER = "3f2b8c1e-0d4a-4e8e-9a51-2c7d9e6b1a10"
TOKEN = "reader-token-for-the-tests"


def sse(event: str, cursor: int, data: dict[str, Any]) -> bytes:
    return f"event: {event}\nid: {cursor}\ndata: {json.dumps(data)}\n\n".encode()


END = sse("end", 2, {"status": "done", "errorKind": None, "finishReason": "stop", "notice": None})


class ScriptedStreams:
    """An `AnswerStreams` whose frames the test releases one step at a time; it records what happens."""

    def __init__(self) -> None:
        self.requests: list[StreamRequest] = []
        self.release = threading.Event()
        self.finished = threading.Event()  # the frames' iterator ran its cleanup (closed or ended)
        self.idle_until_release = True

    def __call__(self, request: StreamRequest) -> StreamRefused | Iterator[bytes]:
        self.requests.append(request)
        if request.token != TOKEN or request.answer_id != ANSWER:
            return StreamRefused(404, "answer_not_found", "No such answer.")
        if request.after not in (None, "0", "1"):
            return StreamRefused(400, "invalid_cursor", "after must be a whole number.")
        return self._frames()

    def _frames(self) -> Iterator[bytes]:
        try:
            yield sse("delta", 1, {"text": "Hello"})
            while not self.release.wait(0.05):
                yield b""  # nothing new yet
            yield sse("delta", 2, {"text": ", world"})
            yield END
        finally:
            self.finished.set()


class SlowHandler:
    """A Lambda handler that answers once released (a turn waiting for its LLM); records its events."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.events: list[dict[str, Any]] = []
        self.entered = threading.Event()

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        self.events.append(event)
        self.entered.set()
        time.sleep(self.delay)
        return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": '{"ok": true}'}


@pytest.fixture
def streams() -> ScriptedStreams:
    return ScriptedStreams()


@pytest.fixture
def served(streams: ScriptedStreams) -> Iterator[DevServer]:
    server = DevServer(
        ("127.0.0.1", 0),
        site_dir=SITE,
        chat_handler=SlowHandler(),
        answers_handler=SlowHandler(),
        answer_streams=streams,
        access_log=False,
    )
    server.keep_alive_seconds = 0.2
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        streams.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def url(server: DevServer, path: str) -> str:
    return f"http://127.0.0.1:{server.port}{path}"


def open_stream(server: DevServer, query: str = "", token: str = TOKEN) -> requests.Response:
    return requests.get(
        url(server, f"/chat/answers/{ANSWER}{query}"),
        headers={"X-Answer-Token": token, "Accept": "text/event-stream"},
        stream=True,
        timeout=10,
    )


class Reader:
    """Reads a streamed body as it arrives: the raw bytes so far and the decoded events."""

    def __init__(self, response: requests.Response) -> None:
        self.chunks = response.iter_content(chunk_size=None)
        self.raw = b""
        self.events: list[SseEvent] = []
        self._decoder = SseDecoder()

    def until(self, done: Any, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while not done(self):
            assert time.monotonic() < deadline, f"gave up waiting; got {self.raw!r}"
            chunk = next(self.chunks)
            self.raw += chunk
            self.events.extend(self._decoder.feed(chunk))


def test_events_arrive_as_they_are_made_not_when_the_stream_ends(
    served: DevServer, streams: ScriptedStreams
) -> None:
    with open_stream(served) as response:
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/event-stream; charset=utf-8"
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        reader = Reader(response)
        reader.until(lambda r: len(r.events) >= 1)
        assert reader.events[0] == SseEvent(data='{"text": "Hello"}', event="delta")
        assert not streams.finished.is_set(), "the first event came only after the source finished"
        streams.release.set()
        reader.until(lambda r: any(e.event == "end" for e in r.events))
    assert [e.event for e in reader.events] == ["delta", "delta", "end"]
    assert json.loads(reader.events[-1].data)["status"] == "done"
    # The frames go out byte for byte as the source made them.
    assert reader.raw.replace(b": keep-alive\n\n", b"").startswith(sse("delta", 1, {"text": "Hello"}))
    assert reader.raw.endswith(END)
    assert streams.finished.wait(5)


def test_keep_alive_comments_flow_while_the_answer_is_idle(
    served: DevServer, streams: ScriptedStreams
) -> None:
    with open_stream(served) as response:
        reader = Reader(response)
        reader.until(lambda r: r.raw.count(b": keep-alive\n\n") >= 2)
        assert len(reader.events) == 1  # comments are not events
        streams.release.set()
        reader.until(lambda r: r.raw.endswith(END))


def test_a_client_that_goes_away_stops_the_server_side_reader(
    served: DevServer, streams: ScriptedStreams
) -> None:
    response = open_stream(served)
    Reader(response).until(lambda r: len(r.events) == 1)
    response.close()  # mid-stream: the answer is not finished
    assert streams.finished.wait(5), "the source was still being read after its client left"
    assert not streams.release.is_set()
    # The server goes on serving.
    assert requests.get(url(served, "/chat.css"), timeout=5).status_code == 200


@pytest.mark.parametrize(
    ("query", "token", "status", "code"),
    [
        ("", "not-the-token", 404, "answer_not_found"),
        ("", "", 404, "answer_not_found"),
        ("?after=abc", TOKEN, 400, "invalid_cursor"),
    ],
)
def test_refusals_are_json_errors(
    served: DevServer, streams: ScriptedStreams, query: str, token: str, status: int, code: str
) -> None:
    response = open_stream(served, query, token)
    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == code
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_cursor_and_last_event_id_reach_the_source(served: DevServer, streams: ScriptedStreams) -> None:
    streams.release.set()
    with open_stream(served, "?after=1") as response:
        Reader(response).until(lambda r: r.raw.endswith(END))
    requests.get(
        url(served, f"/chat/answers/{ANSWER}"),
        headers={"X-Answer-Token": TOKEN, "Last-Event-ID": "7"},
        timeout=10,
    )
    first, second = streams.requests
    assert (first.answer_id, first.token, first.after, first.last_event_id) == (ANSWER, TOKEN, "1", None)
    assert (second.after, second.last_event_id) == (None, "7")


def test_only_get_reads_a_stream(served: DevServer) -> None:
    response = requests.post(url(served, f"/chat/answers/{ANSWER}"), timeout=5)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET"
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_without_a_store_streams_are_404(served: DevServer) -> None:
    served.answer_streams = None
    response = open_stream(served)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "answer_not_found"


def test_a_slow_turn_and_an_open_stream_do_not_wait_for_each_other(
    served: DevServer, streams: ScriptedStreams
) -> None:
    slow = SlowHandler(delay=3.0)
    served.chat_handler = slow
    answered: dict[str, float] = {}

    def turn() -> None:
        requests.post(url(served, "/chat"), json={"text": "a long question"}, timeout=30)
        answered["at"] = time.monotonic()

    chat = threading.Thread(target=turn)
    chat.start()
    assert slow.entered.wait(5)
    with open_stream(served) as response:  # while the turn is still waiting for its LLM
        reader = Reader(response)
        reader.until(lambda r: len(r.events) == 1, timeout=2)
        # ...and while this stream is open and idle, another turn is answered at once.
        served.chat_handler = SlowHandler()
        started = time.monotonic()
        quick = requests.post(url(served, "/chat"), json={"text": "hi"}, timeout=10)
        assert quick.status_code == 200
        assert time.monotonic() - started < 1.5
        streams.release.set()
        reader.until(lambda r: r.raw.endswith(END), timeout=2)
    assert "at" not in answered, "the stream should have ended before the slow turn did"
    chat.join(timeout=30)
    assert "at" in answered


@pytest.mark.parametrize(
    ("method", "path", "resource", "parameters"),
    [
        ("POST", f"/chat/answers/{ANSWER}/stop", "/chat/answers/{id}/stop", {"id": ANSWER}),
        ("POST", f"/chat/answers/{ANSWER}/regenerate", "/chat/answers/{id}/regenerate", {"id": ANSWER}),
        (
            "GET",
            "/chat/conversations/session-42",
            "/chat/conversations/{sessionId}",
            {"sessionId": "session-42"},
        ),
    ],
)
def test_answers_routes_reach_lambda_answers_as_the_stack_routes_them(
    served: DevServer, method: str, path: str, resource: str, parameters: dict[str, str]
) -> None:
    handler = SlowHandler()
    served.answers_handler = handler
    response = requests.request(method, url(served, path), headers={"X-Answer-Token": TOKEN}, timeout=10)
    assert response.status_code == 200
    assert response.json() == {"ok": True}
    assert response.headers["x-amzn-RequestId"]
    (event,) = handler.events
    assert (event["httpMethod"], event["path"], event["resource"]) == (method, path, resource)
    assert event["pathParameters"] == parameters
    assert event["headers"]["x-answer-token"] == TOKEN
    assert event["headers"]["x-chatbot-viewer-ip"] == "127.0.0.1"
    wrong = requests.request("DELETE", url(served, path), timeout=5)
    assert wrong.status_code == 405
    assert wrong.headers["Allow"] == method


def test_answers_routes_are_404_without_lambda_answers(served: DevServer) -> None:
    served.answers_handler = None
    response = requests.post(url(served, f"/chat/answers/{ANSWER}/stop"), timeout=5)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_rate_limits_cover_the_answers_routes_reads_on_their_own(served: DevServer) -> None:
    """As the stack's web ACL: GETs (stream reads, conversations) count against the reads' limit,
    POSTs (turns, stop, regenerate) against the turns' limit."""
    served.rate_limiter = ClientRateLimiter(1, 60)
    served.read_rate_limiter = ClientRateLimiter(2, 60)
    stop = url(served, f"/chat/answers/{ANSWER}/stop")
    assert requests.post(stop, timeout=5).status_code == 200
    assert requests.post(stop, timeout=5).status_code == 429
    assert open_stream(served, token="wrong").status_code == 404  # the turns' limit is spent; reads are not
    assert requests.get(url(served, "/chat/conversations/s-1"), timeout=5).status_code == 200
    throttled = open_stream(served)
    assert throttled.status_code == 429
    assert throttled.json()["error"]["code"] == "throttled"
    assert int(throttled.headers["Retry-After"]) >= 1


def test_stopping_the_server_ends_open_streams(served: DevServer, streams: ScriptedStreams) -> None:
    response = open_stream(served)
    Reader(response).until(lambda r: len(r.events) == 1)
    started = time.monotonic()
    served.shutdown()
    assert time.monotonic() - started < 4
    assert streams.finished.wait(5)
    response.close()
