"""Streamed answers in local mode: first-token overhead, long answers, many streams, Stop, memory.

    .venv/bin/python -m bench.streaming            # starts its own dev server and streaming fake LLM
    .venv/bin/python -m bench.streaming --quick    # shorter answers (a smoke run, figures not quoted)

Everything goes over real HTTP, as the page does it: ``POST /chat`` with ``"stream": true``, then
``GET /chat/answers/{id}`` read as Server-Sent Events until the ``end`` event. The fake LLM streams
with scripted pauses, so the LLM's own first-token time is known exactly and the overhead is what
local mode adds on top of it. Prints ``name: value`` lines, then each target of issue 11 and whether
it holds here: first-token overhead p50 under 50 ms; a 90-second answer delivered whole in 10 of 10
runs; 50 concurrent streams with no error and no cross-talk; Stop to silence under 500 ms; the dev
server's memory during and after the 50 streams. Figures, not a test: it never fails on a target.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from devserver.process import DevServerProcess
from lambda_chatgpt.sse import SseDecoder
from tests.fakes.openai_server import Behaviour, FakeOpenAIServer

QUESTION = "Explain quantum entanglement briefly"


@dataclass
class StreamResult:
    """What one streamed turn delivered, with client-side times (perf_counter seconds)."""

    sent_at: float
    first_delta_at: float | None = None
    text: str = ""
    end: dict[str, Any] | None = None
    ended_at: float | None = None
    deltas_after: list[float] = field(default_factory=list)
    error: str | None = None


def start_turn(session: requests.Session, url: str, question: str, session_id: str) -> dict[str, Any]:
    """POST /chat with stream: the answer handle of the reply (raises when there is none)."""
    response = session.post(
        f"{url}/chat",
        json={"text": question, "sessionId": session_id, "locale": "en_US", "stream": True},
        timeout=30,
    )
    body = response.json()
    if response.status_code != 200 or not isinstance(body.get("answer"), dict):
        raise RuntimeError(f"no streamed answer: {response.status_code} {body}")
    handle: dict[str, Any] = body["answer"]
    return handle


def read_answer(
    session: requests.Session,
    url: str,
    handle: dict[str, Any],
    result: StreamResult,
    on_delta: Callable[[StreamResult], None] | None = None,
    timeout: float = 600.0,
) -> None:
    """Read the answer's events until `end`, re-requesting after the last cursor if a response ends
    early (the AWS long poll does; local mode streams in one response)."""
    cursor = 0
    deadline = time.monotonic() + timeout
    while result.end is None and time.monotonic() < deadline:
        with session.get(
            f"{url}{handle['url']}",
            params={"after": cursor},
            headers={"X-Answer-Token": handle["token"], "Accept": "text/event-stream"},
            stream=True,
            timeout=(10, 90),
        ) as response:
            if response.status_code != 200:
                raise RuntimeError(f"stream refused: {response.status_code} {response.text[:200]}")
            decoder = SseDecoder()
            for chunk in response.iter_content(chunk_size=None):
                for event in decoder.feed(chunk):
                    now = time.perf_counter()
                    data = json.loads(event.data)
                    if event.event == "delta":
                        if result.first_delta_at is None:
                            result.first_delta_at = now
                        if result.end is not None:
                            result.deltas_after.append(now)
                        result.text += data["text"]
                        cursor = event_cursor(event, cursor)
                        if on_delta is not None:
                            on_delta(result)
                    elif event.event == "end":
                        result.end = data
                        result.ended_at = now
                if result.end is not None:
                    break


def event_cursor(event: Any, cursor: int) -> int:
    """The event's id as a cursor, when the decoder reports ids; else the count of deltas so far."""
    raw = getattr(event, "id", None)
    if isinstance(raw, str) and raw.isdigit():
        return int(raw)
    return cursor + 1


