"""Issue 11's faults that must be survived, one test each, over real HTTP against local mode.

`python -m devserver` (a child process) with the streaming fake OpenAI server; the client side is
the CLI's own reader (devserver/client_stream.AnswerReader) or raw `requests` where a test needs to
cut a connection itself. The dev server's idle limit is lowered so "the LLM sends nothing for a long
time" takes seconds, not a minute.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from devserver.client_stream import AnswerEnd, AnswerReader, CursorDecoder
from devserver.process import DevServerProcess
from tests.fakes.openai_server import Behaviour, FakeOpenAIServer, stream_chunk
from tests.integration.devserver.devserver_llm import llm_env

QUESTION = "what is a rainbow made of"  # FallbackIntent in the frozen HelloWorld bot
IDLE_SECONDS = 2


@pytest.fixture(scope="module")
def server(fake_llm: FakeOpenAIServer) -> Iterator[DevServerProcess]:
    env = {**llm_env(fake_llm), "ANSWER_IDLE_SECONDS": str(IDLE_SECONDS)}
    with DevServerProcess(env=env) as process:
        yield process


def ask(server: DevServerProcess, session: str, text: str = QUESTION) -> dict[str, Any]:
    response = requests.post(
        server.url + "/chat",
        json={"text": text, "sessionId": session, "locale": "en_US", "stream": True},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert isinstance(body.get("answer"), dict), body
    return body


def read_all(server: DevServerProcess, handle: dict[str, Any], after: int = 0) -> AnswerEnd:
    reader = AnswerReader(requests.Session(), server.url + "/chat", handle)
    reader.cursor = after
    return reader.read(lambda piece: None)


def read_some(server: DevServerProcess, handle: dict[str, Any], pieces: int) -> tuple[str, int]:
    """Read `pieces` delta events, then drop the connection: the text read and the cursor."""
    text, cursor, seen = "", 0, 0
    decoder = CursorDecoder()
    with requests.get(
        server.url + handle["url"], headers={"X-Answer-Token": handle["token"]}, stream=True, timeout=30
    ) as response:
        assert response.status_code == 200
        for chunk in response.iter_content(chunk_size=None):
            for event, event_id in decoder.events(chunk):
                if event.event == "delta":
                    text += json.loads(event.data)["text"]
                    cursor = int(event_id or 0)
                    seen += 1
            if seen >= pieces:
                break
    return text, cursor


def wait_for_end(server: DevServerProcess, handle: dict[str, Any], timeout: float = 30.0) -> None:
    """Until the answer has ended, without reading it (its status through the conversation)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stop = requests.get(
            server.url + handle["url"] + "?after=1000000",
            headers={"X-Answer-Token": handle["token"]},
            stream=True,
            timeout=30,
        )
        with stop:
            first = next(stop.iter_lines(), b"")
        if first.startswith(b"event: end"):
            return
        time.sleep(0.2)
    raise AssertionError("the answer did not end")


