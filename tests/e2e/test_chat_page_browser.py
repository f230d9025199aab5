"""The chat page in a real browser (Debian's chromium via Playwright) against the real dev server.

Everything behind the page is real (dev server, lambda_lex, emulator, lambda_chatgpt) except the LLM,
a fake OpenAI server. Faults the real stack cannot produce on demand (a 429, a dead network, a hung
request) are injected with page.route on the /chat request only.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Literal

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, ViewportSize, expect

from devserver.process import DevServerProcess
from tests.e2e.browser_support import DESKTOP, PHONE, Watched, open_chat, watch
from tests.fakes.openai_server import Behaviour, FakeOpenAIServer

pytestmark = pytest.mark.e2e

STORAGE_KEY = "chatbot.conversation.v1"
KO = [
    "제 이름은 Lex입니다. 당신의 이름은 무엇 입니까?",
    "당신의 이름은 민수입니까?",
    "반갑습니다. 민수님.",
    "HelloWorld 의도를 종료합니다.",
]
EN = [
    "My name is Lex. What is your name?",
    "Is your name Tom?",
    "Nice to meet you, Tom.",
    "Ending the HelloWorld intent.",
]
MARKDOWN_ANSWER = """Amazon Lex is **a service** for *conversational* interfaces, see `RecognizeText`.