def streamed_turn(
    url: str, question: str, on_delta: Callable[[StreamResult], None] | None = None
) -> StreamResult:
    with requests.Session() as session:
        result = StreamResult(sent_at=time.perf_counter())
        try:
            handle = start_turn(session, url, question, f"bench-{uuid.uuid4()}")
            read_answer(session, url, handle, result, on_delta)
        except (requests.RequestException, RuntimeError, ValueError, KeyError) as error:
            result.error = f"{type(error).__name__}: {error}"
        return result


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def first_token(url: str, llm: FakeOpenAIServer, runs: int, report: Callable[[str, str], None]) -> float:
    """Send to first delta, minus the LLM's own first-token delay: p50 in seconds."""
    delay = 0.3
    llm.reset()
    llm.default = Behaviour.streamed(
        [f"piece {i} " for i in range(10)], first_token_delay=delay, chunk_pause=0.01
    )
    overheads: list[float] = []
    for _ in range(runs):
        result = streamed_turn(url, QUESTION)
        if result.error or result.first_delta_at is None:
            raise RuntimeError(f"first-token run failed: {result.error or 'no delta'}")
        overheads.append(result.first_delta_at - result.sent_at - delay)
    p50 = statistics.median(overheads)
    report("first_token_overhead_ms_p50", f"{p50 * 1000:.1f}")
    report("first_token_overhead_ms_p90", f"{percentile(overheads, 0.9) * 1000:.1f}")
    return p50


def parallel(count: int, work: Callable[[int], StreamResult]) -> list[StreamResult]:
    results: list[StreamResult | None] = [None] * count

    def run(index: int) -> None:
        results[index] = work(index)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [r if r is not None else StreamResult(0.0, error="no result") for r in results]


def long_answers(
    url: str, llm: FakeOpenAIServer, seconds: float, runs: int, report: Callable[[str, str], None]
) -> int:
    """`runs` answers of `seconds` each (run side by side): how many arrived whole."""
    pieces = [f"word{i} " for i in range(int(seconds * 10))]
    llm.reset()
    llm.default = Behaviour.streamed(pieces, chunk_pause=0.1)
    expected = "".join(pieces).strip()
    started = time.perf_counter()
    results = parallel(runs, lambda i: streamed_turn(url, f"{QUESTION} (long {i})"))
    whole = sum(
        1
        for r in results
        if r.error is None
        and r.end is not None
        and r.end.get("status") == "done"
        and r.text.strip() == expected
    )
    report(f"answer_{seconds:g}s_whole_runs", f"{whole}/{runs}")
    report(f"answer_{seconds:g}s_wall_seconds", f"{time.perf_counter() - started:.1f}")
    for r in results:
        if r.error or r.end is None or r.text.strip() != expected:
            report("answer_long_failure", r.error or f"end={r.end} chars={len(r.text)}/{len(expected)}")
            break
    return whole


