"""Streamed LLM answers in the page (issue 11), in a real browser against the real local stack.

The dev server runs with the embedded answer store (local mode streams the read route as one SSE
response) and the streaming fake OpenAI server, which sends the answer piece by piece with pauses:
- the answer grows in the page over time, as Markdown, in one container, never showing raw
  markers of a cut construct (an open ``` fence is a code block at once);
- Stop mid-answer keeps the text, marks it with the server's notice, and the fake sees its request
  closed (generation really stops);
- a reload mid-answer resumes reading where the answer is and completes it; a new tab opened
  mid-answer shows the conversation and the answer as it goes on;
- Copy puts the answer's Markdown on the clipboard (also from the keyboard) and says so;
- Regenerate replaces the last answer in place with a new one;
- while an answer streams nothing else can be sent (the button says why), intent turns stay plain;
- at phone width nothing overflows sideways and the buttons are on screen.

Screenshots go to test-output/e2e/ (streaming-*.png).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from devserver.process import DevServerProcess
from tests.bots import devserver_env
from tests.e2e.browser_support import DESKTOP, PHONE, Watched, open_chat, watch
from tests.fakes.openai_server import Behaviour, FakeOpenAIServer, ReceivedRequest

pytestmark = pytest.mark.e2e

STREAM_ENV = {"ANSWER_STORE": "embedded", "ANSWER_WORKER_MODE": "thread"}
KO_GREETING = "제 이름은 Lex입니다. 당신의 이름은 무엇 입니까?"
MARKDOWN_PIECES = [
    "Amazon ",
    "Lex ",
    "is ",
    "**a ",
    "managed ",
    "service** ",
    "for ",
    "chat.\n\n",
    "```python\n",
    "client.recognize_text(\n",
    "    text='hi',\n",
    ")\n",
    "```\n\n",
    "That ",
    "is ",
    "`all`.",
]
MARKDOWN_TEXT = "".join(MARKDOWN_PIECES)


def numbered_pieces(count: int) -> list[str]:
    return [f"word{n:03d} " for n in range(count)]


def stream_env(llm: FakeOpenAIServer, **extra: str) -> dict[str, str]:
    """The dev server's environment: streamed answers on, the fake LLM as the fallback's model."""
    env = {
        "OPENAI_BASE_URL": llm.base_url,
        "OPENAI_API_KEY": "sk-e2e-dummy",
        "LLM_MODEL": "fake-model",
        **STREAM_ENV,
        **extra,
    }
    return devserver_env(env)


@pytest.fixture(scope="module")
def stream_server(fake_llm: FakeOpenAIServer) -> Iterator[DevServerProcess]:
    with DevServerProcess(env=stream_env(fake_llm)) as process:
        yield process


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def new_context(browser: Browser, contexts: list[BrowserContext], **options: Any) -> BrowserContext:
    settings: dict[str, Any] = {"viewport": DESKTOP, "locale": "ko-KR", "timezone_id": "Asia/Seoul"}
    settings.update(options)
    context = browser.new_context(**settings)
    context.set_default_timeout(15_000)
    contexts.append(context)
    return context


def open_tab(context: BrowserContext, server: DevServerProcess, seen: Watched | None = None) -> Page:
    tab = context.new_page()
    watch(tab, seen or Watched())
    open_chat(tab, server)
    return tab


@pytest.fixture
def chat(
    browser: Browser, contexts: list[BrowserContext], stream_server: DevServerProcess, seen: Watched
) -> Iterator[Page]:
    tab = open_tab(new_context(browser, contexts), stream_server, seen)
    yield tab
    assert seen.errors == [], "the page logged errors (CSP violations, exceptions)"
    assert all(url.startswith(stream_server.url) for url in seen.urls), "the page made an external request"


def send(page: Page, text: str) -> None:
    page.locator("#input").fill(text)
    page.locator("#input").press("Enter")


def llm_answer(page: Page) -> Locator:
    return page.locator("#messages .message.bot[data-source=llm]").last


def answer_text(page: Page) -> str:
    text: str = llm_answer(page).locator(".answer-text").inner_text()
    return text


def wait_for_text(page: Page, minimum: int, timeout: float = 15.0) -> str:
    """The answer's text once it has at least `minimum` characters (and is still being written)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if llm_answer(page).count():
            text = answer_text(page)
            if len(text) >= minimum:
                return text
        page.wait_for_timeout(50)
    raise AssertionError(f"the answer never reached {minimum} characters")


