"""Fairness figures: polite clients' latency with and without one client flooding /chat.

    .venv/bin/python -m bench.fairness
    .venv/bin/python -m bench.fairness --polite 4 --turns 10 --flood-threads 8 --limit 20

Two runs, each on a fresh dev server (`python -m devserver`, a fake OpenAI server that echoes, in
this process) with the per-client rate limit `--limit` requests per `--window` seconds: first the
polite clients alone, then the same with a flooder on `--flood-threads` connections from its own
address (tests/robustness/support/fairness.py). Prints the polite clients' p50/p95 latency in both
runs, their 429 count (should be 0), and the flooder's requests, answers and 429s.

Prints ``name: value`` lines. Figures, not a test: it never fails on a slow machine.
"""

from __future__ import annotations

import argparse

from devserver.process import DevServerProcess
from tests.robustness.support.fairness import FairnessRun, percentile, run_fairness
from tests.robustness.support.llm_fakes import FaultyOpenAIServer, echo_reply

DUMMY_KEY = "sk-bench-fairness-0123456789abcdef"  # a placeholder the fake LLM accepts; not a credential


def show(name: str, value: float | int) -> None:
    print(f"{name}: {value:.1f}" if isinstance(value, float) else f"{name}: {value}", flush=True)


def one_run(args: argparse.Namespace, llm: FaultyOpenAIServer, flood_threads: int) -> FairnessRun:
    env = {
        "OPENAI_BASE_URL": llm.base_url,
        "OPENAI_API_KEY": DUMMY_KEY,
        "LLM_MODEL": "fake-model",
        "CLIENT_RATE_LIMIT": str(args.limit),
        "CLIENT_RATE_WINDOW_SECONDS": str(args.window),
    }
    with DevServerProcess(env=env) as server:
        return run_fairness(
            server.url,
            polite_clients=args.polite,
            polite_turns=args.turns,
            polite_pause=args.pause,
            flood_threads=flood_threads,
        )


def report(prefix: str, run: FairnessRun) -> None:
    latencies = run.polite_latencies()
    show(f"{prefix}_polite_turns", len(latencies))
    show(f"{prefix}_polite_p50_ms", percentile(latencies, 0.50) * 1000)
    show(f"{prefix}_polite_p95_ms", percentile(latencies, 0.95) * 1000)
    show(f"{prefix}_polite_429", sum(log.statuses.count(429) for log in run.polite))
    if run.flooder is not None:
        flood = run.flooder
        show(f"{prefix}_flooder_requests", len(flood.statuses))
        show(f"{prefix}_flooder_requests_per_s", len(flood.statuses) / run.wall_seconds)
        show(f"{prefix}_flooder_answered", flood.statuses.count(200))
        show(f"{prefix}_flooder_429", flood.statuses.count(429))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--polite", type=int, default=4, help="polite clients (default 4)")
    parser.add_argument("--turns", type=int, default=10, help="turns per polite client (default 10)")
    parser.add_argument("--pause", type=float, default=0.3, help="seconds between polite turns (default 0.3)")
    parser.add_argument("--flood-threads", type=int, default=8, help="flooder connections (default 8)")
    parser.add_argument("--limit", type=int, default=20, help="requests per window per client (default 20)")
    parser.add_argument("--window", type=int, default=60, help="rate window in seconds (default 60)")
    args = parser.parse_args()
    with FaultyOpenAIServer(reply=echo_reply) as llm:
        report("alone", one_run(args, llm, 0))
        report("flooded", one_run(args, llm, args.flood_threads))


if __name__ == "__main__":
    main()
