"""The streamed fallback turn (issue 11): the code hook's side of an answer written after the turn.

When `/chat` asks for a stream (request attribute `x-chatbot-stream = "1"`, with the turn's answer
token in `x-chatbot-answer-token`) and an answer store is configured, the code hook does not wait
for the LLM: it builds exactly the messages the synchronous turn would send, creates the answer
record (`store.create`, one active answer per session), hands it to the worker
(`worker_invoke.invoke_worker`) and closes the intent with a short placeholder. The worker writes the
answer into the store; the page reads it from there; the next turn folds it into the memory
(`conversation_memory.fold_pending`, also called here before the memory is read).

Without the attribute, or without a store, none of this runs and the turn is the synchronous one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from conversation_memory import PENDING_ATTRIBUTE, fold_pending

from .answered_by import TURN_ATTRIBUTE
from .budget import CLIENT_ATTRIBUTE, TokenBudget, spent_budget
from .codehook import Turn
from .fallback import Outcome, prompt_messages
from .memory import load_history
from .settings import SettingsError
from .texts import say

if TYPE_CHECKING:
    from answer_store import AnswerStore

STREAM_ATTRIBUTE = "x-chatbot-stream"
TOKEN_ATTRIBUTE = "x-chatbot-answer-token"  # noqa: S105 - the attribute's name, not a token

__all__ = [
    "PENDING_ATTRIBUTE",
    "STREAM_ATTRIBUTE",
    "TOKEN_ATTRIBUTE",
    "answer_store",
    "fold_memory",
    "folded_turn",
    "start_answer",
    "ttl_seconds",
    "wants_stream",
]


def answer_store() -> AnswerStore | None:
    """The configured answer store (`answer_store.from_env`), None when streaming is off."""
    from answer_store import from_env  # only turns that stream or fold pay for the import

    return from_env()


def ttl_seconds(environ: Mapping[str, str]) -> int:
    """How long answers and conversations are kept (`answer_store.ttl_seconds`, which reads
    CONVERSATION_TTL_SECONDS); SettingsError naming the variable when it is not usable."""
    from answer_store import ttl_seconds as store_ttl

    try:
        return store_ttl(environ)
    except ValueError as error:
        raise SettingsError(f"invalid configuration: {error}") from None


def wants_stream(turn: Turn) -> bool:
    """Whether `/chat` asked this turn to stream (and sent the token readers will present)."""
    attributes = turn.request_attributes
    return attributes.get(STREAM_ATTRIBUTE) == "1" and bool(attributes.get(TOKEN_ATTRIBUTE))


def fold_memory(
    attributes: Mapping[str, str], locale: str, store: AnswerStore | None
) -> tuple[dict[str, str], str | None]:
    """`fold_pending` for a turn that must answer whatever the store does: a failing store leaves
    the attributes as they are (the next turn tries again) and gives a note for the log."""
    if PENDING_ATTRIBUTE not in attributes or store is None:
        return dict(attributes), None
    try:
        return fold_pending(attributes, store, locale), None
    except Exception as error:  # the store's own errors (DynamoDB, ...): memory waits for a later turn
        return dict(attributes), f"pending answer not folded: {type(error).__name__}"


def folded_turn(turn: Turn, store: AnswerStore | None) -> tuple[Turn, str | None]:
    """The turn with its pending streamed answer (if any) folded into the memory."""
    attributes, note = fold_memory(turn.attributes, turn.locale, store)
    if attributes == turn.attributes:
        return turn, note
    return replace(turn, attributes=attributes), note


def start_answer(
    turn: Turn,
    store: AnswerStore,
    *,
    system_prompt: str,
    history_limit: int,
    ttl: int,
    invoke: Callable[[str], None],
    budget: TokenBudget | None = None,
) -> Outcome:
    """Create the answer and start the worker; the placeholder (or the notice saying why not).

    `turn` has its memory folded already. Kinds: "streaming" (the answer is being written; the
    outcome's `answer_id` names it), "empty_input", "budget_spent", "session_busy", "store_failed",
    "worker_unavailable" (the answer is marked failed so no reader waits for it).
    """
    from answer_store import SessionBusyError

    history, memory_note = load_history(turn.attributes)
    question = turn.transcript.strip()
    unchanged = dict(turn.attributes)
    if not question:
        return Outcome([say("empty_input", turn.locale)], unchanged, "empty_input")
    messages, recent = prompt_messages(
        turn.locale, history, question, system_prompt=system_prompt, history_limit=history_limit
    )
    client = turn.request_attributes.get(CLIENT_ATTRIBUTE) or None
    spent, budget_note = spent_budget(budget, turn.session_id, client)
    if spent is not None:
        text = say(f"budget_{spent}", turn.locale)
        return Outcome([text], unchanged, "budget_spent", f"{spent} budget spent")
    job = {
        "messages": [{"role": m.role, "content": m.content} for m in messages],
        "question": question,
        "locale": turn.locale,
        "sessionId": turn.session_id,
        "client": client,
        "historyLimit": history_limit,
        "turn": turn.request_attributes.get(TURN_ATTRIBUTE) or None,
    }
    token = turn.request_attributes[TOKEN_ATTRIBUTE]
    try:
        answer_id = store.create(session_id=turn.session_id, token=token, job=job, ttl_seconds=ttl)
    except SessionBusyError as busy:
        return Outcome(
            [say("session_busy", turn.locale)], unchanged, "session_busy", f"active answer {busy.answer_id}"
        )
    except Exception as error:  # the store failed (DynamoDB throttled, unreachable...)
        return Outcome(
            [say("unavailable", turn.locale)], unchanged, "store_failed", f"create: {type(error).__name__}"
        )
    try:
        invoke(answer_id)
    except Exception as error:  # no worker configured, or Lambda refused the invoke
        detail = f"worker not started: {error}"
        try:
            store.finish(answer_id, "failed", error_kind="unavailable")
        except Exception as finish_error:
            detail += f"; answer not finished: {type(finish_error).__name__}"
        return Outcome([say("unavailable", turn.locale)], unchanged, "worker_unavailable", detail[:300])
    attributes = {**unchanged, PENDING_ATTRIBUTE: answer_id}
    return Outcome(
        [say("streaming", turn.locale)],
        attributes,
        "streaming",
        history_messages=len(recent),
        memory_note=memory_note,
        budget_note=budget_note,
        answer_id=answer_id,
    )