def streamed_request(llm: FakeOpenAIServer, timeout: float = 10.0) -> ReceivedRequest:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        streamed = [request for request in llm.requests if request.streamed]
        if streamed:
            return streamed[-1]
        time.sleep(0.05)
    raise AssertionError("the LLM never got a streaming request")


def stop_mid_answer(chat: Page, llm: FakeOpenAIServer) -> tuple[Locator, str]:
    """Send, Stop once 60 characters show: the answer is stopped, marked, its LLM request closed and
    its text so far kept as it was. The answer and that text."""
    pieces = numbered_pieces(120)
    llm.default = Behaviour.streamed(pieces, chunk_pause=0.1)
    send(chat, "Write a very long answer")
    answer = llm_answer(chat)
    wait_for_text(chat, 60)
    request = streamed_request(llm)
    stop = answer.locator("[data-action=stop]")
    expect(stop).to_be_visible()
    stop.click()
    expect(answer).to_have_attribute("data-answer-status", "stopped", timeout=10_000)
    assert request.client_gone.wait(5), "the LLM request was not cancelled"
    kept = answer_text(chat)
    assert kept, "the text so far was not kept"
    assert "".join(pieces).startswith(kept.strip()), "the text so far was not kept as it was"
    assert len(kept.strip()) < len("".join(pieces).strip())
    expect(answer.locator(".answer-notice")).to_be_visible()
    return answer, kept


def reload_mid_answer_then_complete(chat: Page, llm: FakeOpenAIServer) -> None:
    """Reload while the answer is half written: it resumes from the server and completes, whole,
    once, without asking the LLM again."""
    pieces = numbered_pieces(50)
    llm.default = Behaviour.streamed(pieces, chunk_pause=0.08)
    send(chat, "질문 하나")
    wait_for_text(chat, 40)
    chat.reload()
    chat.locator("body[data-ready=true]").wait_for()
    answer = llm_answer(chat)
    expect(chat.locator("#messages .message.user .bubble")).to_have_text(["질문 하나"])
    expect(answer).to_have_attribute("data-answer-status", "done", timeout=30_000)
    assert answer_text(chat).strip() == "".join(pieces).strip(), "text lost or repeated across the reload"
    expect(chat.locator("#messages .message.bot")).to_have_count(1)
    expect(chat.locator("#messages .message.error")).to_have_count(0)
    assert len([r for r in llm.requests if r.streamed]) == 1, "the reload asked the LLM again"


RECORD_SNAPSHOTS = """() => {
  window.__snapshots = [];
  const record = () => {
    const items = document.querySelectorAll('#messages .message.bot[data-source=llm]');
    const item = items[items.length - 1];
    const body = item && item.querySelector('.answer-text');
    if (!body) return;
    window.__firstBody = window.__firstBody || body;
    window.__snapshots.push({
      text: body.textContent,
      status: item.dataset.answerStatus,
      sameBody: body === window.__firstBody,
      codeBlocks: body.querySelectorAll('pre code').length,
      at: performance.now(),
    });
  };
  new MutationObserver(record).observe(document.getElementById('messages'),
    {subtree: true, childList: true, characterData: true, attributes: true});
}"""


# --- the answer grows ---------------------------------------------------------------------------------


