"""Time budgets of one /chat turn, nested so each waiter outlives what it waits for.

    LLM deadline < code-hook Lambda timeout <= Lex's code-hook limit (30 s)
    code-hook Lambda timeout < /chat's wait for Lex < /chat Lambda timeout < API Gateway's 29 s

The browser's request goes through API Gateway (29 s integration timeout) to the /chat Lambda,
which waits for Lex (RecognizeText), which waits for the code-hook Lambda, which waits for the
LLM. Each layer must give up before the one around it, with room to answer: then a slow LLM turns
into the bot's own "that took too long" message (Lex answers the FallbackIntent only when the
hook returns), never into API Gateway's `504 upstream_timeout`. Lex V2 waits 30 s for a code hook
when fulfillment updates are off (https://docs.aws.amazon.com/lexv2/latest/dg/streaming-progress.html);
API Gateway's 29 s binds first. Everything is derived here from `llmDeadlineSeconds`.

A streamed answer (issue 11) leaves that chain: the code hook hands the LLM call to the answer
worker, invoked asynchronously, whose only limit is Lambda's 15 minutes (`answer_worker_timeout`).
Its readers long-poll through API Gateway: each read waits at most LONG_POLL_SECONDS, inside the
answers Lambda's timeout, inside the 29 s.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

API_GATEWAY_INTEGRATION_SECONDS = 29
LEX_CODE_HOOK_LIMIT_SECONDS = 30
# The /chat Lambda ends 1 s before API Gateway gives up, so its own error answer gets through.
CHAT_LAMBDA_TIMEOUT_SECONDS = API_GATEWAY_INTEGRATION_SECONDS - 1
# /chat stops waiting for Lex this long before its own timeout: time to shape and log the answer.
CHAT_ANSWER_SECONDS = 2
LEX_READ_TIMEOUT_SECONDS = CHAT_LAMBDA_TIMEOUT_SECONDS - CHAT_ANSWER_SECONDS
# Lex's own work around the hook call (the invoke round trip, dialog step, the answer back).
LEX_TURN_SECONDS = 2
# The code hook's time beyond the LLM deadline: routing, the answer's shaping, the runtime's margin.
CODE_HOOK_MARGIN_SECONDS = 2
MIN_MARGIN_SECONDS = 1
MIN_LLM_DEADLINE_SECONDS = 1
MAX_LLM_DEADLINE_SECONDS = LEX_READ_TIMEOUT_SECONDS - LEX_TURN_SECONDS - CODE_HOOK_MARGIN_SECONDS


# Lambda's largest timeout (https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html).
LAMBDA_MAX_TIMEOUT_SECONDS = 900
# The answer worker's time beyond its LLM deadline: finish the record, charge the budget, write
# metrics, with room for a slow DynamoDB call or two.
ANSWER_WORKER_MARGIN_SECONDS = 60
MIN_ANSWER_DEADLINE_SECONDS = 10
MAX_ANSWER_DEADLINE_SECONDS = LAMBDA_MAX_TIMEOUT_SECONDS - ANSWER_WORKER_MARGIN_SECONDS
# The answers Lambda (GET /chat/answers/{id}) waits at most this long for new text, then answers
# with a keep-alive; its timeout leaves room to answer, and ends before API Gateway's.
LONG_POLL_SECONDS = 20
ANSWERS_LAMBDA_TIMEOUT_SECONDS = 25


class BudgetError(ValueError):
    """The budgets would not nest; the message names the layers that collide."""


@dataclass(frozen=True)
class TurnBudgets:
    """Seconds each layer of a /chat turn may take, innermost first."""

    llm_deadline: int
    code_hook_timeout: int
    lex_read_timeout: int
    chat_timeout: int
    api_gateway_timeout: int = API_GATEWAY_INTEGRATION_SECONDS

    def layers(self) -> list[tuple[str, int]]:
        """(name, seconds) from the innermost waiter to the outermost."""
        return [
            ("LLM deadline", self.llm_deadline),
            ("code-hook Lambda timeout", self.code_hook_timeout),
            ("/chat's wait for Lex", self.lex_read_timeout),
            ("/chat Lambda timeout", self.chat_timeout),
            ("API Gateway's integration timeout", self.api_gateway_timeout),
        ]

    def check(self) -> None:
        """BudgetError unless each layer is at least MIN_MARGIN_SECONDS inside the next and the code
        hook fits in Lex's limit."""
        layers = self.layers()
        for (inner, inner_s), (outer, outer_s) in itertools.pairwise(layers):
            if outer_s - inner_s < MIN_MARGIN_SECONDS:
                raise BudgetError(
                    f"{inner} ({inner_s} s) must end at least {MIN_MARGIN_SECONDS} s before "
                    f"{outer} ({outer_s} s)"
                )
        if self.code_hook_timeout > LEX_CODE_HOOK_LIMIT_SECONDS:
            raise BudgetError(
                f"code-hook Lambda timeout ({self.code_hook_timeout} s) exceeds Lex's "
                f"{LEX_CODE_HOOK_LIMIT_SECONDS} s code-hook limit"
            )


def turn_budgets(llm_deadline_seconds: int) -> TurnBudgets:
    """The nested budgets for an LLM deadline; BudgetError (naming the allowed range) if it cannot nest."""
    if not MIN_LLM_DEADLINE_SECONDS <= llm_deadline_seconds <= MAX_LLM_DEADLINE_SECONDS:
        raise BudgetError(
            f"an LLM deadline of {llm_deadline_seconds} s does not fit: it must be between "
            f"{MIN_LLM_DEADLINE_SECONDS} and {MAX_LLM_DEADLINE_SECONDS} s, so that the code hook "
            f"(+{CODE_HOOK_MARGIN_SECONDS} s) and Lex (+{LEX_TURN_SECONDS} s) answer within /chat's "
            f"{LEX_READ_TIMEOUT_SECONDS} s wait, inside API Gateway's {API_GATEWAY_INTEGRATION_SECONDS} s"
        )
    budgets = TurnBudgets(
        llm_deadline=llm_deadline_seconds,
        code_hook_timeout=llm_deadline_seconds + CODE_HOOK_MARGIN_SECONDS,
        lex_read_timeout=LEX_READ_TIMEOUT_SECONDS,
        chat_timeout=CHAT_LAMBDA_TIMEOUT_SECONDS,
    )
    budgets.check()
    return budgets


def answer_worker_timeout(answer_deadline_seconds: int) -> int:
    """The answer worker's Lambda timeout for an LLM deadline: the deadline plus its margin, within
    Lambda's 900 s; BudgetError (naming the allowed range) if it does not fit."""
    if not MIN_ANSWER_DEADLINE_SECONDS <= answer_deadline_seconds <= MAX_ANSWER_DEADLINE_SECONDS:
        raise BudgetError(
            f"an answer deadline of {answer_deadline_seconds} s does not fit: it must be between "
            f"{MIN_ANSWER_DEADLINE_SECONDS} and {MAX_ANSWER_DEADLINE_SECONDS} s, so that the answer "
            f"worker (+{ANSWER_WORKER_MARGIN_SECONDS} s to finish the answer) stays within Lambda's "
            f"{LAMBDA_MAX_TIMEOUT_SECONDS} s timeout"
        )
    return answer_deadline_seconds + ANSWER_WORKER_MARGIN_SECONDS
