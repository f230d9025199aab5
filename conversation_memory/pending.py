"""Folding a streamed answer into the memory once it has ended (issue 11, docs/streaming-design.md).

A streamed LLM turn ends its Lex call with a placeholder: the answer is written later, into the
answer store, by a worker. The turn leaves the attribute `x-chatbot-pending-answer = <answerId>`
instead of remembering anything. The next turn, whoever serves it (the LLM fallback, an intent
handler asking the LLM, `/chat`'s write-back after a Lex-answered turn), calls `fold_pending` first:
once that answer has ended, its question and text are remembered exactly as the synchronous fallback
would have remembered them (the same `remember`, the same stripped text), so the memory does not
depend on whether the answer streamed. A stopped or broken answer is remembered with what it had
and a marker in the user's language, so the LLM knows it was cut; with no text nothing is
remembered (as a failed synchronous turn). The store is only read here, through the small protocol
below (`answer_store.AnswerStore` fits it), so this package still needs nothing but the standard
library.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from .history import load_history, remember

PENDING_ATTRIBUTE = "x-chatbot-pending-answer"
# Statuses of an answer still being written (answer_store.ACTIVE_STATUSES).
_ACTIVE = frozenset({"pending", "running"})
# How many regenerations the fold follows to the newest answer (a guard against a cycle).
_MAX_HOPS = 32

# What a cut answer ends with in the memory, by language (lambda_chatgpt.texts shows the same words).
MARKERS: Mapping[str, Mapping[str, str]] = {
    "stopped": {"ko": "(중단됨)", "en": "(stopped)"},
    "interrupted": {"ko": "(중간에 끊김)", "en": "(interrupted)"},
}


class AnswerRecord(Protocol):
    """What the fold reads of an answer (`answer_store.Answer` has all of it)."""

    @property
    def status(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def job(self) -> Mapping[str, Any]: ...
    @property
    def superseded_by(self) -> str | None: ...


class AnswerLookup(Protocol):
    """Where the fold finds an answer by id (`answer_store.AnswerStore` is one)."""

    def get(self, answer_id: str) -> AnswerRecord | None: ...


def marker(kind: str, locale: str) -> str:
    """The marker a cut answer gets in the memory: kind "stopped" or "interrupted"."""
    return MARKERS[kind]["ko" if locale.startswith("ko") else "en"]


def remembered_answer(status: str, text: str, locale: str) -> str:
    """The assistant's text the memory keeps for an ended answer ("" = nothing to remember):
    a done answer stripped as the providers strip a whole answer, a stopped or failed one with
    its marker."""
    kept = text.strip()
    if not kept or status == "done":
        return kept
    return f"{kept} {marker('stopped' if status == 'stopped' else 'interrupted', locale)}"


def fold_pending(attributes: Mapping[str, str], store: AnswerLookup | None, locale: str) -> dict[str, str]:
    """The session attributes with the pending streamed answer folded into the memory.

    Unchanged without `x-chatbot-pending-answer`, without a store, or while the answer (the newest
    of its regenerations) is still being written. Once it has ended, or when the store no longer
    knows it, the attribute is dropped and, if the answer has text, the question and the answer are
    remembered as `remember` does for a synchronous turn (its `historyLimit` from the job).
    Exceptions of `store.get` propagate (the caller decides whether to try again next turn).
    """
    answer_id = attributes.get(PENDING_ATTRIBUTE)
    if not answer_id or store is None:
        return dict(attributes)
    record = newest(store, answer_id)
    if record is not None and record.status in _ACTIVE:
        return dict(attributes)
    others = {key: value for key, value in attributes.items() if key != PENDING_ATTRIBUTE}
    if record is None:
        return others
    job = record.job
    question = job.get("question")
    limit = job.get("historyLimit")
    answer = remembered_answer(record.status, record.text, locale)
    if not answer or not isinstance(question, str) or not question.strip():
        return others
    if isinstance(limit, bool) or not isinstance(limit, int):
        return others
    history, _note = load_history(others)
    return remember(others, history, question.strip(), answer, max_messages=limit)


def newest(store: AnswerLookup, answer_id: str) -> AnswerRecord | None:
    """The answer, or the newest answer that regenerated it (following `superseded_by`)."""
    record = store.get(answer_id)
    hops = 0
    while record is not None and record.superseded_by and hops < _MAX_HOPS:
        newer = store.get(record.superseded_by)
        if newer is None:
            break
        record = newer
        hops += 1
    return record