def test_the_answer_appears_piece_by_piece_as_markdown_in_one_container(
    chat: Page, llm: FakeOpenAIServer, seen: Watched, output_dir: Path
) -> None:
    llm.default = Behaviour.streamed(MARKDOWN_PIECES, chunk_pause=0.25)
    chat.get_by_role("button", name="English").click()
    chat.evaluate(RECORD_SNAPSHOTS)
    send(chat, "Explain Amazon Lex with an example")
    answer = llm_answer(chat)
    expect(answer).to_have_attribute("data-answer-status", "done", timeout=20_000)
    assert seen.chat_bodies[-1]["stream"] is True

    snapshots: list[dict[str, Any]] = chat.evaluate("window.__snapshots")
    growing = [s for s in snapshots if s["status"] in ("pending", "running") and s["text"]]
    distinct = sorted({s["text"] for s in growing}, key=len)
    assert len(distinct) >= 4, f"the answer did not grow in steps: {distinct}"
    assert any(s["status"] == "running" for s in growing), "never marked as being written"
    assert growing[-1]["at"] - growing[0]["at"] > 1000, "all of the text came at once"
    for snapshot in snapshots:
        assert "```" not in snapshot["text"], f"raw fence shown: {snapshot['text']!r}"
        assert "**" not in snapshot["text"], f"raw bold markers shown: {snapshot['text']!r}"
        assert snapshot["sameBody"], "the answer's container was replaced"
    cut_in_code = [s for s in growing if "recognize_text" in s["text"] and "That" not in s["text"]]
    assert cut_in_code, "no snapshot inside the code block"
    assert all(s["codeBlocks"] == 1 for s in cut_in_code), "an open fence is not a code block"

    expect(answer.locator(".answer-text strong")).to_have_text("a managed service")
    expect(answer.locator(".answer-text pre code")).to_have_text("client.recognize_text(\n    text='hi',\n)")
    expect(answer.locator(".answer-text p code")).to_have_text("all")
    expect(answer.locator(".answer-notice")).to_have_count(0)
    expect(answer.locator(".badge")).to_have_count(1)
    chat.screenshot(path=str(output_dir / "streaming-done.png"))


def test_nothing_else_can_be_sent_while_an_answer_streams(
    chat: Page, llm: FakeOpenAIServer, seen: Watched
) -> None:
    llm.default = Behaviour.streamed(numbered_pieces(30), chunk_pause=0.1)
    send(chat, "긴 답변을 해줘")
    wait_for_text(chat, 10)
    chat.locator("#input").fill("그 사이에 다른 질문")
    expect(chat.locator("#send")).to_be_disabled()
    expect(chat.locator("#busy-hint")).to_be_visible()
    expect(chat.locator("#busy-hint")).to_contain_text("중지")
    chat.locator("#input").press("Enter")
    chat.wait_for_timeout(300)
    assert len(seen.chat_bodies) == 1, "a message was sent while the answer streamed"
    expect(chat.locator("#input")).to_have_value("그 사이에 다른 질문")  # kept for later
    expect(llm_answer(chat)).to_have_attribute("data-answer-status", "done", timeout=20_000)
    expect(chat.locator("#busy-hint")).to_be_hidden()
    expect(chat.locator("#send")).to_be_enabled()
    chat.locator("#input").press("Enter")
    expect(chat.locator("#messages .message.user")).to_have_count(2)


def test_intent_turns_are_not_streamed(chat: Page, seen: Watched) -> None:
    send(chat, "안녕하세요")
    expect(chat.locator("#messages .message.bot .bubble")).to_have_text([KO_GREETING])
    expect(chat.locator("#messages .message.bot .answer-text")).to_have_count(0)
    assert not [url for url in seen.urls if "/chat/answers/" in url]
    expect(chat.locator("#messages [data-action=regenerate]")).to_have_count(0)
    expect(chat.locator("#messages [data-action=copy]")).to_have_count(1)


def test_a_conversation_token_is_kept_for_the_browser(chat: Page) -> None:
    send(chat, "안녕하세요")
    expect(chat.locator("#messages .message.bot")).to_have_count(1)
    kept = chat.evaluate("JSON.parse(localStorage.getItem('chatbot.session.v1'))")
    tab = chat.evaluate("JSON.parse(sessionStorage.getItem('chatbot.conversation.v1'))")
    assert kept["sessionId"] == tab["sessionId"]
    assert isinstance(kept["conversationToken"], str)
    assert len(kept["conversationToken"]) >= 32
    assert kept["locale"] == "ko_KR"


