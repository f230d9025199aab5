"""The router as the bot's one code hook, through the emulator and unmodified boto3: a user's
handler answers its intent, an intent without a handler gets the bot's own responses, a failing
handler gets the intent's failure response, everything else reaches the LLM, and each turn says who
answered it (x-chatbot-answered-by)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.fakes.openai_server import FakeOpenAIServer
from tests.integration.codehook.conftest import LLM_REPLY

Say = Callable[..., dict[str, Any]]


def texts(response: dict[str, Any]) -> list[str]:
    return [m["content"] for m in response.get("messages", [])]


def answered_by(response: dict[str, Any]) -> str | None:
    value: str | None = response["sessionState"].get("sessionAttributes", {}).get("x-chatbot-answered-by")
    return value


def test_a_handler_fulfils_its_intent_after_lex_elicits_the_slot(say: Say, llm: FakeOpenAIServer) -> None:
    assert texts(say("I want tea", turn_id="t1")) == ["How many cups?"]
    done = say("3", turn_id="t2")

    assert texts(done) == ["Brewing 3 cups."]
    assert done["sessionState"]["intent"]["name"] == "OrderTea"
    assert done["sessionState"]["intent"]["state"] == "Fulfilled"
    assert answered_by(done) == "t2:handler"
    assert llm.requests == []


def test_an_intent_without_handler_plays_the_bots_success_response_never_the_llm(
    say: Say, llm: FakeOpenAIServer
) -> None:
    response = say("ping the shop", turn_id="p1")

    assert texts(response) == ["Pong from the bot."]
    assert response["sessionState"]["intent"]["state"] == "Fulfilled"
    assert answered_by(response) is None
    assert llm.requests == []


def test_a_raising_handler_gives_the_intents_failure_response(say: Say) -> None:
    response = say("I want a refund", turn_id="r1")

    assert texts(response) == ["Refunds are handled at the counter."]
    assert response["sessionState"]["intent"]["state"] == "Failed"


def test_off_topic_questions_still_reach_the_llm(say: Say, llm: FakeOpenAIServer) -> None:
    response = say("recommend a novel about pirates", turn_id="f1")

    assert response["sessionState"]["intent"]["name"] == "FallbackIntent"
    assert texts(response) == [LLM_REPLY]
    assert answered_by(response) == "f1:llm"


def test_a_handler_may_ask_the_llm_and_its_turn_is_still_the_handlers(
    say: Say, llm: FakeOpenAIServer
) -> None:
    llm.reply = "Steam curls like a slow thought."

    response = say("I would like 7 cups of tea", turn_id="h1")

    assert texts(response) == ["Brewing 7 cups.", "Steam curls like a slow thought."]
    assert answered_by(response) == "h1:handler"
    (request,) = llm.requests
    assert request.body is not None
    assert request.body["messages"][-1] == {"role": "user", "content": "Write one line about tea."}
