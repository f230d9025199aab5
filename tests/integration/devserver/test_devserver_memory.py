"""Memory of the whole conversation, end to end on the dev server: what the user said to Lex's intents
and what the bot answered reach the LLM with the next fallback question, in both locales."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import requests

from devserver.process import DevServerProcess
from tests.fakes.openai_server import FakeOpenAIServer

CONVERSATIONS = {
    "ko_KR": (
        [
            ("안녕하세요", "제 이름은 Lex입니다. 당신의 이름은 무엇 입니까?"),
            ("민아", "당신의 이름은 민아입니까?"),
            ("네", "반갑습니다. 민아님.\n\nHelloWorld 의도를 종료합니다."),
        ],
        "내 이름이 뭐였지?",
    ),
    "en_US": (
        [
            ("Hello", "My name is Lex. What is your name?"),
            ("Mina", "Is your name Mina?"),
            ("yes", "Nice to meet you, Mina.\n\nEnding the HelloWorld intent."),
        ],
        "What was my name again?",
    ),
}


def say(
    http: requests.Session, server: DevServerProcess, text: str, session: str, locale: str
) -> dict[str, Any]:
    response = http.post(
        server.url + "/chat", json={"text": text, "sessionId": session, "locale": locale}, timeout=30
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def conversation_sent_to_the_llm(llm: FakeOpenAIServer) -> list[tuple[str, str]]:
    [request] = llm.requests
    assert request.body is not None
    return [(m["role"], m["content"]) for m in request.body["messages"] if m["role"] != "system"]


@pytest.mark.parametrize("locale", ["ko_KR", "en_US"])
def test_the_llm_sees_the_turns_lex_answered_before_it(
    server: DevServerProcess, http: requests.Session, llm: FakeOpenAIServer, locale: str
) -> None:
    turns, question = CONVERSATIONS[locale]
    session = f"memory-{uuid.uuid4()}"
    for text, answer in turns:
        body = say(http, server, text, session, locale)
        assert (body["source"], body["msg"]) == ("lex", answer)
    assert llm.requests == []

    llm.reply = "Mina." if locale == "en_US" else "민아님이에요."
    asked = say(http, server, question, session, locale)

    assert (asked["source"], asked["intent"]) == ("llm", "FallbackIntent")
    expected: list[tuple[str, str]] = []
    for text, answer in turns:
        expected += [("user", text), ("assistant", answer)]
    assert conversation_sent_to_the_llm(llm) == [*expected, ("user", question)]


def test_the_memory_keeps_growing_across_llm_and_lex_turns(
    server: DevServerProcess, http: requests.Session, llm: FakeOpenAIServer
) -> None:
    session = f"memory-{uuid.uuid4()}"
    llm.reply = "Lex is a chatbot service."
    assert say(http, server, "Explain Amazon Lex briefly", session, "en_US")["source"] == "llm"
    for text in ("Hello", "Tom", "yes"):
        assert say(http, server, text, session, "en_US")["source"] == "lex"
    llm.reset()
    llm.reply = "You asked about Amazon Lex."
    say(http, server, "What did I ask you first?", session, "en_US")
    assert conversation_sent_to_the_llm(llm) == [
        ("user", "Explain Amazon Lex briefly"),
        ("assistant", "Lex is a chatbot service."),
        ("user", "Hello"),
        ("assistant", "My name is Lex. What is your name?"),
        ("user", "Tom"),
        ("assistant", "Is your name Tom?"),
        ("user", "yes"),
        ("assistant", "Nice to meet you, Tom.\n\nEnding the HelloWorld intent."),
        ("user", "What did I ask you first?"),
    ]


def test_sessions_do_not_share_memory(
    server: DevServerProcess, http: requests.Session, llm: FakeOpenAIServer
) -> None:
    first, second = f"memory-{uuid.uuid4()}", f"memory-{uuid.uuid4()}"
    for text in ("Hello", "Tom", "yes"):
        say(http, server, text, first, "en_US")
    say(http, server, "Who are you?", second, "en_US")
    assert conversation_sent_to_the_llm(llm) == [("user", "Who are you?")]