# --- Stop ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["English", "한국어"])
def test_stop_mid_answer_keeps_the_text_marks_it_and_cancels_the_llm_request(
    chat: Page, llm: FakeOpenAIServer, output_dir: Path, language: str
) -> None:
    chat.get_by_role("button", name=language).click()
    answer, kept = stop_mid_answer(chat, llm)
    assert answer.locator(".answer-notice").inner_text().strip()
    expect(answer.locator("[data-action=stop]")).to_have_count(0)
    chat.wait_for_timeout(700)
    assert answer_text(chat) == kept, "text kept arriving after Stop"
    expect(chat.locator("#send")).to_be_disabled()  # enabled again once there is text to send
    chat.locator("#input").fill("next")
    expect(chat.locator("#send")).to_be_enabled()
    chat.screenshot(path=str(output_dir / f"streaming-stopped-{language}.png"))


def test_a_stopped_answer_is_still_stopped_and_whole_after_a_reload(
    chat: Page, llm: FakeOpenAIServer
) -> None:
    llm.default = Behaviour.streamed(numbered_pieces(100), chunk_pause=0.1)
    send(chat, "멈출 답변")
    answer = llm_answer(chat)
    wait_for_text(chat, 30)
    answer.locator("[data-action=stop]").click()
    expect(answer).to_have_attribute("data-answer-status", "stopped", timeout=5_000)
    kept = answer_text(chat)
    notice = answer.locator(".answer-notice").inner_text()
    chat.reload()
    chat.locator("body[data-ready=true]").wait_for()
    answer = llm_answer(chat)
    expect(answer).to_have_attribute("data-answer-status", "stopped")
    assert answer_text(chat) == kept
    expect(answer.locator(".answer-notice")).to_have_text(notice)
    expect(answer.locator("[data-action=regenerate]")).to_be_visible()


# --- reload, new tab ---------------------------------------------------------------------------------------


def test_a_reload_mid_answer_resumes_and_completes_it(chat: Page, llm: FakeOpenAIServer) -> None:
    reload_mid_answer_then_complete(chat, llm)


def test_a_new_tab_shows_the_conversation_and_the_answer_still_being_written(
    browser: Browser, contexts: list[BrowserContext], stream_server: DevServerProcess, llm: FakeOpenAIServer
) -> None:
    context = new_context(browser, contexts)
    first_seen, second_seen = Watched(), Watched()
    first = open_tab(context, stream_server, first_seen)
    send(first, "안녕하세요")
    expect(first.locator("#messages .message.bot .bubble")).to_have_text([KO_GREETING])
    pieces = numbered_pieces(40)
    llm.default = Behaviour.streamed(pieces, chunk_pause=0.1)
    first.get_by_role("button", name="새 대화").click()
    send(first, "두 번째 질문")
    wait_for_text(first, 20)

    second = open_tab(context, stream_server, second_seen)
    expect(second.locator("#messages .message.user .bubble")).to_have_text(["두 번째 질문"])
    answer = llm_answer(second)
    expect(answer).to_have_attribute("data-answer-status", "running")
    expect(answer).to_have_attribute("data-answer-status", "done", timeout=20_000)
    assert answer_text(second).strip() == "".join(pieces).strip()
    expect(llm_answer(first)).to_have_attribute("data-answer-status", "done", timeout=20_000)
    assert answer_text(first) == answer_text(second)
    # The new tab does not bring back the conversation "New chat" left.
    expect(second.locator("#messages .message")).to_have_count(2)
    assert first_seen.errors == second_seen.errors == []


def test_without_the_server_copy_the_tab_shows_what_it_had(
    chat: Page, stream_server: DevServerProcess
) -> None:
    send(chat, "안녕하세요")
    expect(chat.locator("#messages .message.bot")).to_have_count(1)
    chat.route(
        "**/chat/conversations/**",
        lambda route: route.fulfill(
            status=404, json={"error": {"code": "conversation_not_found", "message": "x"}}
        ),
    )
    chat.reload()
    chat.locator("body[data-ready=true]").wait_for()
    expect(chat.locator("#messages .message.bot .bubble")).to_have_text([KO_GREETING])
    expect(chat.locator("#messages .message.error")).to_have_count(0)


# --- faults ------------------------------------------------------------------------------------------------