def many_streams(
    url: str, llm: FakeOpenAIServer, count: int, pid: int, report: Callable[[str, str], None]
) -> tuple[int, int]:
    """`count` concurrent conversations, each with its own answer: (clean, cross-talk) counts.
    Samples the dev server's resident memory while they run."""

    def reply(body: dict[str, Any]) -> str:
        question = str(body["messages"][-1]["content"])
        tag = question.rsplit("#", 1)[-1]
        return " ".join(f"conversation-{tag}-part-{i}" for i in range(60))

    llm.reset()
    llm.reply = reply
    llm.default = Behaviour.streamed(chunk_pause=0.05)
    peak = [rss_mb(pid)]
    report("devserver_rss_mb_before_streams", f"{peak[0]:.1f}")
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.1):
            peak.append(rss_mb(pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    results = parallel(count, lambda i: streamed_turn(url, f"Tell me something #{i}"))
    done.set()
    sampler.join()
    elapsed = time.perf_counter() - started
    clean = crossed = 0
    for index, result in enumerate(results):
        expected = " ".join(f"conversation-{index}-part-{i}" for i in range(60))
        foreign = [w for w in result.text.split() if not w.startswith(f"conversation-{index}-")]
        if foreign:
            crossed += 1
        if result.error is None and result.end is not None and result.text.strip() == expected:
            clean += 1
        elif result.error:
            report("many_streams_failure", result.error)
    report("streams_concurrent", str(count))
    report("streams_clean", f"{clean}/{count}")
    report("streams_with_cross_talk", str(crossed))
    report("streams_wall_seconds", f"{elapsed:.1f}")
    report("devserver_rss_mb_peak_during_streams", f"{max(peak):.1f}")
    time.sleep(3.0)
    report("devserver_rss_mb_3s_after_streams", f"{rss_mb(pid):.1f}")
    return clean, crossed


def stop_to_silence(url: str, llm: FakeOpenAIServer, runs: int, report: Callable[[str, str], None]) -> float:
    """Stop after the third delta: seconds from sending Stop to the end event (max over runs);
    also checks that nothing arrives after the end and that the LLM request was closed."""
    llm.reset()
    llm.default = Behaviour.streamed([f"slow{i} " for i in range(2000)], chunk_pause=0.05)
    times: list[float] = []
    closed = 0
    late = 0
    for _ in range(runs):
        before = len(llm.requests)
        result, stop_sent = _stopped_turn(url)
        if stop_sent is None or result.ended_at is None or (result.end or {}).get("status") != "stopped":
            raise RuntimeError(f"stop run did not stop: end={result.end}")
        times.append(result.ended_at - stop_sent)
        late += len(result.deltas_after)
        deadline = time.monotonic() + 2.0
        while time.monotonic() < deadline and not all(r.client_gone.is_set() for r in llm.requests[before:]):
            time.sleep(0.01)
        closed += all(r.client_gone.is_set() for r in llm.requests[before:])
    report("stop_to_end_ms_p50", f"{statistics.median(times) * 1000:.1f}")
    report("stop_to_end_ms_max", f"{max(times) * 1000:.1f}")
    report("stop_llm_request_closed_runs", f"{closed}/{runs}")
    report("stop_deltas_after_end", str(late))
    return max(times)


def _stopped_turn(url: str) -> tuple[StreamResult, float | None]:
    """One turn stopped (as the page's Stop button does) after its third delta; when Stop was sent."""
    stop_sent: list[float] = []
    with requests.Session() as session:
        result = StreamResult(sent_at=time.perf_counter())
        handle = start_turn(session, url, QUESTION, f"bench-{uuid.uuid4()}")

        def on_delta(result: StreamResult) -> None:
            if not stop_sent and result.text.count("slow") >= 3:
                stop_sent.append(time.perf_counter())
                requests.post(
                    f"{url}{handle['url']}/stop", headers={"X-Answer-Token": handle["token"]}, timeout=10
                )

        read_answer(session, url, handle, result, on_delta, timeout=60)
    return result, (stop_sent[0] if stop_sent else None)


def rss_mb(pid: int) -> float:
    """The process's resident set size in MB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@contextmanager
def fake_llm() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as llm:
        llm._server.RequestHandlerClass.disable_nagle_algorithm = True  # type: ignore[attr-defined]
        llm._server.socket.listen(256)
        yield llm


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.streaming", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short answers and fewer runs (smoke run)")
    args = parser.parse_args(argv)
    long_seconds, long_runs, first_runs, stop_runs = (5.0, 3, 5, 3) if args.quick else (90.0, 10, 30, 10)

    def report(name: str, value: str) -> None:
        print(f"{name}: {value}", flush=True)

    targets: list[tuple[str, bool]] = []
    with fake_llm() as llm:
        env = {"OPENAI_BASE_URL": llm.base_url, "OPENAI_API_KEY": "sk-bench-dummy", "LLM_MODEL": "fake"}
        with DevServerProcess(env=env) as server:
            pid = server.pid
            overhead = first_token(server.url, llm, first_runs, report)
            targets.append(("first_token_overhead_ms_p50 < 50", overhead < 0.050))
            stop = stop_to_silence(server.url, llm, stop_runs, report)
            targets.append(("stop_to_silence_ms < 500 (every run)", stop < 0.5))
            clean, crossed = many_streams(server.url, llm, 50, pid, report)
            targets.append(("50 concurrent streams clean, no cross-talk", clean == 50 and crossed == 0))
            whole = long_answers(server.url, llm, long_seconds, long_runs, report)
            targets.append(
                (f"{long_seconds:g}-second answer whole in {long_runs}/{long_runs}", whole == long_runs)
            )
            report("devserver_rss_mb_end", f"{rss_mb(pid):.1f}")
    for name, held in targets:
        print(f"target {name}: {'met' if held else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
