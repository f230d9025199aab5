"""The fallback Lambda's token budgets against a real chat-completions server on 127.0.0.1: the
usage fields the server sends (1 + 1 tokens per answer) are counted, and a spent budget is a
notice in the user's language with no LLM request at all."""

from __future__ import annotations

import copy
from typing import Any

import pytest

import lambda_chatgpt.handler as fallback_handler
import usage_store.port
from lambda_chatgpt.texts import say
from tests.fakes.openai_server import FakeOpenAIServer
from tests.integration.lambdas.codehook_contract import assert_fallback_close, texts
from tests.integration.lambdas.lambda_support import FakeLambdaContext, load_event

pytestmark = pytest.mark.usefixtures("fallback_env")
USAGE_PER_ANSWER = 2  # what tests/fakes/openai_server reports in every answer's `usage`


@pytest.fixture
def llm(fake_llm: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch) -> FakeOpenAIServer:
    fake_llm.reply = "Clouds are water droplets."
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-budget")
    # A fresh in-process store for each test (local mode shares one per process).
    monkeypatch.setattr(usage_store.port, "_shared_memory_store", None)
    return fake_llm


def turn(
    locale: str = "en_US", session: str = "budget-session", client: str | None = "c0ffee"
) -> dict[str, Any]:
    event = copy.deepcopy(load_event(f"lex_codehook_fallback_{locale}.json"))
    event["sessionId"] = session
    # The attributes /chat sends: the turn's id (for the answered-by marker) and the client key.
    event["requestAttributes"] = {"x-chatbot-turn": "turn-1"}
    if client is not None:
        event["requestAttributes"]["x-chatbot-client"] = client
    response = fallback_handler.handler(event, FakeLambdaContext(25_000))
    assert_fallback_close(response)
    return response


def test_the_usage_fields_count_so_three_answers_fit_in_five_tokens(
    llm: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLM_TOKENS_PER_CONVERSATION", str(2 * USAGE_PER_ANSWER + 1))
    answers = [texts(turn()) for _ in range(4)]
    assert answers[:3] == [["Clouds are water droplets."]] * 3
    assert answers[3] == [say("budget_conversation", "en_US")]
    assert len(llm.requests) == 3


def test_a_spent_daily_budget_answers_in_korean_for_a_korean_chat(
    llm: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLM_TOKENS_PER_CLIENT_DAY", str(USAGE_PER_ANSWER))
    turn("ko_KR", session="first")
    assert texts(turn("ko_KR", session="second")) == [say("budget_client_day", "ko_KR")]
    assert len(llm.requests) == 1


def test_a_spent_budget_is_marked_as_a_notice_not_an_llm_answer(
    llm: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLM_TOKENS_PER_CONVERSATION", "1")
    event_turn = turn()
    refused = turn()
    assert refused["sessionState"]["sessionAttributes"]["x-chatbot-answered-by"] == "turn-1:notice"
    assert event_turn["sessionState"]["sessionAttributes"]["x-chatbot-answered-by"] == "turn-1:llm"


def test_an_invalid_limit_is_the_misconfigured_notice(
    llm: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLM_TOKENS_PER_CLIENT_DAY", "lots")
    assert texts(turn()) == [say("misconfigured", "en_US")]