def test_stop_before_the_first_token(chat: Page, llm: FakeOpenAIServer) -> None:
    llm.default = Behaviour.streamed(["never ", "shown"], first_token_delay=5.0)
    chat.get_by_role("button", name="English").click()
    send(chat, "Think hard first")
    answer = llm_answer(chat)
    request = streamed_request(llm)
    expect(answer.locator(".writing")).to_be_visible()
    answer.get_by_role("button", name="Stop writing this answer").click()
    expect(answer).to_have_attribute("data-answer-status", "stopped", timeout=5_000)
    assert request.client_gone.wait(5), "the LLM request was not cancelled"
    expect(answer.locator(".answer-notice")).to_be_visible()
    expect(answer.locator(".writing")).to_have_count(0)
    assert answer_text(chat).strip() == ""


def test_an_llm_stream_that_dies_keeps_the_part_marked_and_the_next_turn_works(
    chat: Page, llm: FakeOpenAIServer
) -> None:
    llm.script(
        Behaviour.stream_dies(4, chunks=numbered_pieces(12)),
        Behaviour.streamed(["Fine ", "again."], chunk_pause=0.02),
    )
    chat.get_by_role("button", name="English").click()
    send(chat, "First question")
    answer = llm_answer(chat)
    expect(answer).to_have_attribute("data-answer-status", "failed", timeout=20_000)
    assert answer_text(chat).strip() == "".join(numbered_pieces(4)).strip()
    expect(answer.locator(".answer-notice")).to_be_visible()
    send(chat, "Second question")
    expect(llm_answer(chat).locator(".answer-text")).to_have_text("Fine again.", timeout=20_000)
    expect(chat.locator("#messages .message.error")).to_have_count(0)


def test_a_cut_read_is_retried_from_its_cursor_and_says_it_is_reconnecting(
    chat: Page, llm: FakeOpenAIServer
) -> None:
    pieces = numbered_pieces(30)
    llm.default = Behaviour.streamed(pieces, chunk_pause=0.1)
    cut = {"left": 2}

    def flaky(route: Any) -> None:
        if cut["left"]:
            cut["left"] -= 1
            route.abort("connectionreset")
        else:
            route.continue_()

    chat.route("**/chat/answers/**", flaky)
    send(chat, "질문")
    answer = llm_answer(chat)
    expect(answer.locator(".answer-status")).to_contain_text("다시 연결", timeout=10_000)
    expect(answer).to_have_attribute("data-answer-status", "done", timeout=30_000)
    assert answer_text(chat).strip() == "".join(pieces).strip(), "text lost or repeated by the retries"
    expect(answer.locator(".answer-status")).to_be_hidden()


def test_a_second_tab_sending_while_the_first_streams_is_refused_clearly(
    browser: Browser, contexts: list[BrowserContext], stream_server: DevServerProcess, llm: FakeOpenAIServer
) -> None:
    context = new_context(browser, contexts)
    first_seen, second_seen = Watched(), Watched()
    first = open_tab(context, stream_server, first_seen)
    pieces = numbered_pieces(40)
    llm.script(Behaviour.streamed(["Short."]), Behaviour.streamed(pieces, chunk_pause=0.1))
    send(first, "짧은 답변")
    expect(llm_answer(first)).to_have_attribute("data-answer-status", "done", timeout=20_000)
    second = open_tab(context, stream_server, second_seen)
    expect(second.locator("#messages .message.bot .answer-text")).to_have_text(["Short."])
    send(first, "긴 답변")
    wait_for_text(first, 20)
    send(second, "끼어들기")
    error = second.locator("#messages .message.error")
    expect(error).to_contain_text("이전 메시지를 아직 처리하고 있어요")
    expect(error).to_contain_text("HTTP 409")
    # The second tab now shows the first tab's turn, and its answer as it is written.
    answer = llm_answer(second)
    expect(answer).to_have_attribute("data-answer-status", "done", timeout=20_000)
    assert answer_text(second).strip() == "".join(pieces).strip()
    expect(llm_answer(first)).to_have_attribute("data-answer-status", "done", timeout=20_000)
    assert [b["text"] for b in first_seen.chat_bodies] == ["짧은 답변", "긴 답변"]
    user_texts = second.locator("#messages .message.user .bubble").all_inner_texts()
    assert user_texts == ["짧은 답변", "긴 답변", "끼어들기"]


