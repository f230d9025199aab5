"""What a person waits for in the page: Enter to the first rendered words of a streamed answer.

    .venv/bin/python -m bench.page_first_token            # 20 turns per read mode
    .venv/bin/python -m bench.page_first_token --runs 5   # a smoke run (figures not quoted)

A real browser (Debian's chromium through Playwright, as the page tests use) runs the real page
against a dev server it starts, with a fake OpenAI server that streams its first piece after a
known delay. In the page, a keydown listener notes when Enter is pressed in the message box and a
MutationObserver notes when the answer's text first shows anything; the difference, less the
fake LLM's own first-token delay, is what local mode and the page add: the /chat turn (emulator,
code hook, worker start), the read request, SSE parsing and the Markdown render. It is measured
for both read modes of the dev server: one SSE response (`stream`, local mode's default) and the
buffered long poll the stack uses in AWS (`long-poll`, where API Gateway cannot stream), so the
second figure includes lambda_answers' ~100 ms coalescing pause. Each turn opens a fresh tab
(a fresh browser context each, page load not counted). Prints ``name: value`` lines; figures, not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from devserver.process import DevServerProcess
from tests.bots import devserver_env
from tests.e2e.browser_support import CHROMIUM_ARGS, DESKTOP, chromium_path, open_chat
from tests.fakes.openai_server import Behaviour, FakeOpenAIServer

QUESTION = "Explain quantum entanglement briefly"
PIECES = ["Entangled ", "particles ", "share ", "one ", "state."]
# Installed before each turn: when Enter goes down in the box, and when the answer first has text.
WATCH_FIRST_TEXT = """() => {
  window.__sentAt = null;
  window.__firstTextAt = null;
  let shown;
  window.__firstText = new Promise((resolve) => { shown = resolve; });
  document.getElementById('input').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && window.__sentAt === null) window.__sentAt = performance.now();
  }, {capture: true});
  new MutationObserver(() => {
    if (window.__firstTextAt !== null) return;
    const body = document.querySelector('#messages .message.bot[data-source=llm] .answer-text');
    if (body && body.textContent.trim()) {
      window.__firstTextAt = performance.now();
      shown();
    }
  }).observe(document.getElementById('messages'), {subtree: true, childList: true, characterData: true});
}"""


@contextmanager
def dev_server(llm: FakeOpenAIServer, reads: str) -> Iterator[DevServerProcess]:
    env = {
        "OPENAI_BASE_URL": llm.base_url,
        "OPENAI_API_KEY": "sk-bench-dummy",
        "LLM_MODEL": "fake-model",
        "ANSWER_STORE": "embedded",
        "ANSWER_WORKER_MODE": "thread",
        "ANSWER_READS": reads,
    }
    with DevServerProcess(env=devserver_env(env)) as process:
        yield process


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure(browser: object, server: DevServerProcess, runs: int, delay: float) -> list[float]:
    """Enter -> first rendered text, less the LLM's first-token delay, in ms, for each run."""
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    overheads: list[float] = []
    for _ in range(runs + 1):  # the first turn warms the server's caches and is not counted
        # A fresh context each turn: no conversation kept in localStorage, so the answer is the only one.
        context = browser.new_context(viewport=DESKTOP, locale="en-US")
        context.set_default_timeout(30_000)
        try:
            tab = context.new_page()
            open_chat(tab, server)
            tab.evaluate(WATCH_FIRST_TEXT)
            tab.locator("#input").fill(QUESTION)
            tab.locator("#input").press("Enter")
            # Wait on the observer's promise (wait_for_function evaluates a string, which the page's
            # CSP forbids; polling from here would take CPU from the two cores being measured).
            tab.evaluate("() => window.__firstText")
            sent, first = tab.evaluate("[window.__sentAt, window.__firstTextAt]")
            tab.locator("#messages .message.bot[data-answer-status=done]").wait_for()
            overheads.append(first - sent - delay * 1000)
        finally:
            context.close()
    return overheads[1:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=20, help="turns per read mode (default 20)")
    parser.add_argument("--delay", type=float, default=0.3, help="the fake LLM's first-token delay, s")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.delay < 0:
        parser.error("--runs must be at least 1 and --delay at least 0")
    executable = chromium_path()
    if executable is None:
        print("error: chromium is not installed (make browser installs Debian's chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    print(f"runs: {args.runs} per read mode; fake LLM first-token delay {args.delay * 1000:.0f} ms")
    print(f"load_average_1min: {os.getloadavg()[0]:.1f} (2 cores shared with whatever else runs)")
    with FakeOpenAIServer() as llm, sync_playwright() as playwright:
        llm.default = Behaviour.streamed(PIECES, first_token_delay=args.delay, chunk_pause=0.05)
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            for reads in ("stream", "long-poll"):
                with dev_server(llm, reads) as server:
                    overheads = measure(browser, server, args.runs, args.delay)
                print(f"page.{reads}.first_rendered_overhead_ms_p50: {statistics.median(overheads):.1f}")
                print(f"page.{reads}.first_rendered_overhead_ms_p90: {percentile(overheads, 0.9):.1f}")
                print(f"page.{reads}.first_rendered_overhead_ms_max: {max(overheads):.1f}")
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