- intents and slots
- [the docs](https://docs.aws.amazon.com/lex/)
- [a trap](javascript:alert(1))

```python
client.recognize_text(text="hi")
```"""
XSS_ANSWER = '<img src=x onerror="window.__pwned=1;alert(1)"> and <script>window.__pwned=2;alert(2)</script>'


def send(page: Page, text: str) -> None:
    page.locator("#input").fill(text)
    page.locator("#input").press("Enter")


def bot_bubbles(page: Page) -> Any:
    return page.locator("#messages .message.bot .bubble")


def stored(page: Page) -> dict[str, Any]:
    raw = page.evaluate(f"sessionStorage.getItem('{STORAGE_KEY}')")
    data: dict[str, Any] = json.loads(raw)
    return data


def wait_idle(page: Page) -> None:
    expect(page.locator("#typing")).to_be_hidden()
    # An LLM answer streams after /chat has returned: the page is idle once Send is no longer busy.
    expect(page.locator("#send")).to_have_attribute("aria-busy", "false")


# --- the HelloWorld dialog ------------------------------------------------------------------------


def test_korean_dialog_greeting_name_confirmation_closing(page: Page, seen: Watched) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    send(page, "안녕하세요")
    expect(bot_bubbles(page)).to_have_text(KO[:1])
    send(page, "민수")
    expect(bot_bubbles(page)).to_have_text(KO[:2])
    send(page, "네")
    expect(bot_bubbles(page)).to_have_text(KO)
    expect(page.locator("#messages .message.user .bubble")).to_have_text(["안녕하세요", "민수", "네"])
    expect(page.locator("#messages .badge")).to_have_count(0)  # Lex answers carry no LLM badge
    times = page.locator("#messages .message time")
    expect(times).to_have_count(7)
    assert all(re.match(r"\d{4}-\d\d-\d\dT", t) for t in times.evaluate_all("ts => ts.map(t => t.dateTime)"))
    session = stored(page)["sessionId"]
    assert [b["sessionId"] for b in seen.chat_bodies] == [session] * 3
    assert [b["locale"] for b in seen.chat_bodies] == ["ko_KR"] * 3


def test_english_dialog_after_switching_locale(page: Page, seen: Watched) -> None:
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#input")).to_have_attribute("placeholder", "Type a message…")
    expect(page.get_by_role("button", name="New chat")).to_be_visible()
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")
    send(page, "Hello")
    expect(bot_bubbles(page)).to_have_text(EN[:1])
    send(page, "Tom")
    expect(bot_bubbles(page)).to_have_text(EN[:2])
    send(page, "yes")
    expect(bot_bubbles(page)).to_have_text(EN)
    assert [b["locale"] for b in seen.chat_bodies] == ["en_US"] * 3
    page.get_by_role("button", name="한국어").click()
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.get_by_role("button", name="새 대화")).to_be_visible()


def test_default_locale_comes_from_config_json(
    context: BrowserContext, server: DevServerProcess, seen: Watched
) -> None:
    tab = context.new_page()
    watch(tab, seen)
    config = {"defaultLocale": "en_US", "locales": ["ko_KR", "en_US"], "requestTimeoutSeconds": 35}
    tab.route("**/config.json", lambda route: route.fulfill(json=config))
    open_chat(tab, server)
    expect(tab.locator("html")).to_have_attribute("lang", "en")
    send(tab, "Hello")
    expect(bot_bubbles(tab)).to_have_text(EN[:1])
    assert seen.chat_bodies[-1]["locale"] == "en_US"


# --- LLM answers: markdown, badge, safety -----------------------------------------------------------


def test_fallback_markdown_is_rendered_as_elements_with_llm_badge(page: Page, llm: FakeOpenAIServer) -> None:
    llm.reply = MARKDOWN_ANSWER
    send(page, "Lex에 대해 설명해줘")
    bubble = bot_bubbles(page).first
    expect(bubble.locator("strong")).to_have_text("a service")
    expect(bubble.locator("em")).to_have_text("conversational")
    expect(bubble.locator("p code")).to_have_text("RecognizeText")
    expect(bubble.locator("pre code")).to_have_text('client.recognize_text(text="hi")')
    expect(bubble.locator("ul > li")).to_have_count(3)
    link = bubble.locator("a")
    expect(link).to_have_count(1)  # the javascript: one is plain text
    expect(link).to_have_attribute("href", "https://docs.aws.amazon.com/lex/")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    expect(bubble.locator("li").nth(2)).to_have_text("a trap")
    badge = page.locator("#messages .message.bot .badge")
    expect(badge).to_have_count(1)
    expect(badge).to_be_visible()
    expect(badge).to_contain_text("LLM")
    expect(badge).to_have_attribute("title", re.compile("LLM"))
    spoken = badge.evaluate("b => b.textContent")
    assert "LLM" in spoken
    assert "생성한 답변" in spoken


def test_html_in_an_answer_is_shown_as_text_and_runs_nothing(
    page: Page, llm: FakeOpenAIServer, seen: Watched
) -> None:
    llm.reply = XSS_ANSWER
    send(page, "show me html")
    bubble = bot_bubbles(page).first
    expect(bubble).to_have_text(XSS_ANSWER)
    page.wait_for_timeout(300)  # give an injected onerror handler every chance to fire
    assert seen.dialogs == []
    expect(page.locator("#messages img")).to_have_count(0)
    expect(page.locator("#messages script")).to_have_count(0)
    assert page.evaluate("window.__pwned === undefined")


def test_user_text_is_never_interpreted_either(page: Page, seen: Watched) -> None:
    send(page, "<b>bold?</b> <img src=x onerror=alert(3)>")
    expect(page.locator("#messages .message.user .bubble")).to_have_text(
        "<b>bold?</b> <img src=x onerror=alert(3)>"
    )
    wait_idle(page)
    expect(page.locator("#messages .message.user b")).to_have_count(0)
    assert seen.dialogs == []


# --- the composer -------------------------------------------------------------------------------------


def test_enter_during_ime_composition_does_not_send(page: Page, seen: Watched) -> None:
    box = page.locator("#input")
    box.fill("안녕하세")
    box.dispatch_event("compositionstart", {"data": ""})
    page.evaluate(
        """() => document.getElementById('input').dispatchEvent(new KeyboardEvent('keydown',
            {key: 'Enter', code: 'Enter', isComposing: true, bubbles: true, cancelable: true}))"""
    )
    box.dispatch_event("compositionend", {"data": "세"})
    page.evaluate(
        """() => document.getElementById('input').dispatchEvent(new KeyboardEvent('keydown',
            {key: 'Enter', code: 'Enter', keyCode: 229, bubbles: true, cancelable: true}))"""
    )
    page.wait_for_timeout(300)
    assert seen.chat_bodies == []
    expect(page.locator("#messages .message")).to_have_count(0)
    expect(box).to_have_value("안녕하세")
    box.press("Shift+Enter")
    expect(box).to_have_value("안녕하세\n")
    assert seen.chat_bodies == []
    box.press("Enter")
    expect(page.locator("#messages .message.user .bubble")).to_have_text(["안녕하세"])
    assert len(seen.chat_bodies) == 1


def test_send_is_disabled_in_flight_but_typing_goes_on(
    page: Page, llm: FakeOpenAIServer, seen: Watched
) -> None:
    llm.default = Behaviour.slow(2.0, text="finally")
    send(page, "a slow question")
    # The answer streams: /chat returns at once (the page-level #typing shows only that long) and the
    # answer's own bubble says it is being written until its first words come, 2 s later.
    writing = page.locator(".message.bot .writing")
    expect(writing).to_be_visible()
    expect(writing).to_contain_text("답변을 작성하고 있어요")
    box = page.locator("#input")
    box.press_sequentially("next one")
    expect(box).to_have_value("next one")
    expect(page.locator("#send")).to_be_disabled()
    box.press("Enter")  # ignored while the first request is out
    expect(bot_bubbles(page)).to_have_text(["finally"])
    wait_idle(page)
    assert len(seen.chat_bodies) == 1
    expect(box).to_have_value("next one")
    expect(page.locator("#send")).to_be_enabled()


# --- sessions -------------------------------------------------------------------------------------------


def test_reload_keeps_history_and_session(page: Page, seen: Watched) -> None:
    send(page, "안녕하세요")
    expect(bot_bubbles(page)).to_have_text(KO[:1])
    before = stored(page)["sessionId"]
    page.reload()
    page.locator("body[data-ready=true]").wait_for()
    expect(page.locator("#messages .message.user .bubble")).to_have_text(["안녕하세요"])
    expect(bot_bubbles(page)).to_have_text(KO[:1])
    assert stored(page)["sessionId"] == before
    send(page, "민수")  # the Lex dialog goes on where it was: same session on the server
    expect(bot_bubbles(page)).to_have_text(KO[:2])
    assert seen.chat_bodies[-1]["sessionId"] == before


def test_new_chat_clears_the_view_and_starts_a_new_session(page: Page, seen: Watched) -> None:
    send(page, "안녕하세요")
    expect(bot_bubbles(page)).to_have_text(KO[:1])
    first = stored(page)["sessionId"]
    page.get_by_role("button", name="새 대화").click()
    expect(page.locator("#messages .message")).to_have_count(0)
    expect(page.locator("#empty")).to_be_visible()
    second = stored(page)["sessionId"]
    assert second != first
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", second)
    send(page, "민수")  # a new session: not an answer to the old name prompt
    expect(page.locator("#messages .message.bot")).to_have_count(1)
    wait_idle(page)
    assert seen.chat_bodies[-1]["sessionId"] == second
    expect(page.locator("#messages .message.bot .badge")).to_have_count(1)


def test_a_new_tab_continues_the_same_conversation(
    context: BrowserContext, server: DevServerProcess, llm: FakeOpenAIServer
) -> None:
    """The session lives in localStorage: a second tab of the browser is the same conversation,
    so Lex's dialog goes on there (issue 11: a new tab reopens the conversation)."""
    first = context.new_page()
    seen_first, seen_second = Watched(), Watched()
    watch(first, seen_first)
    open_chat(first, server)
    send(first, "안녕하세요")
    expect(bot_bubbles(first)).to_have_text(KO[:1])
    second = context.new_page()
    watch(second, seen_second)
    open_chat(second, server)
    assert stored(second)["sessionId"] == stored(first)["sessionId"]
    send(second, "민수")  # the answer to the name prompt the first tab got
    expect(second.locator("#messages .message.bot .bubble").last).to_have_text(KO[1])
    assert seen_first.chat_bodies[0]["sessionId"] == seen_second.chat_bodies[0]["sessionId"]
    assert seen_first.errors == seen_second.errors == []


# --- failures -------------------------------------------------------------------------------------------


def test_failed_request_shows_the_reason_and_retry_resends_it(page: Page, seen: Watched) -> None:
    failures = {"left": 1}

    def flaky(route: Route) -> None:
        if failures["left"]:
            failures["left"] -= 1
            route.fulfill(
                status=502,
                json={"error": {"code": "upstream_failed", "message": "Lex failed"}},
            )
        else:
            route.continue_()

    page.route("**/chat", flaky)
    send(page, "안녕하세요")
    error = page.locator("#messages .message.error")
    expect(error).to_have_count(1)
    expect(error).to_contain_text("챗봇이 지금 답할 수 없어요")
    expect(error).to_contain_text("HTTP 502")
    # A 502 came after the bot got the message: "not sent" would be untrue.
    expect(error.locator(".error-title")).to_have_text("답변을 받지 못했어요")
    retry = error.get_by_role("button", name="다시 시도")
    retry.click()
    expect(bot_bubbles(page)).to_have_text(KO[:1])
    expect(page.locator("#messages .message.error")).to_have_count(0)
    expect(page.locator("#messages .message.user")).to_have_count(1)
    assert len(seen.chat_bodies) == 2
    assert seen.chat_bodies[0] == seen.chat_bodies[1]


def test_network_failure_then_recovery(page: Page, seen: Watched) -> None:
    state = {"down": True}
    page.route(
        "**/chat", lambda route: route.abort("connectionrefused") if state["down"] else route.continue_()
    )
    send(page, "안녕하세요")
    error = page.locator("#messages .message.error")
    expect(error).to_contain_text("서버에 연결할 수 없었거나")
    state["down"] = False
    error.get_by_role("button", name="다시 시도").click()
    expect(bot_bubbles(page)).to_have_text(KO[:1])


def test_too_many_requests_tells_the_user_to_slow_down(page: Page) -> None:
    page.route(
        "**/chat",
        lambda route: route.fulfill(
            status=429,
            headers={"Retry-After": "3"},
            json={"error": {"code": "throttled", "message": "Too many requests"}},
        ),
    )
    page.get_by_role("button", name="English").click()
    send(page, "Hello")
    expect(page.locator("#messages .message.error")).to_contain_text(
        "You're sending messages too quickly. Please wait about 3 s"
    )
    # Refused at the door: this one really was not sent.
    expect(page.locator("#messages .message.error .error-title")).to_have_text("Your message was not sent")


def test_client_timeout_gives_a_friendly_message(
    context: BrowserContext, server: DevServerProcess, seen: Watched
) -> None:
    tab = context.new_page()
    watch(tab, seen)
    tab.route(
        "**/config.json",
        lambda route: route.fulfill(
            json={"defaultLocale": "en_US", "locales": ["ko_KR", "en_US"], "requestTimeoutSeconds": 1}
        ),
    )
    tab.route("**/chat", lambda route: None)  # never answered
    open_chat(tab, server)
    send(tab, "Hello")
    expect(tab.locator("#messages .message.error")).to_contain_text("taking too long (over 1 s)")
    expect(tab.locator("#send")).to_be_disabled()  # empty input
    tab.locator("#input").fill("again")
    expect(tab.locator("#send")).to_be_enabled()


def test_json_error_from_api_gateway_shape_is_understood(page: Page) -> None:
    page.route("**/chat", lambda route: route.fulfill(status=502, json={"message": "Internal server error"}))
    send(page, "안녕하세요")
    expect(page.locator("#messages .message.error")).to_contain_text("챗봇이 지금 답할 수 없어요")


# --- layout, accessibility ---------------------------------------------------------------------------


def test_accessibility_basics(page: Page) -> None:
    log = page.locator("#messages")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(log).to_have_attribute("role", "log")
    expect(page.get_by_label("보낼 메시지")).to_be_focused()
    expect(page.get_by_role("button", name="보내기")).to_be_disabled()
    expect(page.get_by_role("group", name="언어")).to_be_visible()


def test_keyboard_only_use(page: Page, seen: Watched) -> None:
    page.keyboard.type("안녕하세요")
    page.keyboard.press("Enter")
    expect(bot_bubbles(page)).to_have_text(KO[:1])
    wait_idle(page)
    # Tab from the text box reaches the send button, then wraps to the header's controls.
    page.keyboard.press("Shift+Tab")
    for _ in range(8):
        if page.evaluate("document.activeElement.id") == "new-chat":
            break
        page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "new-chat"
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.dataset.locale") == "en_US"
    page.keyboard.press("Space")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # New chat
    expect(page.locator("#messages .message")).to_have_count(0)
    expect(page.locator("#input")).to_be_focused()
    page.keyboard.type("Hello")
    page.keyboard.press("Enter")
    expect(bot_bubbles(page)).to_have_text(EN[:1])


def test_phone_layout_fits_without_sideways_scrolling(
    browser: Browser, server: DevServerProcess, llm: FakeOpenAIServer
) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        tab = context.new_page()
        open_chat(tab, server)
        llm.reply = MARKDOWN_ANSWER + "\n\n`" + "a_very_long_identifier_" * 8 + "`"
        send(tab, "Lex에 대해 설명해줘")
        expect(bot_bubbles(tab)).to_have_count(1)
        assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        composer = tab.locator("#composer").bounding_box()
        assert composer is not None
        assert composer["y"] + composer["height"] <= PHONE["height"]
        assert composer["width"] <= PHONE["width"]
    finally:
        context.close()


def test_dark_color_scheme_is_respected(browser: Browser, server: DevServerProcess) -> None:
    def background(scheme: Literal["light", "dark"]) -> str:
        context = browser.new_context(viewport=DESKTOP, color_scheme=scheme)
        try:
            tab = context.new_page()
            open_chat(tab, server)
            value: str = tab.evaluate("getComputedStyle(document.body).backgroundColor")
            return value
        finally:
            context.close()

    light, dark = background("light"), background("dark")
    assert light != dark
    assert sum(int(v) for v in re.findall(r"\d+", dark)[:3]) < 150


# --- screenshots ------------------------------------------------------------------------------------


def test_screenshots_of_a_finished_conversation(
    browser: Browser, server: DevServerProcess, llm: FakeOpenAIServer, output_dir: Path
) -> None:
    llm.reply = MARKDOWN_ANSWER
    shots: list[tuple[str, ViewportSize, Literal["light", "dark"]]] = [
        ("desktop", DESKTOP, "light"),
        ("phone", PHONE, "light"),
        ("desktop-dark", DESKTOP, "dark"),
    ]
    for name, viewport, scheme in shots:
        context = browser.new_context(
            viewport=viewport,
            color_scheme=scheme,
            locale="ko-KR",
            timezone_id="Asia/Seoul",
            is_mobile=name == "phone",
            device_scale_factor=2 if name == "phone" else 1,
        )
        try:
            tab = context.new_page()
            open_chat(tab, server)
            for text, answers in (("안녕하세요", 1), ("민수", 2), ("네", 4), ("Lex에 대해 설명해줘", 5)):
                send(tab, text)
                expect(bot_bubbles(tab)).to_have_count(answers)
            wait_idle(tab)
            path = output_dir / f"chat-{name}.png"
            tab.screenshot(path=str(path))
            assert path.stat().st_size > 10_000
        finally:
            context.close()


def test_reload_while_waiting_offers_to_resend(page: Page, llm: FakeOpenAIServer, seen: Watched) -> None:
    """A reload while /chat has not answered yet: the page cannot know whether the bot got the
    message, so it says so and offers Retry. (/chat is held here: with streamed answers the real
    one answers at once, and the answer itself survives a reload: test_chat_page_streaming.)"""
    held: list[Route] = []

    def hold_the_first(route: Route) -> None:
        if held:
            route.continue_()
        else:
            held.append(route)  # never answered: the reload cancels it

    page.route("**/chat", hold_the_first)
    send(page, "a question that takes a while")
    expect(page.locator("#typing")).to_be_visible()
    assert len(held) == 1
    page.reload()
    page.locator("body[data-ready=true]").wait_for()
    error = page.locator("#messages .message.error")
    expect(error).to_contain_text("답변을 받기 전에 페이지가 다시 로드되었어요")
    llm.reply = "answer after retry"
    error.get_by_role("button", name="다시 시도").click()
    expect(bot_bubbles(page)).to_have_text(["answer after retry"])
    expect(page.locator("#messages .message.error")).to_have_count(0)
    expect(page.locator("#messages .message.user .bubble")).to_have_text(["a question that takes a while"])
    assert [b["text"] for b in seen.chat_bodies] == ["a question that takes a while"] * 2
    assert len({b["sessionId"] for b in seen.chat_bodies}) == 1
    assert len(llm.requests) == 1, "the held request reached the bot after all"


def test_suggestion_chips_send_their_text(page: Page, seen: Watched) -> None:
    chips = page.locator("#suggestions button")
    expect(chips).to_have_text(["안녕하세요", "Lex에 대해 설명해줘"])
    chips.first.click()
    expect(bot_bubbles(page)).to_have_text(KO[:1])
    expect(page.locator("#empty")).to_be_hidden()
    assert seen.chat_bodies[0]["text"] == "안녕하세요"
