"""Lambda entry point for Lex's FallbackIntent fulfillment code hook.

Thin on purpose: read the event, build the deadline from the Lambda's remaining time, run the
turn (`fallback.answer_turn`, or `streamed.start_answer` when `/chat` asked for a stream and an
answer store is configured), write a Close response that fits Lex's limits, log one structured
line. It never raises and never returns a shape Lex rejects: the last `except` still answers a
valid Close. The event, the user's text, the key and the Authorization header are never logged.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.logging.logger import Logger

from container_setup import Lazy, quiet_botocore, safe_log_level

from .answered_by import Source, mark_pending, mark_response
from .codehook import FALLBACK_INTENT, Turn, close_response, fitted_response, parse_event
from .container import LlmParts, build_llm
from .deadline import Deadline, latency_fields, remaining_millis
from .fallback import answer_turn
from .settings import SettingsError
from .streamed import PENDING_ATTRIBUTE, answer_store, folded_turn, start_answer, ttl_seconds, wants_stream
from .texts import say
from .worker_invoke import invoke_worker

if TYPE_CHECKING:
    from answer_store import AnswerStore

quiet_botocore()  # its DEBUG output would print the API key in GetSecretValue

logger = Logger(service="llm-fallback", level=safe_log_level(os.environ.get("LOG_LEVEL")))

# Outcomes that are part of normal life (a slow or busy provider, a bot nobody configured yet) are
# warnings; the rest (rejected key, unreadable secret, provider errors) need someone's attention.
_WARNING_OUTCOMES = frozenset(
    {"timeout", "rate_limited", "bad_response", "not_configured", "budget_spent", "session_busy"}
)


# Built on the first turn (a bad setting is answered as a notice, not an import failure), then reused.
_container: Lazy[LlmParts] = Lazy(lambda: build_llm(os.environ, logger))


def container() -> LlmParts:
    """Settings, provider and budgets of this container, built from the environment on first use."""
    return _container.get()


def reset_container() -> None:
    """Forget the cached settings, provider, HTTP session and key (tests change the environment)."""
    _container.reset()


def handler(event: Any, context: Any) -> dict[str, Any]:
    """Answer one fallback turn with a Close response; never raises."""
    started = time.perf_counter()
    turn: Turn | None = None
    try:
        turn = parse_event(event)
        response, source = _answer(turn, context, started)
        if isinstance(source, PendingAnswer):
            return mark_pending(response, event, source.answer_id)
        return mark_response(response, event, source)
    except Exception:
        logger.exception(
            "unexpected failure; answering with a generic message",
            extra={"session_id": turn.session_id if turn else None, **latency_fields(started)},
        )
        return mark_response(_last_resort(turn), event, "notice")


def _answer(turn: Turn, context: Any, started: float) -> tuple[dict[str, Any], Source | PendingAnswer]:
    """The Close response and who wrote its text: the LLM (now, or later for a streamed turn), or a
    fixed notice."""
    fields: dict[str, Any] = {
        "session_id": turn.session_id,
        "locale": turn.locale,
        "intent": turn.intent.get("name"),
        "invocation_source": turn.invocation_source,
    }
    marker = say("truncated", turn.locale)
    try:
        app = container()
    except SettingsError as error:
        logger.error("the fallback Lambda is misconfigured", extra={**fields, "problem": str(error)})
        contents = [say("misconfigured", turn.locale)]
        return fitted_response(turn, contents, turn.attributes, turn.attributes, marker=marker), "notice"

    store: AnswerStore | None = None
    stream = wants_stream(turn)
    if stream or PENDING_ATTRIBUTE in turn.attributes:
        store = _answer_store(fields)
        turn, fold_note = folded_turn(turn, store)
        if fold_note:
            fields["fold_note"] = fold_note
    if stream and store is not None:
        try:
            ttl = ttl_seconds(os.environ)
        except SettingsError as error:
            logger.error("the fallback Lambda is misconfigured", extra={**fields, "problem": str(error)})
            contents = [say("misconfigured", turn.locale)]
            return fitted_response(turn, contents, turn.attributes, turn.attributes, marker=marker), "notice"
        outcome = start_answer(
            turn,
            store,
            system_prompt=app.settings.system_prompt,
            history_limit=app.settings.history_messages,
            ttl=ttl,
            invoke=invoke_worker,
            budget=app.budget,
        )
    else:
        deadline = Deadline.for_turn(app.settings.deadline_seconds, remaining_millis(context))
        fields["deadline_s"] = round(deadline.remaining(), 2)
        outcome = answer_turn(
            turn,
            app.provider,
            system_prompt=app.settings.system_prompt,
            history_limit=app.settings.history_messages,
            secret_name=app.settings.secret_name,
            deadline=deadline,
            budget=app.budget,
        )
    response = fitted_response(turn, outcome.contents, outcome.attributes, turn.attributes, marker=marker)
    fields.update(
        outcome=outcome.kind,
        provider=app.provider.name,
        model=app.provider.model,
        history_messages=outcome.history_messages,
        answer_chars=outcome.answer_chars,
        message_count=len(response["messages"]),
        memory_kept="llmHistory" in response["sessionState"]["sessionAttributes"],
    )
    if outcome.detail:
        fields["detail"] = outcome.detail
    if outcome.memory_note:
        fields["memory_note"] = outcome.memory_note
    if outcome.tokens:
        fields["tokens"] = outcome.tokens
    if outcome.budget_note:
        fields["budget_note"] = outcome.budget_note
    if outcome.answer_id:
        fields["answer_id"] = outcome.answer_id
    fields.update(latency_fields(started))
    if outcome.kind in ("answered", "empty_input", "streaming"):
        logger.info("fallback turn", extra=fields)
    elif outcome.kind in _WARNING_OUTCOMES:
        logger.warning("fallback turn", extra=fields)
    else:
        logger.error("fallback turn failed", extra=fields)
    if outcome.answer_id is not None:
        return response, PendingAnswer(outcome.answer_id)
    return response, "llm" if outcome.kind == "answered" else "notice"


@dataclass(frozen=True)
class PendingAnswer:
    """Who answers a streamed turn: the LLM, later, into this answer."""

    answer_id: str


def _answer_store(fields: dict[str, Any]) -> AnswerStore | None:
    """The answer store, None (streaming off for this turn, logged) when it cannot be built."""
    try:
        return answer_store()
    except Exception as error:  # a bad ANSWER_* variable or a client that cannot be built
        logger.error("the answer store is unavailable", extra={**fields, "problem": str(error)[:300]})
        return None


def _last_resort(turn: Turn | None) -> dict[str, Any]:
    """A valid Close even when everything else failed."""
    locale = turn.locale if turn else "en_US"
    try:
        if turn is not None:
            return close_response(turn, [say("unavailable", locale)], turn.attributes)
    except Exception:  # noqa: S110 - the fixed answer below is the fallback of the fallback
        pass
    return {
        "sessionState": {
            "dialogAction": {"type": "Close"},
            "intent": {"name": FALLBACK_INTENT, "state": "Fulfilled"},
        },
        "messages": [{"contentType": "PlainText", "content": say("unavailable", locale)}],
    }
