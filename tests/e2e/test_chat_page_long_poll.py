"""The page reading a streamed answer the way it must in AWS: buffered long polls (issue 11).

API Gateway cannot stream a Lambda's response, so in the stack `GET /chat/answers/{id}` returns
whenever there is new text and the page asks again with `after=<cursor>`. The dev server serves
the route that way with `ANSWER_READS=long-poll` (lambda_answers' handler, the embedded store,
the worker in a thread), and here a real browser runs the real page against it: the answer grows
in several reads from increasing cursors, never repeats or loses text, Stop works, and a reload
mid-answer resumes from the server's copy.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from devserver.process import DevServerProcess
from tests.e2e.browser_support import Watched, open_chat, watch
from tests.e2e.test_chat_page_streaming import (
    answer_text,
    llm_answer,
    numbered_pieces,
    reload_mid_answer_then_complete,
    send,
    stop_mid_answer,
    stream_env,
    wait_for_text,
)
from tests.fakes.openai_server import Behaviour, FakeOpenAIServer

pytestmark = pytest.mark.e2e

ANSWER_READ = re.compile(r"/chat/answers/[^/?]+\?")


@pytest.fixture(scope="module")
def poll_server(fake_llm: FakeOpenAIServer) -> Iterator[DevServerProcess]:
    with DevServerProcess(env=stream_env(fake_llm, ANSWER_READS="long-poll")) as process:
        yield process


@pytest.fixture
def chat(context: BrowserContext, poll_server: DevServerProcess, seen: Watched) -> Iterator[Page]:
    tab = context.new_page()
    watch(tab, seen)
    open_chat(tab, poll_server)
    yield tab
    assert seen.errors == [], "the page logged errors (CSP violations, exceptions)"


def read_cursors(seen: Watched) -> list[int]:
    """The `after` of every answer read the page made, in order."""
    cursors = []
    for url in seen.urls:
        if ANSWER_READ.search(url):
            cursors.append(int(parse_qs(urlsplit(url).query)["after"][0]))
    return cursors


def test_the_answer_comes_whole_through_several_reads_from_growing_cursors(
    chat: Page, llm: FakeOpenAIServer, seen: Watched
) -> None:
    pieces = numbered_pieces(24)
    llm.default = Behaviour.streamed(pieces, chunk_pause=0.15)
    send(chat, "긴 답변을 해줘")
    partial = wait_for_text(chat, 20)
    assert len(partial) < len("".join(pieces).strip()), "the text came all at once"
    answer = llm_answer(chat)
    expect(answer).to_have_attribute("data-answer-status", "done", timeout=30_000)
    assert answer_text(chat).strip() == "".join(pieces).strip(), "text lost or repeated between reads"
    cursors = read_cursors(seen)
    assert len(cursors) >= 3, f"one read per batch of new text expected, saw {cursors}"
    assert cursors[0] == 0
    assert cursors == sorted(cursors), cursors
    assert len(set(cursors)) == len(cursors), f"a cursor was read twice: {cursors}"
    expect(answer.locator(".answer-notice")).to_have_count(0)
    expect(chat.locator("#send")).to_have_attribute("aria-busy", "false")


def test_stop_between_reads_keeps_the_text_and_cancels_the_llm_request(
    chat: Page, llm: FakeOpenAIServer
) -> None:
    stop_mid_answer(chat, llm)


def test_a_reload_mid_answer_resumes_from_the_server_and_completes(chat: Page, llm: FakeOpenAIServer) -> None:
    reload_mid_answer_then_complete(chat, llm)
