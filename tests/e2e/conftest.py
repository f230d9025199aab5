"""Fixtures for the browser tests: Debian's chromium via Playwright, the dev server and a fake LLM.

No browser is ever downloaded: Playwright drives /usr/bin/chromium (or CHROMIUM_PATH). Without it
the tests fail when CI=true and are skipped (with the reason) elsewhere.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Dialog,
    Page,
    Request,
    ViewportSize,
    sync_playwright,
)

from devserver.process import DevServerProcess
from tests.fakes.openai_server import FakeOpenAIServer

REPO = Path(__file__).resolve().parents[2]
OUTPUT_DIR = REPO / "test-output" / "e2e"
DEFAULT_REPLY = "This is the fake LLM's answer."
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP: ViewportSize = {"width": 1280, "height": 860}
PHONE: ViewportSize = {"width": 390, "height": 844}


def chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    for candidate in (configured, "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


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
    with DevServerProcess(env=env) as process:
        yield process


@dataclass
class Watched:
    """What a page did that a test may want to assert on."""

    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    chat_bodies: list[dict[str, Any]] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)


def watch(page: Page, seen: Watched) -> None:
    def on_dialog(dialog: Dialog) -> None:
        seen.dialogs.append(dialog.message)
        dialog.dismiss()

    def on_console(message: ConsoleMessage) -> None:
        # A refused /chat (a 4xx/5xx the test asked for) is logged by chromium as a failed load.
        if message.type == "error" and "Failed to load resource" not in message.text:
            seen.errors.append(message.text)

    def on_request(request: Request) -> None:
        seen.urls.append(request.url)
        if request.url.endswith("/chat") and request.method == "POST":
            body = request.post_data_json
            seen.chat_bodies.append(body if isinstance(body, dict) else {})

    page.on("dialog", on_dialog)
    page.on("console", on_console)
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    page.on("request", on_request)


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


def open_chat(tab: Page, server: DevServerProcess) -> None:
    tab.goto(server.url + "/")
    tab.locator("body[data-ready=true]").wait_for()


@pytest.fixture(scope="session")
def output_dir() -> Path:
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    return OUTPUT_DIR
