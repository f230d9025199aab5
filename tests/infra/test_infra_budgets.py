"""Time budgets of a /chat turn nest (cdk_chatbot/budgets.py), and the synthesized stack uses them.

The chain: LLM deadline < code-hook Lambda timeout <= Lex's 30 s code-hook limit, and code-hook
timeout < /chat's wait for Lex < /chat Lambda timeout < API Gateway's 29 s, each by >= 1 s.
"""

from __future__ import annotations

import itertools
import json

import pytest

from cdk_chatbot import budgets
from cdk_chatbot.app_factory import PROJECT_ROOT
from cdk_chatbot.budgets import (
    API_GATEWAY_INTEGRATION_SECONDS,
    LEX_CODE_HOOK_LIMIT_SECONDS,
    MAX_LLM_DEADLINE_SECONDS,
    BudgetError,
    TurnBudgets,
    turn_budgets,
)
from cdk_chatbot.config import ChatbotConfig, ConfigError
from lambda_chatgpt.settings import MAX_DEADLINE_SECONDS
from lambda_lex.settings import MAX_READ_TIMEOUT_SECONDS
from tests.infra.cfn import function_by_handler, props
from tests.infra.conftest import Synth

CHAT_HANDLER = "lambda_lex.handler.handler"
CODE_HOOK_HANDLER = "lambda_codehook.handler.handler"
CDK_CONTEXT = json.loads((PROJECT_ROOT / "cdk.json").read_text())["context"]


def _assert_nested(chain: list[int]) -> None:
    for inner, outer in itertools.pairwise(chain):
        assert outer - inner >= 1, chain


@pytest.mark.parametrize("deadline", range(1, MAX_LLM_DEADLINE_SECONDS + 1))
def test_every_allowed_deadline_nests_with_a_second_to_spare(deadline: int) -> None:
    found = turn_budgets(deadline)
    assert found.llm_deadline == deadline
    _assert_nested(
        [
            found.llm_deadline,
            found.code_hook_timeout,
            found.lex_read_timeout,
            found.chat_timeout,
            API_GATEWAY_INTEGRATION_SECONDS,
        ]
    )
    assert found.code_hook_timeout <= LEX_CODE_HOOK_LIMIT_SECONDS
    # What the Lambdas themselves accept (their own settings parsers' ceilings).
    assert found.lex_read_timeout <= MAX_READ_TIMEOUT_SECONDS
    assert found.llm_deadline <= MAX_DEADLINE_SECONDS


def test_the_largest_allowed_deadline_is_the_largest_that_nests() -> None:
    """One more second would leave less than the code hook's and Lex's margins before /chat gives up."""
    largest = turn_budgets(MAX_LLM_DEADLINE_SECONDS)
    assert largest.lex_read_timeout - largest.code_hook_timeout == budgets.LEX_TURN_SECONDS
    with pytest.raises(BudgetError, match=rf"between 1 and {MAX_LLM_DEADLINE_SECONDS} s"):
        turn_budgets(MAX_LLM_DEADLINE_SECONDS + 1)
    with pytest.raises(BudgetError):
        turn_budgets(0)


def _budgets(*seconds: int) -> TurnBudgets:
    return TurnBudgets(*seconds)


@pytest.mark.parametrize(
    ("budgets_", "message"),
    [
        (_budgets(20, 20, 26, 28), "LLM deadline"),
        (_budgets(20, 26, 26, 28), "code-hook"),
        (_budgets(20, 22, 28, 28), "wait for Lex"),
        (_budgets(20, 22, 26, 29), "/chat Lambda"),
        (_budgets(20, 31, 40, 50, 60), "Lex's 30 s"),
    ],
)
def test_a_collision_is_named(budgets_: TurnBudgets, message: str) -> None:
    with pytest.raises(BudgetError, match=message):
        budgets_.check()


def test_an_impossible_deadline_is_a_config_error_naming_the_key() -> None:
    with pytest.raises(ConfigError, match=r"'llmDeadlineSeconds'.*between 1 and") as caught:
        ChatbotConfig.from_mapping({**CDK_CONTEXT, "llmDeadlineSeconds": 25})
    assert "API Gateway" in str(caught.value)


def test_the_stack_uses_the_budgets_of_its_deadline(synth: Synth) -> None:
    expected = turn_budgets(int(synth.context["llmDeadlineSeconds"]))
    chat = props(function_by_handler(synth.template, CHAT_HANDLER)[1])
    hook = props(function_by_handler(synth.template, CODE_HOOK_HANDLER)[1])
    assert hook["Timeout"] == expected.code_hook_timeout
    assert hook["Environment"]["Variables"]["LLM_DEADLINE_SECONDS"] == str(expected.llm_deadline)
    assert chat["Timeout"] == expected.chat_timeout
    assert chat["Environment"]["Variables"]["LEX_READ_TIMEOUT_SECONDS"] == str(expected.lex_read_timeout)
    _assert_nested(
        [
            int(hook["Environment"]["Variables"]["LLM_DEADLINE_SECONDS"]),
            hook["Timeout"],
            int(float(chat["Environment"]["Variables"]["LEX_READ_TIMEOUT_SECONDS"])),
            chat["Timeout"],
            API_GATEWAY_INTEGRATION_SECONDS,
        ]
    )
