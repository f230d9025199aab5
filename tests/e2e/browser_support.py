"""Helpers for the browser tests: chromium's location and flags, viewports, and a page watcher."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import ConsoleMessage, Dialog, Page, Request, ViewportSize

from devserver.process import DevServerProcess

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


def open_chat(tab: Page, server: DevServerProcess) -> None:
    tab.goto(server.url + "/")
    tab.locator("body[data-ready=true]").wait_for()
