"""Token budgets in the fallback turn: checked before the LLM is called, charged after an answer,
counted from the provider's usage fields when it reports them, else estimated."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pytest

from lambda_chatgpt import token_usage
from lambda_chatgpt.budget import BudgetLimits, TokenBudget
from lambda_chatgpt.codehook import Turn, parse_event
from lambda_chatgpt.deadline import Deadline
from lambda_chatgpt.fallback import Outcome, answer_turn
from lambda_chatgpt.llm import Message, TokenUsage
from lambda_chatgpt.settings import SettingsError
from lambda_chatgpt.texts import say
from usage_store import InMemoryUsageStore, UsageStoreError


class MeteredProvider:
    """Answers and reports `usage` the way a provider does after parsing the wire answer."""

    name = "fake"
    model = "fake-1"

    def __init__(self, usage: TokenUsage | None) -> None:
        self.usage = usage
        self.calls = 0

    def complete(self, messages: Sequence[Message], deadline: Deadline) -> str:
        self.calls += 1
        token_usage.record(self.usage)
        return "An answer."

    def complete_stream(self, messages: Sequence[Message], deadline: Deadline) -> Iterator[str]:
        raise AssertionError("the budget tests never stream")


class BrokenStore:
    def add_tokens(self, key: str, n: int, ttl_seconds: int) -> int:
        raise UsageStoreError("UpdateItem failed: ProvisionedThroughputExceededException")

    def get(self, key: str) -> int:
        raise UsageStoreError("GetItem failed: ProvisionedThroughputExceededException")


def a_turn(session: str = "s1", client: str | None = "c1", locale: str = "en_US") -> Turn:
    return Turn(
        session_id=session,
        locale=locale,
        transcript="Tell me about clouds",
        invocation_source="FulfillmentCodeHook",
        attributes={},
        intent={"name": "FallbackIntent"},
        request_attributes={"x-chatbot-client": client} if client else {},
    )


def run(turn: Turn, provider: MeteredProvider, budget: TokenBudget) -> Outcome:
    return answer_turn(
        turn,
        provider,
        system_prompt="Be brief.",
        history_limit=10,
        secret_name=None,
        deadline=Deadline.for_turn(5.0, None),
        budget=budget,
    )


def budget(conversation: int = 0, client_day: int = 0, store: object | None = None) -> TokenBudget:
    shared = store if store is not None else InMemoryUsageStore()
    return TokenBudget(BudgetLimits(conversation, client_day), store=lambda: shared)  # type: ignore[arg-type,return-value]


def test_the_conversation_budget_refuses_once_spent_without_calling_the_llm() -> None:
    provider = MeteredProvider(TokenUsage(60, 40))
    limits = budget(conversation=200)
    outcomes = [run(a_turn(), provider, limits) for _ in range(3)]
    assert [o.kind for o in outcomes] == ["answered", "answered", "budget_spent"]
    assert provider.calls == 2


def test_a_spent_conversation_says_so_in_the_users_language() -> None:
    limits = budget(conversation=1)
    run(a_turn(locale="ko_KR"), MeteredProvider(TokenUsage(5, 5)), limits)
    outcome = run(a_turn(locale="ko_KR"), MeteredProvider(None), limits)
    assert outcome.contents == [say("budget_conversation", "ko_KR")]


def test_another_conversation_of_the_same_client_is_not_held_back_by_the_first() -> None:
    limits = budget(conversation=100)
    run(a_turn(session="s1"), MeteredProvider(TokenUsage(100, 0)), limits)
    assert run(a_turn(session="s2"), MeteredProvider(None), limits).kind == "answered"


def test_the_client_day_budget_spans_conversations() -> None:
    limits = budget(client_day=150)
    provider = MeteredProvider(TokenUsage(50, 50))
    kinds = [run(a_turn(session=f"s{i}"), provider, limits).kind for i in range(3)]
    assert kinds == ["answered", "answered", "budget_spent"]


def test_a_spent_client_day_says_come_back_tomorrow() -> None:
    limits = budget(client_day=1)
    run(a_turn(session="a"), MeteredProvider(TokenUsage(1, 1)), limits)
    outcome = run(a_turn(session="b"), MeteredProvider(None), limits)
    assert outcome.contents == [say("budget_client_day", "en_US")]


def test_other_clients_keep_their_own_daily_budget() -> None:
    limits = budget(client_day=10)
    run(a_turn(client="c1"), MeteredProvider(TokenUsage(10, 0)), limits)
    assert run(a_turn(session="s9", client="c2"), MeteredProvider(None), limits).kind == "answered"


def test_a_turn_without_a_client_key_has_only_the_conversation_budget() -> None:
    limits = budget(client_day=1)
    provider = MeteredProvider(TokenUsage(5, 5))
    kinds = [run(a_turn(session=f"s{i}", client=None), provider, limits).kind for i in range(2)]
    assert kinds == ["answered", "answered"]


def test_the_provider_usage_fields_are_what_is_counted() -> None:
    outcome = run(a_turn(), MeteredProvider(TokenUsage(321, 12)), budget(conversation=10_000))
    assert outcome.tokens == 333


def test_without_usage_fields_the_tokens_are_estimated_from_the_texts() -> None:
    outcome = run(a_turn(), MeteredProvider(None), budget(conversation=10_000))
    assert outcome.tokens == token_usage.estimate_tokens(
        [m.content for m in _prompt_of(a_turn())] + ["An answer."]
    )


def _prompt_of(turn: Turn) -> list[Message]:
    from lambda_chatgpt.fallback import system_message

    return [system_message("Be brief.", turn.locale), Message("user", turn.transcript)]


def test_a_failing_store_lets_the_turn_through_and_says_why() -> None:
    outcome = run(a_turn(), MeteredProvider(None), budget(conversation=10, store=BrokenStore()))
    assert outcome.kind == "answered"
    assert outcome.budget_note is not None
    assert "ProvisionedThroughputExceededException" in outcome.budget_note


def test_unlimited_budgets_never_touch_the_store() -> None:
    outcome = run(a_turn(), MeteredProvider(None), budget(store=BrokenStore()))
    assert (outcome.kind, outcome.budget_note) == ("answered", None)


def test_the_estimate_counts_korean_more_heavily_per_character_than_english() -> None:
    assert token_usage.estimate_tokens(["안녕하세요"]) > token_usage.estimate_tokens(["hello"])


def test_usage_recorded_outside_a_meter_goes_nowhere() -> None:
    token_usage.record(TokenUsage(1, 1))
    with token_usage.metering() as meter:
        pass
    assert meter.total is None


def test_a_usage_with_a_missing_field_counts_what_it_has() -> None:
    with token_usage.metering() as meter:
        token_usage.record(TokenUsage(12, None))
        token_usage.record(TokenUsage(None, 5))
    assert meter.total == 17


def test_the_client_key_comes_from_the_request_attributes_of_the_event() -> None:
    event = {"sessionId": "s", "requestAttributes": {"x-chatbot-client": "abc", "bad": 3}}
    assert parse_event(event).request_attributes == {"x-chatbot-client": "abc"}


@pytest.mark.parametrize("raw", ["-1", "ten", "1.5"])
def test_a_limit_that_is_not_a_whole_number_is_a_settings_error(raw: str) -> None:
    with pytest.raises(SettingsError, match="LLM_TOKENS_PER_CONVERSATION"):
        BudgetLimits.from_env({"LLM_TOKENS_PER_CONVERSATION": raw})


def test_unset_limits_mean_unlimited() -> None:
    assert not BudgetLimits.from_env({}).enabled
