"""The coffee shop end to end, as `make serve BOT=examples/coffee_shop/bot.json` runs it: the dev
server, /chat, the Lex V2 emulator and the code hook with this bot's handlers, over HTTP.

Each dialog checks the whole pattern: Lex elicits, the dialog hook re-elicits a bad value, Lex
confirms, the fulfillment handler answers; and a question about something else reaches the LLM."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from devserver.process import DevServerProcess
from tests.fakes.openai_server import FakeOpenAIServer

BOT = "examples/coffee_shop/bot.json"
LLM_REPLY = "A fake LLM answer about something else."

Chat = Callable[[str], dict[str, Any]]


@pytest.fixture(scope="module")
def llm() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer(reply=LLM_REPLY) as server:
        yield server


@pytest.fixture(scope="module")
def server(llm: FakeOpenAIServer) -> Iterator[DevServerProcess]:
    env = {"BOT_DEFINITION": BOT, "OPENAI_BASE_URL": llm.base_url, "OPENAI_API_KEY": "sk-coffee-test"}
    with DevServerProcess(env=env) as process:
        yield process


def conversation(server: DevServerProcess, locale: str) -> Chat:
    session = f"coffee-{uuid.uuid4().hex}"

    def say(text: str) -> dict[str, Any]:
        reply = requests.post(
            f"{server.url}/chat", json={"text": text, "sessionId": session, "locale": locale}, timeout=30
        )
        assert reply.status_code == 200, reply.text
        body: dict[str, Any] = reply.json()
        return body

    return say


def test_an_english_order_with_a_bad_quantity_corrected(server: DevServerProcess) -> None:
    say = conversation(server, "en_US")

    asked = say("I'd like a latte")
    assert (asked["msg"], asked["source"]) == ("How many cups of latte?", "lex")
    corrected = say("40")
    assert corrected["msg"] == "We can make 1 to 10 cups per order. How many cups of latte?"
    assert corrected["source"] == "handler"
    assert say("2")["msg"] == "2 latte, is that right?"
    done = say("yes")

    assert done["msg"] == "Your order of 2 latte is in. Order number 1, total $8.50."
    assert (done["intent"], done["intentState"], done["source"]) == ("OrderCoffee", "Fulfilled", "handler")
    assert done["slots"] == {"Drink": "latte", "Quantity": "2"}


def test_a_korean_order_counts_the_sessions_orders(server: DevServerProcess) -> None:
    say = conversation(server, "ko_KR")

    assert say("아메리카노 주세요")["msg"] == "아메리카노 몇 잔 드릴까요?"
    assert say("12")["msg"] == "한 번에 1잔부터 10잔까지 주문할 수 있어요. 아메리카노 몇 잔 드릴까요?"
    assert say("2")["msg"] == "아메리카노 2잔, 맞으세요?"
    assert say("네")["msg"] == "아메리카노 2잔 주문을 접수했어요. 주문 번호는 1번, 금액은 9,000원입니다."
    say("카페모카 주세요")
    say("1")
    assert say("네")["msg"] == "카페모카 1잔 주문을 접수했어요. 주문 번호는 2번, 금액은 5,500원입니다."


def test_a_declined_order_is_cancelled_by_lex(server: DevServerProcess) -> None:
    say = conversation(server, "en_US")
    say("I want 3 cappuccino")

    declined = say("no")

    assert declined["msg"] == "Okay, I've cancelled that order."
    assert declined["intentState"] == "Failed"


@pytest.mark.parametrize(
    ("locale", "question"),
    [("en_US", "tell me a joke"), ("en_US", "recommend a good book"), ("ko_KR", "오늘 날씨 어때")],
)
def test_questions_about_something_else_still_reach_the_llm(
    server: DevServerProcess, locale: str, question: str
) -> None:
    answer = conversation(server, locale)(question)

    assert answer["intent"] == "FallbackIntent"
    assert answer["msg"] == LLM_REPLY
    assert answer["source"] == "llm"
