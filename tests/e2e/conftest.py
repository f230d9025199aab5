"""Fixtures for the browser tests: Debian's chromium via Playwright, the dev server and a fake LLM.

No browser is ever downloaded: Playwright drives /usr/bin/chromium (or CHROMIUM_PATH). Without it
the tests fail when CI=true and are skipped (with the reason) elsewhere.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from devserver.process import DevServerProcess
from tests.bots import devserver_env
from tests.e2e.browser_support import CHROMIUM_ARGS, DESKTOP, Watched, chromium_path, open_chat, watch
from tests.fakes.openai_server import FakeOpenAIServer

REPO = Path(__file__).resolve().parents[2]
OUTPUT_DIR = REPO / "test-output" / "e2e"
DEFAULT_REPLY = "This is the fake LLM's answer."


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    if executable is None:
        reason = "chromium is not installed (make browser installs Debian's chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}; the browser tests must run in CI")
        pytest.skip(reason)
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def fake_llm() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer(reply=DEFAULT_REPLY) as llm:
        yield llm


@pytest.fixture
def llm(fake_llm: FakeOpenAIServer) -> FakeOpenAIServer:
    fake_llm.reset()
    fake_llm.reply = DEFAULT_REPLY
    return fake_llm


@pytest.fixture(scope="module")
def server(fake_llm: FakeOpenAIServer) -> Iterator[DevServerProcess]:
    env = {"OPENAI_BASE_URL": fake_llm.base_url, "OPENAI_API_KEY": "sk-e2e-dummy", "LLM_MODEL": "fake-model"}
    with DevServerProcess(env=devserver_env(env)) as process:
        yield process


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport=DESKTOP, locale="ko-KR", timezone_id="Asia/Seoul")
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


@pytest.fixture
def seen() -> Watched:
    return Watched()


@pytest.fixture
def page(
    context: BrowserContext, server: DevServerProcess, llm: FakeOpenAIServer, seen: Watched
) -> Iterator[Page]:
    tab = context.new_page()
    watch(tab, seen)
    open_chat(tab, server)
    yield tab
    assert seen.errors == [], "the page logged errors (CSP violations, exceptions)"
    assert all(url.startswith(server.url) for url in seen.urls), "the page made an external request"


@pytest.fixture(scope="session")
def output_dir() -> Path:
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    return OUTPUT_DIR
