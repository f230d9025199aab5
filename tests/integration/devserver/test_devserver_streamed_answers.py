"""Streamed answers through the whole local stack: `python -m devserver` (a child process) with a fake
OpenAI server that streams, the embedded answer store and the worker in a thread.

POST /chat with "stream": true gets a handle at once; GET /chat/answers/{id} then streams the
answer's text as SSE until its end, in one response; stop and the kept conversation go through
lambda_answers' handler.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from devserver.process import DevServerProcess
from lambda_chatgpt.sse import SseDecoder, SseEvent
from tests.fakes.openai_server import Behaviour, FakeOpenAIServer
from tests.integration.devserver.devserver_llm import llm_env

QUESTION = "what is a rainbow made of"  # FallbackIntent in the frozen HelloWorld bot
PIECES = ["Light ", "bent ", "by ", "raindrops."]


@pytest.fixture(scope="module")
def streaming(fake_llm: FakeOpenAIServer) -> Iterator[DevServerProcess]:
    with DevServerProcess(env=llm_env(fake_llm)) as process:
        yield process


def ask(server: DevServerProcess, session: str) -> dict[str, Any]:
    response = requests.post(
        server.url + "/chat",
        json={"text": QUESTION, "sessionId": session, "locale": "en_US", "stream": True},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def read_events(server: DevServerProcess, handle: dict[str, Any]) -> tuple[list[SseEvent], list[float]]:
    """Every event of the answer's stream, and when each arrived."""
    decoder = SseDecoder()
    events: list[SseEvent] = []
    arrivals: list[float] = []
    with requests.get(
        server.url + handle["url"], headers={"X-Answer-Token": handle["token"]}, stream=True, timeout=30
    ) as response:
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/event-stream; charset=utf-8"
        for chunk in response.iter_content(chunk_size=None):
            for event in decoder.feed(chunk):
                events.append(event)
                arrivals.append(time.monotonic())
            if events and events[-1].event == "end":
                break
    return events, arrivals


def test_a_streamed_answer_arrives_piece_by_piece_in_one_response(
    streaming: DevServerProcess, llm: FakeOpenAIServer
) -> None:
    assert "GET /chat/answers/{id} streams the answer (SSE)" in streaming.stdout  # the banner says so
    llm.default = Behaviour.streamed(PIECES, chunk_pause=0.4)
    started = time.monotonic()
    reply = ask(streaming, f"stream-{uuid.uuid4()}")
    assert time.monotonic() - started < 2.0  # the turn does not wait for the answer
    assert reply["source"] == "llm"
    handle = reply["answer"]
    assert handle["url"] == f"/chat/answers/{handle['id']}"
    events, arrivals = read_events(streaming, handle)
    deltas = [e for e in events if e.event == "delta"]
    assert "".join(json.loads(e.data)["text"] for e in deltas) == "".join(PIECES)
    assert len(deltas) >= 2, "the text should come in more than one event"
    assert arrivals[-1] - arrivals[0] > 0.5  # spread over the LLM's pauses, not all at the end
    end = json.loads(events[-1].data)
    assert (events[-1].event, end["status"], end["notice"]) == ("end", "done", None)


def test_a_wrong_token_is_a_json_404(streaming: DevServerProcess, llm: FakeOpenAIServer) -> None:
    llm.default = Behaviour.streamed(PIECES)
    handle = ask(streaming, f"stream-{uuid.uuid4()}")["answer"]
    response = requests.get(streaming.url + handle["url"], headers={"X-Answer-Token": "nope"}, timeout=10)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "answer_not_found"
    bad_cursor = requests.get(
        streaming.url + handle["url"] + "?after=-1", headers={"X-Answer-Token": handle["token"]}, timeout=10
    )
    assert bad_cursor.status_code == 400
    assert bad_cursor.json()["error"]["code"] == "invalid_cursor"


def test_stop_ends_the_stream_and_the_conversation_keeps_the_turn(
    streaming: DevServerProcess, llm: FakeOpenAIServer
) -> None:
    llm.default = Behaviour.streamed(["one "] * 40, chunk_pause=0.2)
    session = f"stop-{uuid.uuid4()}"
    reply = ask(streaming, session)
    handle = reply["answer"]
    time.sleep(0.5)
    stop = requests.post(
        streaming.url + handle["url"] + "/stop", headers={"X-Answer-Token": handle["token"]}, timeout=10
    )
    assert stop.status_code == 200
    assert stop.json()["stopped"] is True
    events, _ = read_events(streaming, handle)
    end = json.loads(events[-1].data)
    assert end["status"] == "stopped"
    assert end["notice"]
    conversation = requests.get(
        streaming.url + f"/chat/conversations/{session}",
        headers={"X-Conversation-Token": reply["conversation"]["token"]},
        timeout=10,
    )
    assert conversation.status_code == 200
    turns = conversation.json()["turns"]
    assert [turn["role"] for turn in turns] == ["user", "bot"]
    assert turns[1]["answer"]["status"] == "stopped"
