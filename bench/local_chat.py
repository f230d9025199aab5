"""Local mode's speed: /chat latency and throughput on the dev server, and what the LLM fallback adds.

    .venv/bin/python -m bench.local_chat              # starts its own dev server and fake LLM
    .venv/bin/python -m bench.local_chat --url http://127.0.0.1:8080   # intent path only, a running server

Prints ``name: value`` lines, then each target and whether it holds on this machine:
intent-path p50 under 10 ms at concurrency 1, at least 200 requests/s at concurrency 16, fallback
overhead (over an LLM that answers in exactly 200 ms) under 20 ms, 50 concurrent fallback turns
(1 s LLM) done in under 2 s, and a second start of the dev server up in under 3 s.
The intent path is measured twice: with one greeting repeated (`intent_*`: the emulator's caches of
recently seen texts always hit) and with a text never sent before on every request (`intent_varied_*`:
a greeting followed by a word made up from a syllable list, so every turn embeds and scores a new
sentence, while the dialog stays the greeting's: each varied turn must get the repeated greeting's
dialog action, or the run stops). The targets are checked on the repeated figures, as before.
Figures, not a test: it never fails on a missed target.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import statistics
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from devserver.process import DevServerProcess
from tests.fakes.openai_server import Behaviour, FakeOpenAIServer

GREETING = {"text": "Hello", "locale": "en_US"}
FALLBACK = {"text": "Explain quantum entanglement briefly", "locale": "en_US"}
# Greetings the shipped HelloWorld bot's en_US intent recognises whatever word follows, none of them
# giving its Name slot a value (so the dialog is "Hello"'s: ElicitSlot for the name).
GREETING_TEMPLATES = (
    "Hello {word}",
    "Hello there {word}",
    "Hey {word}, hello",
    "Good morning {word}",
    "Good evening {word}",
    "Howdy {word}",
    "Greetings {word}",
)
NAME_SYLLABLES = (
    "ka", "ri", "mo", "ne", "ta", "lu", "si", "ve", "do", "ra",
    "mi", "no", "be", "la", "to", "fi", "ga", "ro", "su", "de",
)  # fmt: skip


class VariedTexts:
    """Greetings never sent before: each call gives the next template with the next made-up word
    (three syllables: 8,000 words, 56,000 texts). Safe to call from many threads."""

    def __init__(self) -> None:
        words = ("".join(parts).capitalize() for parts in itertools.product(NAME_SYLLABLES, repeat=3))
        self._texts = (template.format(word=word) for word in words for template in GREETING_TEMPLATES)
        self._lock = threading.Lock()

    def __call__(self) -> str:
        with self._lock:
            return next(self._texts)


class ChatConnection:
    """One keep-alive HTTP connection to /chat (http.client: little client-side overhead)."""

    def __init__(self, base_url: str, timeout: float = 30.0) -> None:
        parts = urlsplit(base_url)
        self._conn = http.client.HTTPConnection(
            parts.hostname or "127.0.0.1", parts.port or 80, timeout=timeout
        )
        self._path = (parts.path.rstrip("/") or "") + "/chat"

    def post(self, payload: dict[str, str]) -> tuple[int, dict[str, object]]:
        body = json.dumps(payload).encode()
        self._conn.request("POST", self._path, body=body, headers={"Content-Type": "application/json"})
        response = self._conn.getresponse()
        data = response.read()
        return response.status, json.loads(data)

    def close(self) -> None:
        self._conn.close()


def timed_turn(
    conn: ChatConnection, payload: dict[str, str], expect_source: str, expect_action: str | None = None
) -> float:
    started = time.perf_counter()
    status, body = conn.post({**payload, "sessionId": f"bench-{uuid.uuid4()}"})
    elapsed = time.perf_counter() - started
    if status != 200 or body.get("source") != expect_source:
        raise RuntimeError(f"unexpected answer {status}: {body}")
    if expect_action is not None and body.get("dialogAction") != expect_action:
        raise RuntimeError(f"{payload['text']!r} took another dialog path than the greeting: {body}")
    return elapsed


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def run_concurrently(
    workers: int, per_worker: int, turn: Callable[[ChatConnection], float], url: str
) -> tuple[list[float], float]:
    """Latencies of every turn and the wall time, ``workers`` threads with a connection each."""
    latencies: list[float] = []
    lock = threading.Lock()
    errors: list[BaseException] = []
    barrier = threading.Barrier(workers + 1)

    def worker() -> None:
        conn = ChatConnection(url)
        try:
            barrier.wait()
            mine = [turn(conn) for _ in range(per_worker)]
            with lock:
                latencies.extend(mine)
        except BaseException as error:  # reported after the run
            errors.append(error)
        finally:
            conn.close()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"{len(errors)} workers failed, first: {errors[0]!r}")
    return latencies, wall


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def intent_path(
    url: str, requests_c1: int, requests_c16: int, report: Callable[[str, str], None]
) -> dict[str, float]:
    """The intent path with the greeting repeated (`intent_*`), then with new texts (`intent_varied_*`)."""
    repeated = lambda conn: timed_turn(conn, GREETING, "lex")  # noqa: E731
    run_concurrently(4, 20, repeated, url)  # warm up: imports, clients, connection pools
    figures = _intent_figures("intent", repeated, url, requests_c1, requests_c16, report)
    probe = ChatConnection(url)
    try:
        _status, greeted = probe.post({**GREETING, "sessionId": f"bench-{uuid.uuid4()}"})
    finally:
        probe.close()
    action = str(greeted.get("dialogAction"))
    texts = VariedTexts()
    varied = lambda conn: timed_turn(conn, {"text": texts(), "locale": "en_US"}, "lex", action)  # noqa: E731
    _intent_figures("intent_varied", varied, url, requests_c1, requests_c16, report)
    return figures


def _intent_figures(
    prefix: str,
    turn: Callable[[ChatConnection], float],
    url: str,
    requests_c1: int,
    requests_c16: int,
    report: Callable[[str, str], None],
) -> dict[str, float]:
    single, _ = run_concurrently(1, requests_c1, turn, url)
    report(f"{prefix}_p50_ms_c1", ms(statistics.median(single)))
    report(f"{prefix}_p99_ms_c1", ms(percentile(single, 0.99)))
    many, wall = run_concurrently(16, requests_c16 // 16, turn, url)
    rps = len(many) / wall
    report(f"{prefix}_p50_ms_c16", ms(statistics.median(many)))
    report(f"{prefix}_p99_ms_c16", ms(percentile(many, 0.99)))
    report(f"{prefix}_requests_per_second_c16", f"{rps:.0f}")
    return {"p50_c1": statistics.median(single), "rps_c16": rps}


def fallback_figures(url: str, llm: FakeOpenAIServer, report: Callable[[str, str], None]) -> dict[str, float]:
    llm.reset()
    llm.default = Behaviour.slow(0.2, text="A fake answer after exactly 200 ms.")
    turn = lambda conn: timed_turn(conn, FALLBACK, "llm")  # noqa: E731
    run_concurrently(1, 3, turn, url)
    latencies, _ = run_concurrently(1, 30, turn, url)
    overhead = statistics.median(latencies) - 0.2
    report("fallback_p50_ms_llm_200ms", ms(statistics.median(latencies)))
    report("fallback_overhead_ms_p50", ms(overhead))

    llm.reset()
    llm.default = Behaviour.slow(1.0, text="A fake answer after 1 s.")
    latencies, wall = run_concurrently(50, 1, turn, url)
    report("fallback_50_concurrent_turns_llm_1s_seconds", f"{wall:.2f}")
    report("fallback_50_concurrent_turns_slowest_seconds", f"{max(latencies):.2f}")
    return {"overhead": overhead, "fifty": wall}


@contextmanager
def fake_llm() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as llm:
        # So the fake answers in exactly the time it is told: no Nagle stall on its two writes
        # (headers, then body) and a listen backlog that takes 50 simultaneous connections.
        llm._server.RequestHandlerClass.disable_nagle_algorithm = True  # type: ignore[attr-defined]
        llm._server.socket.listen(256)
        yield llm


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.local_chat", description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running dev server (only the intent path is measured then)")
    parser.add_argument("--requests", type=int, default=500, help="requests at concurrency 1 (default 500)")
    args = parser.parse_args(argv)

    results: list[tuple[str, str]] = []

    def report(name: str, value: str) -> None:
        results.append((name, value))
        print(f"{name}: {value}", flush=True)

    report("load_average_1m_at_start", f"{os.getloadavg()[0]:.2f}")
    targets: list[tuple[str, bool]] = []
    if args.url:
        figures = intent_path(args.url, args.requests, args.requests * 4, report)
        targets.append(("intent_p50_ms_c1 < 10", figures["p50_c1"] < 0.010))
        targets.append(("intent_requests_per_second_c16 >= 200", figures["rps_c16"] >= 200))
    else:
        with fake_llm() as llm:
            env = {"OPENAI_BASE_URL": llm.base_url, "OPENAI_API_KEY": "sk-bench-dummy", "LLM_MODEL": "fake"}
            DevServerProcess(env=env).start().stop()  # first start: bytecode caches
            with DevServerProcess(env=env) as server:
                report("startup_seconds_second_start", f"{server.started_in:.2f}")
                targets.append(("startup_seconds_second_start < 3", server.started_in < 3))
                figures = intent_path(server.url, args.requests, args.requests * 4, report)
                targets.append(("intent_p50_ms_c1 < 10", figures["p50_c1"] < 0.010))
                targets.append(("intent_requests_per_second_c16 >= 200", figures["rps_c16"] >= 200))
                fallback = fallback_figures(server.url, llm, report)
                targets.append(("fallback_overhead_ms_p50 < 20", fallback["overhead"] < 0.020))
                targets.append(("fallback_50_concurrent_turns_llm_1s_seconds < 2", fallback["fifty"] < 2))
    report("load_average_1m_at_end", f"{os.getloadavg()[0]:.2f}")
    for name, held in targets:
        print(f"target {name}: {'met' if held else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
