"""The streaming fake OpenAI server itself, read with plain requests: the event sequence OpenAI
sends (role, content deltas, finish, usage when asked, [DONE]), pauses as scripted, and plain
requests still answered in one JSON body."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from lambda_chatgpt.sse import SseDecoder
from tests.fakes.openai_server import Behaviour, FakeOpenAIServer


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer(reply="One two three.") as server:
        yield server


def post(fake: FakeOpenAIServer, **extra: Any) -> requests.Response:
    body = {"model": "fake-model", "messages": [{"role": "user", "content": "hi"}], **extra}
    return requests.post(fake.base_url + "/chat/completions", json=body, stream=True, timeout=10)


def events(response: requests.Response) -> list[tuple[float, str]]:
    decoder = SseDecoder()
    out: list[tuple[float, str]] = []
    for data in response.iter_content(chunk_size=None):
        out.extend((time.monotonic(), event.data) for event in decoder.feed(data))
    return out


def content_of(data: str) -> str | None:
    choices = json.loads(data)["choices"]
    content: str | None = choices[0]["delta"].get("content") if choices else None
    return content


def test_a_streamed_answer_has_openais_event_sequence(fake: FakeOpenAIServer) -> None:
    fake.reset()
    response = post(fake, stream=True)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/event-stream")
    datas = [data for _, data in events(response)]
    assert datas[-1] == "[DONE]"
    chunks = [json.loads(data) for data in datas[:-1]]
    assert {chunk["object"] for chunk in chunks} == {"chat.completion.chunk"}
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    contents = [chunk["choices"][0]["delta"].get("content") for chunk in chunks[1:-1]]
    assert "".join(contents) == "One two three."
    assert len(contents) == 3
    assert chunks[-1]["choices"][0] == {"index": 0, "delta": {}, "logprobs": None, "finish_reason": "stop"}
    assert all("usage" not in chunk for chunk in chunks)


def test_include_usage_adds_a_usage_chunk_after_the_finish(fake: FakeOpenAIServer) -> None:
    fake.reset()
    response = post(fake, stream=True, stream_options={"include_usage": True})
    chunks = [json.loads(data) for _, data in events(response)[:-1]]
    assert all(chunk["usage"] is None for chunk in chunks[:-1])
    assert chunks[-1]["choices"] == []
    assert chunks[-1]["usage"]["completion_tokens"] == 3
    assert chunks[-2]["choices"][0]["finish_reason"] == "stop"


def test_pauses_are_kept_between_pieces(fake: FakeOpenAIServer) -> None:
    fake.reset()
    fake.script(Behaviour.streamed(["a", "b", "c", "d"], first_token_delay=0.3, chunk_pause=0.2))
    started = time.monotonic()
    timed = events(post(fake, stream=True))
    content_times = [
        moment for moment, data in timed if '"content": "' in data and '"content": ""' not in data
    ]
    assert len(content_times) == 4
    assert content_times[0] - started >= 0.3
    gaps = [later - earlier for earlier, later in itertools.pairwise(content_times)]
    assert all(gap >= 0.15 for gap in gaps)
    assert fake.requests[-1].chunks_sent == 4
    assert fake.requests[-1].stream_ended.wait(1)
    assert not fake.requests[-1].client_gone.is_set()


def test_a_request_without_stream_still_gets_one_json_answer(fake: FakeOpenAIServer) -> None:
    fake.reset()
    response = post(fake)
    assert response.headers["Content-Type"] == "application/json"
    assert response.json()["choices"][0]["message"]["content"] == "One two three."
    assert not fake.requests[-1].streamed
