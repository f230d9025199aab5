"""The prompt carries at most `history_limit` remembered messages, even when the stored memory is longer
(as after LLM_HISTORY_MESSAGES is lowered): the newest ones, starting with a user message."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

import pytest

from lambda_chatgpt.codehook import Turn
from lambda_chatgpt.deadline import Deadline
from lambda_chatgpt.fallback import answer_turn
from lambda_chatgpt.llm import Message
from lambda_chatgpt.memory import ATTRIBUTE


class RecordingProvider:
    name = "fake"
    model = "fake-1"

    def __init__(self) -> None:
        self.prompts: list[list[Message]] = []

    def complete(self, messages: Sequence[Message], deadline: Deadline) -> str:
        self.prompts.append(list(messages))
        return "ok"

    def complete_stream(self, messages: Sequence[Message], deadline: Deadline) -> Iterator[str]:
        raise NotImplementedError("the fallback turn does not stream yet")


def stored_memory(pairs: int) -> dict[str, str]:
    messages = []
    for number in range(pairs):
        messages.append({"role": "user", "content": f"question {number}"})
        messages.append({"role": "assistant", "content": f"answer {number}"})
    return {ATTRIBUTE: json.dumps({"v": 1, "messages": messages})}


def prompt_for(history_limit: int, stored_pairs: int = 10) -> list[Message]:
    provider = RecordingProvider()
    turn = Turn(
        session_id="s",
        locale="en_US",
        transcript="and now?",
        invocation_source="FulfillmentCodeHook",
        attributes=stored_memory(stored_pairs),
        intent={"name": "FallbackIntent"},
    )
    outcome = answer_turn(
        turn,
        provider,
        system_prompt="You are a bot.",
        history_limit=history_limit,
        secret_name=None,
        deadline=Deadline.for_turn(5.0, None),
    )
    assert outcome.kind == "answered"
    (prompt,) = provider.prompts
    return prompt


@pytest.mark.parametrize("limit", [1, 2, 4, 6, 19])
def test_the_prompt_holds_at_most_history_limit_remembered_messages(limit: int) -> None:
    prompt = prompt_for(limit)
    remembered = prompt[1:-1]
    assert prompt[0].role == "system"
    assert prompt[-1] == Message("user", "and now?")
    assert len(remembered) <= limit
    assert len(remembered) >= limit - 1  # only a leading assistant message may be dropped
    if remembered:
        assert remembered[0].role == "user"
        assert remembered[-1] == Message("assistant", "answer 9")


def test_a_limit_of_zero_sends_no_memory() -> None:
    prompt = prompt_for(0)
    assert [m.role for m in prompt] == ["system", "user"]


def test_a_limit_above_what_is_stored_sends_all_of_it() -> None:
    prompt = prompt_for(50, stored_pairs=3)
    assert len(prompt) == 1 + 6 + 1
