"""A handler's `ask_llm` spends the same token budgets as the FallbackIntent answer: checked before the
call (a spent budget raises, the LLM is not called), charged after it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pytest

import lambda_chatgpt.handler as fallback_handler
from lambda_chatgpt import token_usage
from lambda_chatgpt.ask import ask_llm
from lambda_chatgpt.budget import BudgetLimits, TokenBudget
from lambda_chatgpt.container import LlmParts
from lambda_chatgpt.deadline import Deadline
from lambda_chatgpt.llm import LlmBudgetSpentError, Message, TokenUsage
from lambda_chatgpt.settings import Settings
from usage_store import InMemoryUsageStore


class CountingProvider:
    name = "fake"
    model = "fake-1"

    def __init__(self, usage: TokenUsage) -> None:
        self.usage = usage
        self.calls = 0

    def complete(self, messages: Sequence[Message], deadline: Deadline) -> str:
        self.calls += 1
        token_usage.record(self.usage)
        return "a short poem"

    def complete_stream(self, messages: Sequence[Message], deadline: Deadline) -> Iterator[str]:
        raise AssertionError("not streamed")


@pytest.fixture
def provider(monkeypatch: pytest.MonkeyPatch) -> CountingProvider:
    fake = CountingProvider(TokenUsage(30, 20))
    store = InMemoryUsageStore()
    budget = TokenBudget(BudgetLimits(per_conversation=120, per_client_day=0), store=lambda: store)
    container = LlmParts(Settings.from_env({}), fake, budget)
    monkeypatch.setattr(fallback_handler, "container", lambda: container)
    return fake


def ask(session: str, client: str | None = "c1") -> str:
    return ask_llm(
        "write a poem",
        locale="en_US",
        attributes={},
        deadline=Deadline.for_turn(5.0, None),
        session_id=session,
        client=client,
    )


def test_a_handlers_llm_calls_spend_the_conversation_budget_then_are_refused(provider: Any) -> None:
    answers = [ask("s1"), ask("s1"), ask("s1")]  # 50 tokens each: 150 >= 120 after the third
    assert answers == ["a short poem"] * 3
    with pytest.raises(LlmBudgetSpentError):
        ask("s1")
    assert provider.calls == 3  # the refused call never reached the LLM


def test_another_conversation_has_its_own_budget(provider: Any) -> None:
    for _ in range(3):
        ask("s1")
    assert ask("s2") == "a short poem"
