"""The page's message limit agrees with /chat's and Lex's: both count UTF-16 code units, so the page
lets through at most 512 emoji (1024 units), shows 1024 on its counter, and that message is answered
rather than refused as text_too_long."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser_support import Watched
from tests.e2e.conftest import DEFAULT_REPLY

pytestmark = pytest.mark.e2e


def test_emoji_count_two_on_the_page_as_they_do_for_lex(page: Page, seen: Watched) -> None:
    box = page.locator("#input")
    box.focus()
    page.keyboard.insert_text("😀" * 600)
    assert box.input_value() == "😀" * 512  # maxlength 1024 stopped it at 1024 UTF-16 code units
    expect(page.locator("#counter")).to_be_visible()
    expect(page.locator("#counter")).to_have_text("1024/1024자")
    box.press("Enter")
    expect(page.locator("#messages .message.bot .bubble")).to_have_text([DEFAULT_REPLY])
    expect(page.locator("#messages .message.error")).to_have_count(0)
    assert [body["text"] for body in seen.chat_bodies] == ["😀" * 512]