# --- Copy, Regenerate --------------------------------------------------------------------------------------


def test_copy_puts_the_markdown_on_the_clipboard_and_says_so(
    browser: Browser, contexts: list[BrowserContext], stream_server: DevServerProcess, llm: FakeOpenAIServer
) -> None:
    context = new_context(browser, contexts, permissions=["clipboard-read", "clipboard-write"])
    tab = open_tab(context, stream_server)
    llm.default = Behaviour.streamed(MARKDOWN_PIECES, chunk_pause=0.02)
    tab.get_by_role("button", name="English").click()
    send(tab, "Explain Lex")
    answer = llm_answer(tab)
    expect(answer).to_have_attribute("data-answer-status", "done", timeout=20_000)
    copy = answer.get_by_role("button", name="Copy this answer")
    copy.click()
    expect(copy).to_contain_text("Copied")
    assert tab.evaluate("navigator.clipboard.readText()") == MARKDOWN_TEXT
    expect(tab.locator("#announcer")).to_have_text("Copied")
    expect(copy).to_contain_text("Copy", timeout=5_000)
    expect(copy).not_to_contain_text("Copied")

    # From the keyboard: an intent answer's Copy, focused and pressed with Enter.
    tab.evaluate("navigator.clipboard.writeText('')")
    tab.get_by_role("button", name="한국어").click()
    send(tab, "안녕하세요")
    expect(tab.locator("#messages .message.bot")).to_have_count(2)
    intent_copy = tab.locator("#messages .message.bot").last.locator("[data-action=copy]")
    intent_copy.focus()
    tab.keyboard.press("Enter")
    expect(intent_copy).to_contain_text("복사했어요")
    assert tab.evaluate("navigator.clipboard.readText()") == KO_GREETING


def test_regenerate_replaces_the_last_answer_in_place(
    chat: Page, llm: FakeOpenAIServer, output_dir: Path
) -> None:
    llm.script(
        Behaviour.streamed(["The ", "first ", "answer."], chunk_pause=0.05),
        Behaviour.streamed(
            ["A ", "second, ", "different ", "answer ", "that ", "takes ", "a ", "while."], chunk_pause=0.3
        ),
    )
    chat.get_by_role("button", name="English").click()
    send(chat, "Tell me something")
    answer = llm_answer(chat)
    expect(answer).to_have_attribute("data-answer-status", "done", timeout=20_000)
    assert answer_text(chat) == "The first answer."
    message_id = answer.get_attribute("data-id")
    regenerate = answer.get_by_role("button", name="Write this answer again")
    regenerate.click()
    expect(answer).to_have_attribute("data-answer-status", "running", timeout=10_000)
    expect(answer.locator("[data-action=stop]")).to_be_visible()
    expect(answer.locator(".answer-text")).to_contain_text("second", timeout=10_000)
    expect(answer.locator(".answer-text")).not_to_contain_text("first")
    expect(answer).to_have_attribute("data-answer-status", "done", timeout=20_000)
    assert answer_text(chat) == "A second, different answer that takes a while."
    expect(chat.locator("#messages .message.bot")).to_have_count(1)
    assert llm_answer(chat).get_attribute("data-id") == message_id
    streamed = [r for r in llm.requests if r.streamed]
    assert len(streamed) == 2
    assert streamed[0].body is not None
    assert streamed[1].body is not None
    assert streamed[0].body["messages"] == streamed[1].body["messages"], "regenerate asked something else"
    chat.screenshot(path=str(output_dir / "streaming-regenerated.png"))

    # Only the last bot answer can be regenerated: after an intent turn the button is gone.
    send(chat, "Hello")
    expect(chat.locator("#messages .message.bot")).to_have_count(2)
    expect(chat.locator("#messages [data-action=regenerate]")).to_have_count(0)


