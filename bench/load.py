"""Load figures: many concurrent conversations on the dev server, and session churn on the emulator.

    .venv/bin/python -m bench.load                       # both runs, sized as in the tests (or: make bench)
    .venv/bin/python -m bench.load --sessions 200 --churn 50000

1. `--sessions` conversations at once against a real dev server (`python -m devserver`, a fake
   OpenAI server that echoes in this process), 10 turns each mixing the HelloWorld name dialog and
   LLM fallback turns, every answer checked against its own session (tests/robustness/support/
   load_scenario.py). Prints throughput, p50/p99 latency (all turns, dialog turns, fallback turns),
   problems found and the dev server's peak RSS.
2. `--churn` short sessions through the emulator's embedding API with a fake clock jumping past the
   idle TTL every 1,000 sessions (tests/robustness/support/churn.py). Prints throughput, p50/p99 per
   turn, how many sessions are still alive at the end, and this process's RSS before, after and at peak.

Prints ``name: value`` lines. Figures, not a test: it never fails on a slow machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys

from devserver.process import DevServerProcess
from tests.robustness.support.churn import churn, clocked_emulator, is_alive
from tests.robustness.support.llm_fakes import FaultyOpenAIServer, echo_reply
from tests.robustness.support.load_scenario import run_load

DUMMY_KEY = "sk-bench-load-0123456789abcdef"  # a placeholder the fake LLM accepts; not a credential


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def status_kib(pid: int | str, field: str) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def show(name: str, value: float | int | str) -> None:
    text = f"{value:.1f}" if isinstance(value, float) else str(value)
    print(f"{name}: {text}", flush=True)


def load_run(sessions: int) -> None:
    with FaultyOpenAIServer(reply=echo_reply) as llm:
        env = {"OPENAI_BASE_URL": llm.base_url, "OPENAI_API_KEY": DUMMY_KEY, "LLM_MODEL": "fake-model"}
        with DevServerProcess(env=env) as server:
            result = run_load(server.url, sessions=sessions)
            peak_kib = status_kib(server.pid, "VmHWM")
    every = result.all_latencies()
    show("load_sessions", sessions)
    show("load_turns", result.turns)
    show("load_problems", len(result.problems))
    for problem in result.problems[:5]:
        print(f"  {problem}", file=sys.stderr)
    show("load_wall_s", result.wall_seconds)
    show("load_turns_per_s", result.turns / result.wall_seconds if result.wall_seconds else 0.0)
    show("load_p50_ms", percentile(every, 0.50) * 1000)
    show("load_p99_ms", percentile(every, 0.99) * 1000)
    for kind in ("dialog", "fallback"):
        show(f"load_{kind}_p50_ms", percentile(result.latencies[kind], 0.50) * 1000)
        show(f"load_{kind}_p99_ms", percentile(result.latencies[kind], 0.99) * 1000)
    show("load_devserver_peak_rss_mb", peak_kib / 1024)


def churn_run(sessions: int) -> None:
    emulator, clock = clocked_emulator()
    rss_before = status_kib(os.getpid(), "VmRSS")
    result = churn(emulator, clock, sessions=sessions)
    rss_after = status_kib(os.getpid(), "VmRSS")
    alive = sum(is_alive(emulator, index) for index in range(sessions))
    show("churn_sessions", result.sessions)
    show("churn_turns", result.turns)
    show("churn_turns_per_s", result.turns / result.seconds if result.seconds else 0.0)
    show("churn_p50_ms", percentile(result.latencies, 0.50) * 1000)
    show("churn_p99_ms", percentile(result.latencies, 0.99) * 1000)
    show("churn_sessions_alive_at_end", alive)
    show("churn_rss_before_mb", rss_before / 1024)
    show("churn_rss_after_mb", rss_after / 1024)
    show("churn_peak_rss_mb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.add_argument("--sessions", type=int, default=100, help="concurrent conversations (default 100)")
    parser.add_argument("--churn", type=int, default=20_000, help="short sessions for churn (default 20000)")
    args = parser.parse_args(argv)
    if args.sessions > 0:
        load_run(args.sessions)
    if args.churn > 0:
        churn_run(args.churn)
    return 0


if __name__ == "__main__":
    sys.exit(main())
