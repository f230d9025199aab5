"""The dev server runs the Lambda handlers on a bounded pool of reused threads (`handler_threads`):
a burst larger than the pool all answers, each request its own answer, never more handlers at once
than the pool holds; threads are reused and are daemons; a handler still running when the server
stops is abandoned with a 503; many concurrent /chat turns through the whole chain (lambda_lex, the
emulator, the LLM fallback) on the dev server process all answer; long-poll reads have their own
pool, so waiting readers never hold up /chat."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests

from devserver.handler_threads import HANDLER_THREADS, HandlerThreads
from devserver.http_server import DevServer
from devserver.process import DevServerProcess
from tests.fakes.openai_server import Behaviour, FakeOpenAIServer

REPO = Path(__file__).resolve().parents[3]
Handler = Callable[[dict[str, Any], Any], Any]


class Recorder:
    """A handler that echoes the request's text after `pause`, noting the threads it ran on and the
    most calls it saw running at once."""

    def __init__(self, pause: float) -> None:
        self.pause = pause
        self.threads: set[threading.Thread] = set()
        self.running = 0
        self.peak = 0
        self._lock = threading.Lock()

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        with self._lock:
            self.running += 1
            self.peak = max(self.peak, self.running)
            self.threads.add(threading.current_thread())
        try:
            time.sleep(self.pause)
            text = json.loads(event["body"])["text"]
            return {"statusCode": 200, "body": json.dumps({"echo": text})}
        finally:
            with self._lock:
                self.running -= 1


@pytest.fixture
def serve() -> Iterator[Callable[[Handler], str]]:
    servers: list[DevServer] = []

    def start(handler: Handler) -> str:
        server = DevServer(("127.0.0.1", 0), site_dir=REPO / "html", chat_handler=handler, access_log=False)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.port}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def post_all(url: str, texts: list[str]) -> list[requests.Response]:
    """Every text to /chat at once, one connection each."""
    start = threading.Barrier(len(texts))

    def post(text: str) -> requests.Response:
        start.wait()
        return requests.post(url + "/chat", json={"text": text}, timeout=60)

    with ThreadPoolExecutor(max_workers=len(texts)) as clients:
        return list(clients.map(post, texts))


def test_a_burst_larger_than_the_pool_all_answers_within_the_pools_bound(
    serve: Callable[[Handler], str],
) -> None:
    recorder = Recorder(pause=0.1)
    url = serve(recorder)
    texts = [f"burst request {index}" for index in range(HANDLER_THREADS * 2 + 8)]
    responses = post_all(url, texts)
    assert [r.status_code for r in responses] == [200] * len(texts)
    assert [r.json()["echo"] for r in responses] == texts  # each got its own answer
    assert 8 <= recorder.peak <= HANDLER_THREADS  # side by side, and never more than the pool
    assert len(recorder.threads) <= HANDLER_THREADS
    assert all(thread.daemon for thread in recorder.threads)  # an abandoned call never holds the exit


def test_handler_threads_are_reused_from_one_request_to_the_next(serve: Callable[[Handler], str]) -> None:
    recorder = Recorder(pause=0.0)
    url = serve(recorder)
    with requests.Session() as http:
        for index in range(10):
            response = http.post(url + "/chat", json={"text": f"one after another {index}"}, timeout=10)
            assert response.json() == {"echo": f"one after another {index}"}
    assert len(recorder.threads) <= 2  # not one new thread per request


def test_a_handler_still_running_at_shutdown_is_abandoned_with_503(serve: Callable[[Handler], str]) -> None:
    entered, release = threading.Event(), threading.Event()

    def stuck(event: dict[str, Any], context: Any) -> dict[str, Any]:
        entered.set()
        release.wait(30)
        return {"statusCode": 200, "body": "{}"}

    server = DevServer(("127.0.0.1", 0), site_dir=REPO / "html", chat_handler=stuck, access_log=False)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with ThreadPoolExecutor(max_workers=1) as client:
            pending = client.submit(
                requests.post, f"http://127.0.0.1:{server.port}/chat", json={"text": "hi"}, timeout=20
            )
            assert entered.wait(10)
            started = time.monotonic()
            server.shutdown()
            response = pending.result()
        assert time.monotonic() - started < 5
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "stopping"
    finally:
        release.set()
        server.server_close()


def test_a_pool_needs_a_thread() -> None:
    with pytest.raises(ValueError, match="at least one thread"):
        HandlerThreads(0)


# --- the whole chain, in the dev server process ----------------------------------------------------


def test_many_concurrent_fallback_turns_all_answer_on_the_dev_server(
    server: DevServerProcess, llm: FakeOpenAIServer
) -> None:
    """More turns at once than the pool has threads, each waiting on a slow LLM: every one answers
    with the LLM's answer to its own question."""
    llm.default = Behaviour.slow(0.3)
    llm.reply = lambda body: "Echo: " + str(body["messages"][-1]["content"])
    questions = [f"What is the tide table for harbour {index}?" for index in range(HANDLER_THREADS + 16)]
    responses = post_all(server.url, questions)
    assert [r.status_code for r in responses] == [200] * len(questions), [
        r.text for r in responses if r.status_code != 200
    ][:3]
    for question, response in zip(questions, responses, strict=True):
        contents = " ".join(m["content"] for m in response.json()["messages"])
        assert f"Echo: {question}" in contents
    assert len(llm.requests) == len(questions)
    assert "Traceback" not in server.stderr


def test_long_poll_reads_holding_every_thread_never_queue_a_chat_turn() -> None:
    """ANSWER_READS=long-poll: reads wait in lambda_answers' handler for up to 20 s each. They run on a
    pool of their own (as the stack's answers Lambda has its own concurrency), so a full pool of
    waiting readers leaves /chat answering at once."""
    release = threading.Event()
    waiting = threading.Semaphore(0)

    def held_read(event: dict[str, Any], context: Any) -> dict[str, Any]:
        waiting.release()
        release.wait(30)
        return {"statusCode": 200, "headers": {"Content-Type": "text/event-stream"}, "body": ": ka\n\n"}

    server = DevServer(
        ("127.0.0.1", 0),
        site_dir=REPO / "html",
        chat_handler=Recorder(pause=0.0),
        answers_handler=held_read,
        access_log=False,
    )
    server.answer_reads = "long-poll"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.port}"

    def read(index: int) -> requests.Response:
        return requests.get(
            f"{url}/chat/answers/a{index}", params={"after": 0}, headers={"X-Answer-Token": "t"}, timeout=60
        )

    try:
        with ThreadPoolExecutor(max_workers=HANDLER_THREADS) as clients:
            pending = [clients.submit(read, index) for index in range(HANDLER_THREADS)]
            try:
                for _ in range(HANDLER_THREADS):  # every reader is inside the handler, holding a thread
                    assert waiting.acquire(timeout=30), "the readers did not all get a thread"
                answer = requests.post(url + "/chat", json={"text": "still there?"}, timeout=10)
            finally:
                release.set()
            assert answer.status_code == 200
            assert answer.json()["echo"] == "still there?"
            assert [future.result().status_code for future in pending] == [200] * HANDLER_THREADS
    finally:
        server.shutdown()
        server.server_close()
