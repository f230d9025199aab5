"""The fallback turn itself: memory, prompt, one provider call under the deadline, the reply.

Plain Python: no Lambda, no HTTP. Whatever the provider does, the outcome is a list of messages for
the user; only a successful answer changes the memory, so a failed turn leaves the conversation
as it was and the next turn works.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from . import token_usage
from .budget import CLIENT_ATTRIBUTE, TokenBudget, charge_answer, spent_budget
from .codehook import Turn, clean_text
from .deadline import Deadline
from .llm import LlmError, LlmProvider, Message
from .memory import alternating, load_history, remember
from .splitter import split_answer
from .texts import LANGUAGE_NAMES, failure_text, say


@dataclass(frozen=True)
class Outcome:
    """What a turn produced. `kind` is "answered", "empty_input" or an LlmError kind."""

    contents: list[str]
    attributes: dict[str, str]
    kind: str
    detail: str = ""
    history_messages: int = 0
    memory_note: str | None = None
    answer_chars: int = 0
    tokens: int = 0
    budget_note: str | None = None
    answer_id: str | None = None  # a streamed turn's answer, written after the turn by the worker


def system_message(prompt: str, locale: str) -> Message:
    """The configured prompt plus the user's locale, so the model knows which language to use."""
    name = LANGUAGE_NAMES.get(locale)
    where = f"{name} ({locale})" if name else locale
    return Message("system", f"{prompt}\n\nThe user's chat is set to {where}.")


def prompt_messages(
    locale: str, history: Sequence[Message], question: str, *, system_prompt: str, history_limit: int
) -> tuple[list[Message], list[Message]]:
    """What the provider is asked (system, the last `history_limit` remembered messages, the
    question) and the remembered part of it; the streamed turn asks exactly the same."""
    recent = alternating(history[-history_limit:]) if history_limit > 0 else []
    return [system_message(system_prompt, locale), *recent, Message("user", question)], recent


def answer_turn(
    turn: Turn,
    provider: LlmProvider,
    *,
    system_prompt: str,
    history_limit: int,
    secret_name: str | None,
    deadline: Deadline,
    budget: TokenBudget | None = None,
) -> Outcome:
    """Ask the provider about the turn's transcript, with the remembered conversation; with a
    `budget`, only when neither budget of the turn is spent (checked before the call)."""
    history, memory_note = load_history(turn.attributes)
    question = turn.transcript.strip()
    if not question:
        return Outcome([say("empty_input", turn.locale)], dict(turn.attributes), "empty_input")
    messages, recent = prompt_messages(
        turn.locale, history, question, system_prompt=system_prompt, history_limit=history_limit
    )
    client = turn.request_attributes.get(CLIENT_ATTRIBUTE) or None
    spent, budget_note = spent_budget(budget, turn.session_id, client)
    if spent is not None:
        text = say(f"budget_{spent}", turn.locale)
        return Outcome([text], dict(turn.attributes), "budget_spent", f"{spent} budget spent")
    try:
        with token_usage.metering() as meter:
            answer = clean_text(provider.complete(messages, deadline))
    except LlmError as error:
        return Outcome(
            [failure_text(error.kind, turn.locale, secret_name=secret_name)],
            dict(turn.attributes),
            error.kind,
            error.detail,
            len(recent),
            memory_note,
        )
    contents = split_answer(answer, say("truncated", turn.locale))
    attributes = remember(turn.attributes, history, question, answer, max_messages=history_limit)
    tokens = meter.total
    if tokens is None:
        tokens = token_usage.estimate_tokens([*(m.content for m in messages), answer])
    budget_note = charge_answer(budget, turn.session_id, client, tokens) or budget_note
    return Outcome(
        contents, attributes, "answered", "", len(recent), memory_note, len(answer), tokens, budget_note
    )