def conversation(server: DevServerProcess, session: str, token: str) -> dict[str, Any]:
    response = requests.get(
        server.url + f"/chat/conversations/{session}", headers={"X-Conversation-Token": token}, timeout=10
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_a_client_that_disconnects_mid_stream_finds_the_whole_answer_after_reload(
    server: DevServerProcess, llm: FakeOpenAIServer
) -> None:
    pieces = [f"part{i} " for i in range(30)]
    llm.default = Behaviour.streamed(pieces, chunk_pause=0.05)
    session = f"gone-{uuid.uuid4()}"
    reply = ask(server, session)
    handle = reply["answer"]

    early, _ = read_some(server, handle, 3)
    assert early
    assert early != "".join(pieces)
    wait_for_end(server, handle)

    assert not llm.requests[-1].client_gone.is_set()  # the LLM was never cut off: the answer went on
    end = read_all(server, handle)  # "after reload": from the start
    assert (end.status, end.text) == ("done", "".join(pieces))
    kept = conversation(server, session, reply["conversation"]["token"])
    assert kept["turns"][-1]["answer"]["text"] == "".join(pieces)


def test_an_llm_stream_that_dies_keeps_the_partial_answer_marked_and_the_next_turn_remembers_it(
    server: DevServerProcess, llm: FakeOpenAIServer
) -> None:
    pieces = ["Rain ", "bends ", "light ", "into ", "colours."]
    llm.script(Behaviour.stream_dies(after=3, chunks=pieces))
    llm.default = Behaviour.streamed(["Next ", "answer."])
    session = f"dies-{uuid.uuid4()}"
    handle = ask(server, session)["answer"]

    end = read_all(server, handle)
    assert end.status == "failed"
    assert end.text == "Rain bends light "
    assert end.notice  # shown under the partial text

    second = ask(server, session, "and why is the sky blue")
    assert read_all(server, second["answer"]).status == "done"
    body = llm.requests[-1].body
    assert body is not None
    remembered = [m["content"] for m in body["messages"]]
    assert any(content.startswith("Rain bends light") for content in remembered), remembered
    assert QUESTION in remembered


def test_an_llm_that_goes_silent_ends_the_answer_with_a_clear_message(
    server: DevServerProcess, llm: FakeOpenAIServer
) -> None:
    llm.default = Behaviour.stream_silent(
        after=2, seconds=IDLE_SECONDS * 5, chunks=["Hm ", "let ", "me ", "see"]
    )
    handle = ask(server, f"silent-{uuid.uuid4()}")["answer"]

    started = time.monotonic()
    end = read_all(server, handle)

    assert time.monotonic() - started < IDLE_SECONDS + 5  # not hung until the LLM speaks again
    assert (end.status, end.error_kind, end.text) == ("failed", "timeout", "Hm let ")
    assert end.notice


def test_two_tabs_read_one_answer_and_either_can_stop_it(
    server: DevServerProcess, llm: FakeOpenAIServer
) -> None:
    llm.default = Behaviour.streamed([f"w{i} " for i in range(200)], chunk_pause=0.05)
    reply = ask(server, f"tabs-{uuid.uuid4()}")
    handle = reply["answer"]
    # The second tab reopened the conversation: it holds the conversation token, not the answer's.
    second_tab = {**handle, "token": reply["conversation"]["token"]}

    first_text, _ = read_some(server, handle, 2)
    second_text, _ = read_some(server, second_tab, 2)
    assert first_text
    assert second_text
    stop = requests.post(
        server.url + handle["url"] + "/stop", headers={"X-Answer-Token": second_tab["token"]}, timeout=10
    )
    assert stop.json()["stopped"] is True

    first, second = read_all(server, handle), read_all(server, second_tab)
    assert first.status == second.status == "stopped"
    assert first.text == second.text
    assert first.text.startswith(first_text)


def test_stop_before_the_first_token_closes_the_llm_request_at_once(
    server: DevServerProcess, llm: FakeOpenAIServer
) -> None:
    llm.default = Behaviour.streamed(["Too ", "late."], first_token_delay=5.0)
    handle = ask(server, f"first-{uuid.uuid4()}")["answer"]
    deadline = time.monotonic() + 5
    while not llm.requests and time.monotonic() < deadline:
        time.sleep(0.02)  # the worker has asked the LLM

    asked = time.monotonic()
    requests.post(
        server.url + handle["url"] + "/stop", headers={"X-Answer-Token": handle["token"]}, timeout=10
    )
    end = read_all(server, handle)

    assert time.monotonic() - asked < 1.5
    assert (end.status, end.text) == ("stopped", "")
    deadline = time.monotonic() + 2
    while not llm.requests[-1].client_gone.is_set() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert llm.requests[-1].client_gone.is_set()  # cancelled, not just hidden
    assert llm.requests[-1].chunks_sent == 0


def test_a_reload_mid_answer_resumes_from_the_cursor_and_completes(
    server: DevServerProcess, llm: FakeOpenAIServer
) -> None:
    pieces = [f"step{i} " for i in range(40)]
    llm.default = Behaviour.streamed(pieces, chunk_pause=0.05)
    session = f"reload-{uuid.uuid4()}"
    reply = ask(server, session)
    handle = reply["answer"]

    before, cursor = read_some(server, handle, 4)
    reopened = conversation(server, session, reply["conversation"]["token"])
    assert reopened["activeAnswer"] == handle["id"]
    assert reopened["turns"][-1]["answer"]["id"] == handle["id"]
    rest = read_all(server, handle, after=cursor)

    assert rest.status == "done"
    assert before + rest.text == "".join(pieces)


def test_malformed_and_out_of_order_chunks_end_the_answer_as_failed_keeping_the_text(
    server: DevServerProcess, llm: FakeOpenAIServer
) -> None:
    llm.script(
        Behaviour.stream_malformed(after=2, chunks=["Good ", "start ", "never "]),
        Behaviour.stream_events(
            stream_chunk(content="Before "),
            stream_chunk(finish_reason="stop"),
            stream_chunk(content="after the finish"),
            "[DONE]",
        ),
    )
    malformed = read_all(server, ask(server, f"bad-{uuid.uuid4()}")["answer"])
    disordered = read_all(server, ask(server, f"order-{uuid.uuid4()}")["answer"])

    assert (malformed.status, malformed.text) == ("failed", "Good start ")
    assert malformed.notice
    assert disordered.status == "failed"
    assert disordered.text == "Before "  # nothing after the finish is shown as the answer
    assert disordered.notice


def test_a_new_message_while_an_answer_streams_is_refused_then_accepted_after_it(
    server: DevServerProcess, llm: FakeOpenAIServer
) -> None:
    llm.default = Behaviour.streamed(["slow "] * 20, chunk_pause=0.05)
    session = f"busy-{uuid.uuid4()}"
    handle = ask(server, session)["answer"]

    busy = requests.post(
        server.url + "/chat", json={"text": "Hello", "sessionId": session, "locale": "en_US"}, timeout=10
    )
    assert busy.status_code == 409
    assert busy.json()["error"]["code"] == "session_busy"
    assert busy.json()["error"]["answerId"] == handle["id"]

    assert read_all(server, handle).status == "done"
    after = requests.post(
        server.url + "/chat", json={"text": "Hello", "sessionId": session, "locale": "en_US"}, timeout=10
    )
    assert after.status_code == 200


def test_a_sixty_second_answer_arrives_whole(server: DevServerProcess, llm: FakeOpenAIServer) -> None:
    """Past Lex's 30-second code-hook limit and API Gateway's 29 seconds: the answer is not in either."""
    pieces = [f"t{i} " for i in range(600)]
    llm.default = Behaviour.streamed(pieces, chunk_pause=0.1)
    handle = ask(server, f"long-{uuid.uuid4()}")["answer"]

    started = time.monotonic()
    end = read_all(server, handle)

    assert time.monotonic() - started > 55
    assert (end.status, end.text) == ("done", "".join(pieces))