def test_a_refused_regenerate_and_a_failed_stop_say_so_and_change_nothing(
    chat: Page, llm: FakeOpenAIServer
) -> None:
    llm.script(
        Behaviour.streamed(["Kept ", "as ", "it ", "was."], chunk_pause=0.02),
        Behaviour.streamed(numbered_pieces(60), chunk_pause=0.1),
    )
    chat.get_by_role("button", name="English").click()
    send(chat, "One")
    answer = llm_answer(chat)
    expect(answer).to_have_attribute("data-answer-status", "done", timeout=20_000)
    chat.route(
        "**/regenerate",
        lambda route: route.fulfill(
            status=409, json={"error": {"code": "cannot_regenerate", "message": "not the last answer"}}
        ),
    )
    answer.locator("[data-action=regenerate]").click()
    expect(answer.locator(".answer-status")).to_contain_text("Only the last LLM answer can be regenerated")
    assert answer_text(chat) == "Kept as it was."
    expect(chat.locator("#busy-hint")).to_be_hidden()

    send(chat, "Two")
    second = llm_answer(chat)
    wait_for_text(chat, 20)
    chat.route("**/stop", lambda route: route.abort("connectionreset"))
    second.locator("[data-action=stop]").click()
    expect(second.locator(".answer-status")).to_contain_text("Stop request didn't get through")
    expect(second.locator("[data-action=stop]")).to_be_enabled()
    chat.unroute("**/stop")
    second.locator("[data-action=stop]").click()
    expect(second).to_have_attribute("data-answer-status", "stopped", timeout=5_000)


# --- phone width -------------------------------------------------------------------------------------------


def assert_no_sideways_overflow(tab: Page) -> None:
    widths = tab.evaluate(
        """() => ({
      doc: document.documentElement.scrollWidth, win: window.innerWidth,
      conv: document.getElementById('conversation').scrollWidth,
      convClient: document.getElementById('conversation').clientWidth,
    })"""
    )
    assert widths["doc"] <= widths["win"], widths
    assert widths["conv"] <= widths["convClient"], widths


def assert_on_screen(tab: Page, button: Locator) -> None:
    box = button.bounding_box()
    viewport = tab.viewport_size
    assert box is not None
    assert viewport is not None
    assert box["x"] >= 0, box
    assert box["x"] + box["width"] <= viewport["width"], box
    assert box["y"] >= 0, box
    assert box["y"] + box["height"] <= viewport["height"], box
    assert min(box["height"], box["width"]) >= 28, f"too small to tap: {box}"


@pytest.mark.parametrize("language", ["한국어", "English"])
def test_phone_width_streaming_buttons_fit_and_are_reachable(
    browser: Browser,
    contexts: list[BrowserContext],
    stream_server: DevServerProcess,
    llm: FakeOpenAIServer,
    output_dir: Path,
    language: str,
) -> None:
    context = new_context(
        browser,
        contexts,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        permissions=["clipboard-read", "clipboard-write"],
    )
    tab = open_tab(context, stream_server)
    tab.get_by_role("button", name=language).click()
    long_line = "https://docs.aws.amazon.com/lexv2/latest/dg/" + "a-very-long-segment-" * 8
    llm.default = Behaviour.streamed(
        [*numbered_pieces(40), long_line, " ", *MARKDOWN_PIECES], chunk_pause=0.08
    )
    send(tab, "A long answer on a phone")
    answer = llm_answer(tab)
    wait_for_text(tab, 100)
    stop = answer.locator("[data-action=stop]")
    expect(stop).to_be_visible()
    assert_on_screen(tab, stop)
    assert_no_sideways_overflow(tab)
    expect(tab.locator("#busy-hint")).to_be_visible()
    tab.screenshot(path=str(output_dir / f"streaming-phone-writing-{language}.png"))
    expect(answer).to_have_attribute("data-answer-status", "done", timeout=30_000)
    assert_no_sideways_overflow(tab)
    for action in ("copy", "regenerate"):
        button = answer.locator(f"[data-action={action}]")
        button.scroll_into_view_if_needed()
        assert_on_screen(tab, button)
    answer.locator("[data-action=copy]").tap()
    expect(answer.locator("[data-action=copy]")).to_have_class(re.compile(r"\bcopied\b"))
    tab.screenshot(path=str(output_dir / f"streaming-phone-done-{language}.png"))
