"""The answer read route as AWS runs it, locally: `ANSWER_READS=long-poll`.

In the stack API Gateway buffers lambda_answers' response, so `GET /chat/answers/{id}` is a long
poll: it returns as soon as there is new text (after a short coalescing pause), or with only a
keep-alive when none comes, or with the `end` event, and the client asks again from its cursor.
With `ANSWER_READS=long-poll` the dev server answers that route through lambda_answers' handler
(the same proxy event as in AWS) instead of its own one-response SSE stream, so this path runs
against the real handler and the real embedded store, with the worker writing in a thread.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from devserver.client_stream import AnswerReader, CursorDecoder
from devserver.process import DevServerError, DevServerProcess
from lambda_chatgpt.sse import SseEvent
from tests.fakes.openai_server import Behaviour, FakeOpenAIServer
from tests.integration.devserver.devserver_llm import llm_env

QUESTION = "what is a rainbow made of"  # FallbackIntent in the frozen HelloWorld bot
PIECES = ["Light ", "bent ", "by ", "rain", "drops."]


@pytest.fixture(scope="module")
def polled(fake_llm: FakeOpenAIServer) -> Iterator[DevServerProcess]:
    with DevServerProcess(env={**llm_env(fake_llm), "ANSWER_READS": "long-poll"}) as process:
        yield process


def ask(server: DevServerProcess) -> dict[str, Any]:
    response = requests.post(
        server.url + "/chat",
        json={"text": QUESTION, "sessionId": f"poll-{uuid.uuid4()}", "locale": "en_US", "stream": True},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    handle: dict[str, Any] = response.json()["answer"]
    return handle


def poll(
    server: DevServerProcess, handle: dict[str, Any], after: int
) -> tuple[requests.Response, list[tuple[SseEvent, int]]]:
    """One read from `after`: the response and its events, each with the cursor (`id`) it carried."""
    response = requests.get(
        server.url + handle["url"],
        params={"after": after},
        headers={"X-Answer-Token": handle["token"]},
        timeout=40,
    )
    if not response.ok:
        return response, []
    return response, [(event, int(cursor or 0)) for event, cursor in CursorDecoder().events(response.content)]


def test_the_answer_comes_in_several_buffered_polls_from_the_cursor(
    polled: DevServerProcess, llm: FakeOpenAIServer
) -> None:
    assert "GET /chat/answers/{id} is a buffered long poll, as in AWS" in polled.stdout
    llm.default = Behaviour.streamed(PIECES, chunk_pause=0.5)
    handle = ask(polled)
    cursor, text, polls, ended = 0, "", 0, None
    deadline = time.monotonic() + 30
    while ended is None and time.monotonic() < deadline:
        response, events = poll(polled, handle, cursor)
        polls += 1
        assert response.status_code == 200, response.text
        assert response.headers["Content-Type"] == "text/event-stream; charset=utf-8"
        # Buffered: a whole body with its length, never a chunked stream.
        assert response.headers.get("Content-Length") == str(len(response.content))
        assert events, "a long poll always returns at least one event (a keep-alive at worst)"
        for event, event_cursor in events:
            if event.event == "delta":
                assert event_cursor > cursor  # never text at or before the cursor
                text += json.loads(event.data)["text"]
                cursor = event_cursor
            elif event.event == "end":
                ended = json.loads(event.data)
    assert ended is not None, "the answer did not end within 30 s"
    assert ended["status"] == "done"
    assert text == "".join(PIECES)
    assert polls >= 2, "a 2-second answer should take more than one poll"


def test_a_poll_after_the_end_returns_the_end_at_once(
    polled: DevServerProcess, llm: FakeOpenAIServer
) -> None:
    llm.default = Behaviour.streamed(["Short."])
    handle = ask(polled)
    deadline = time.monotonic() + 30
    cursor = 0
    while time.monotonic() < deadline:
        _, events = poll(polled, handle, cursor)
        if any(event.event == "end" for event, _ in events):
            break
        cursor = max([c for e, c in events if e.event == "delta"] or [cursor])
    started = time.monotonic()
    response, events = poll(polled, handle, 0)  # from the start again: the whole text and the end
    assert response.status_code == 200
    assert time.monotonic() - started < 10  # not held for the long poll's 20 s
    assert [event.event for event, _ in events] == ["delta", "end"]
    assert json.loads(events[0][0].data)["text"] == "Short."


def test_a_wrong_token_is_the_same_json_404(polled: DevServerProcess, llm: FakeOpenAIServer) -> None:
    llm.default = Behaviour.streamed(["Fine."])
    handle = ask(polled)
    response = requests.get(
        polled.url + handle["url"], params={"after": 0}, headers={"X-Answer-Token": "wrong"}, timeout=30
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "answer_not_found"


def test_an_unknown_answer_reads_value_stops_the_server_with_a_clear_message(
    fake_llm: FakeOpenAIServer,
) -> None:
    env = {**llm_env(fake_llm), "ANSWER_READS": "websocket"}
    with pytest.raises(DevServerError, match="ANSWER_READS must be 'stream'"), DevServerProcess(env=env):
        pass


def test_the_cli_reader_follows_the_polls_to_the_end(polled: DevServerProcess, llm: FakeOpenAIServer) -> None:
    llm.default = Behaviour.streamed(PIECES, chunk_pause=0.4)
    handle = ask(polled)
    pieces: list[str] = []
    with requests.Session() as http:
        reader = AnswerReader(http, polled.url + "/chat", handle)
        end = reader.read(pieces.append)
    assert end.status == "done"
    assert end.text == "".join(PIECES)
    assert "".join(pieces) == end.text
    assert len(pieces) >= 2, "the text should come in more than one poll"
