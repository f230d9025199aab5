"""Free text from the bot's LLM for a user's intent handler (`IntentRequest.ask_llm` in lexhook).

Same provider, settings and conversation memory as the FallbackIntent answer, under the turn's one
deadline, and the same token budgets: checked before the call (a spent budget raises
LlmBudgetSpentError), charged after it. It only reads the memory: `/chat` records the handler's turn
in it like any other. A streamed answer of the previous turn that has ended is folded in first
(`conversation_memory.fold_pending`), for this call only: `/chat`'s write-back keeps it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from . import token_usage
from .budget import charge_answer, spent_budget
from .codehook import clean_text
from .deadline import Deadline
from .fallback import system_message
from .llm import LlmBudgetSpentError, LlmError, LlmNotConfiguredError, Message
from .memory import alternating, load_history
from .settings import DEFAULT_DEADLINE_SECONDS, Settings, SettingsError
from .streamed import PENDING_ATTRIBUTE, answer_store, fold_memory


def turn_deadline(remaining_millis: int | None) -> Deadline:
    """The turn's deadline: LLM_DEADLINE_SECONDS, or what the Lambda has left minus a margin.

    Cheap on purpose (no provider is built): the router makes one for every handler call, and most
    handlers never ask the LLM.
    """
    try:
        cap = Settings.from_env(os.environ).deadline_seconds
    except SettingsError:
        cap = DEFAULT_DEADLINE_SECONDS
    return Deadline.for_turn(cap, remaining_millis)


def ask_llm(
    prompt: str,
    *,
    locale: str,
    attributes: Mapping[str, str],
    deadline: Deadline,
    instructions: str | None = None,
    session_id: str = "",
    client: str | None = None,
) -> str:
    """The LLM's answer to `prompt` after the remembered conversation; raises `LlmError`.

    `instructions` replaces the configured system prompt for this call (the user's locale is
    still named). A misconfigured LLM raises LlmNotConfiguredError.
    """
    from .handler import container  # the provider and its HTTP/AWS clients: built on first use only

    try:
        app = container()
    except SettingsError as error:
        raise LlmNotConfiguredError(f"misconfigured: {error}") from None
    text = prompt.strip()
    if not text:
        raise LlmError("empty prompt")
    if PENDING_ATTRIBUTE in attributes:
        # The previous turn streamed: its answer (ended by now) is part of what the LLM must see.
        try:
            store = answer_store()
        except Exception:  # a misconfigured store: answer from the memory as it is
            store = None
        attributes, _fold_note = fold_memory(attributes, locale, store)
    history, _note = load_history(attributes)
    limit = app.settings.history_messages
    recent = history[-limit:] if limit > 0 else []
    conversation = alternating([*recent, Message("user", clean_text(text))])
    system = system_message((instructions or "").strip() or app.settings.system_prompt, locale)
    messages = [system, *conversation]
    spent, _note = spent_budget(app.budget, session_id, client)
    if spent is not None:
        raise LlmBudgetSpentError(f"{spent} budget spent")
    with token_usage.metering() as meter:
        answer = clean_text(app.provider.complete(messages, deadline)).strip()
    tokens = meter.total
    if tokens is None:
        tokens = token_usage.estimate_tokens([*(m.content for m in messages), answer])
    charge_answer(app.budget, session_id, client, tokens)
    return answer
