"""The page's layout in a real browser: what a user saw go wrong, each checked where it went wrong.

- after a long answer, End (focus on the page, not the input) must not scroll the document to a
  blank screen: the document is exactly the window's height and the header stays in view;
- the title is whole and not under the language switch on 360-390 px phones, in both languages;
- Korean wraps between words, never inside one, while a long URL still wraps inside the bubble.

Screenshots go to test-output/e2e/ (layout-*.png).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, FloatRect, Page, ViewportSize, expect

from devserver.process import DevServerProcess
from tests.e2e.browser_support import DESKTOP, PHONE, open_chat
from tests.fakes.openai_server import FakeOpenAIServer

pytestmark = pytest.mark.e2e

LONG_ANSWER = "\n\n".join(
    f"Paragraph {n}: Amazon Lex keeps the conversation going while the model writes a longer answer "
    "than fits on one screen, so the conversation has to scroll."
    for n in range(1, 31)
)
KOREAN_ANSWER = (
    "대한민국의 수도는 서울특별시이며 한강을 중심으로 발전한 대도시입니다. "
    "서울에는 경복궁과 창덕궁 같은 조선시대의 궁궐이 남아 있고 남산서울타워에서는 "
    "도시 전체를 내려다볼 수 있습니다. 지하철과 버스가 촘촘하게 연결되어 있어서 "
    "처음 방문하는 여행자도 어렵지 않게 이동할 수 있습니다."
)
LONG_URL = "https://docs.aws.amazon.com/lexv2/latest/dg/" + "very-long-path-segment-" * 12 + "end.html"


def chat_page(browser: Browser, server: DevServerProcess, viewport: ViewportSize, **options: Any) -> Page:
    context = browser.new_context(viewport=viewport, locale="ko-KR", timezone_id="Asia/Seoul", **options)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    open_chat(tab, server)
    return tab


@pytest.fixture
def contexts() -> Iterator[list[BrowserContext]]:
    """Contexts a test opened, closed whatever happens."""
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def open_tab(
    browser: Browser,
    server: DevServerProcess,
    contexts: list[BrowserContext],
    viewport: ViewportSize,
    **options: Any,
) -> Page:
    tab = chat_page(browser, server, viewport, **options)
    contexts.append(tab.context)
    return tab


def send(page: Page, text: str) -> None:
    page.locator("#input").fill(text)
    page.locator("#input").press("Enter")
    expect(page.locator("#typing")).to_be_hidden()
    # An LLM answer streams after /chat has returned: the page is idle once Send is no longer busy.
    expect(page.locator("#send")).to_have_attribute("aria-busy", "false")


def boxes_overlap(a: FloatRect, b: FloatRect) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


# --- End after a long answer -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "viewport", "mobile"), [("desktop", DESKTOP, False), ("phone", PHONE, True)]
)
def test_end_after_a_long_answer_does_not_scroll_the_page_away(
    browser: Browser,
    server: DevServerProcess,
    llm: FakeOpenAIServer,
    contexts: list[BrowserContext],
    output_dir: Path,
    name: str,
    viewport: ViewportSize,
    mobile: bool,
) -> None:
    tab = open_tab(browser, server, contexts, viewport, is_mobile=mobile, has_touch=mobile)
    llm.reply = LONG_ANSWER
    send(tab, "Tell me a long story")
    expect(tab.locator("#messages .message.bot")).to_have_count(1)

    # The document is the window, however long the conversation: only the conversation scrolls.
    sizes = tab.evaluate(
        "({doc: document.scrollingElement.scrollHeight, body: document.body.scrollHeight,"
        " window: window.innerHeight, inner: document.getElementById('conversation').scrollHeight})"
    )
    assert sizes["inner"] > 2 * sizes["window"], sizes  # the answer really is long
    assert sizes["doc"] <= sizes["window"], sizes
    assert sizes["body"] <= sizes["window"], sizes

    # Click an empty area of the page (focus leaves the input), then End.
    tab.mouse.click(viewport["width"] - 5, viewport["height"] // 2)
    tab.keyboard.press("End")
    tab.wait_for_timeout(300)
    assert tab.evaluate("window.scrollY") == 0
    header = tab.locator("header.topbar").bounding_box()
    assert header is not None
    assert header["y"] >= 0
    expect(tab.locator("header.topbar h1")).to_be_in_viewport()
    expect(tab.locator("#composer")).to_be_in_viewport()
    # The page is not blank: the end of the answer is what shows.
    expect(tab.locator("#messages .message.bot .bubble p").last).to_be_in_viewport()
    tab.screenshot(path=str(output_dir / f"layout-end-{name}.png"))


# --- the title beside the language switch --------------------------------------------------------------


@pytest.mark.parametrize("width", [360, 375, 390])
@pytest.mark.parametrize("language", ["English", "한국어"])
def test_the_title_is_whole_and_clear_of_the_language_switch_on_phones(
    browser: Browser,
    server: DevServerProcess,
    contexts: list[BrowserContext],
    output_dir: Path,
    width: int,
    language: str,
) -> None:
    tab = open_tab(browser, server, contexts, {"width": width, "height": 740}, is_mobile=True, has_touch=True)
    tab.locator("#locale-switch").get_by_role("button", name=language).click()
    title = tab.locator("header.topbar h1")
    expect(title).to_have_text("HelloWorldBot")
    title_box = title.bounding_box()
    assert title_box is not None
    for other in ("#locale-switch", "#new-chat"):
        box = tab.locator(other).bounding_box()
        assert box is not None
        assert not boxes_overlap(title_box, box), (width, language, other, title_box, box)
        assert box["x"] + box["width"] <= width, (other, box)
    # Whole: not clipped by its box, and inside the window.
    assert title.evaluate("h => h.scrollWidth <= h.clientWidth")
    assert title_box["x"] >= 0
    tab.locator("header.topbar").screenshot(path=str(output_dir / f"layout-header-{width}-{language}.png"))


# --- Korean line breaks ----------------------------------------------------------------------------------

# For each character of the bubble's text, the top of its line box; a line break is where it grows.
LINE_BREAKS_JS = """bubble => {
  const walker = document.createTreeWalker(bubble, NodeFilter.SHOW_TEXT);
  const chars = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.data.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      if (rect) chars.push({ch: node.data[i], top: Math.round(rect.top)});
    }
  }
  const breaks = [];
  for (let i = 1; i < chars.length; i++) {
    if (chars[i].top > chars[i - 1].top + 2) {
      breaks.push({before: chars[i - 1].ch, after: chars[i].ch});
    }
  }
  return {breaks, wordBreak: getComputedStyle(bubble).wordBreak};
}"""


def test_korean_wraps_between_words_never_inside_one(
    browser: Browser,
    server: DevServerProcess,
    llm: FakeOpenAIServer,
    contexts: list[BrowserContext],
    output_dir: Path,
) -> None:
    tab = open_tab(browser, server, contexts, PHONE, is_mobile=True, has_touch=True)
    llm.reply = KOREAN_ANSWER
    send(tab, "서울에 대해 알려줘")
    bubble = tab.locator("#messages .message.bot .bubble").first
    expect(bubble).to_have_text(KOREAN_ANSWER)
    layout = bubble.evaluate(LINE_BREAKS_JS)
    assert len(layout["breaks"]) >= 3, layout  # the answer does wrap on a phone
    for line_break in layout["breaks"]:
        # A break between words leaves the space at the end of the line (or starts after it).
        assert line_break["before"] == " " or line_break["after"] == " ", layout["breaks"]
    assert layout["wordBreak"] == "keep-all"
    bubble.screenshot(path=str(output_dir / "layout-korean-wrap.png"))


def test_a_long_url_still_wraps_inside_the_bubble(
    browser: Browser, server: DevServerProcess, llm: FakeOpenAIServer, contexts: list[BrowserContext]
) -> None:
    tab = open_tab(browser, server, contexts, PHONE, is_mobile=True, has_touch=True)
    llm.reply = f"자세한 내용은 {LONG_URL} 문서를 참고하세요."
    send(tab, "문서 주소를 알려줘")
    bubble = tab.locator("#messages .message.bot .bubble").first
    expect(bubble).to_contain_text("very-long-path-segment-")
    assert bubble.evaluate("b => b.scrollWidth <= b.clientWidth")
    bubble_box = bubble.bounding_box()
    assert bubble_box is not None
    assert bubble_box["x"] + bubble_box["width"] <= PHONE["width"]
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
