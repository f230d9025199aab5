"""Folding a streamed answer into the memory on the next turn (`conversation_memory.fold_pending`)
with the embedded answer store: done answers as the synchronous turn remembers them, stopped and
broken ones marked, empty ones forgotten, active ones left for later, regenerations followed."""

from __future__ import annotations

from typing import Any

import pytest

from answer_store import EmbeddedAnswerStore
from conversation_memory import (
    ATTRIBUTE,
    PENDING_ATTRIBUTE,
    Message,
    fold_pending,
    load_history,
    marker,
    remember,
)

TOKEN = "fold-test-token-" + "y" * 30
EARLIER = remember({}, [], "Hello there", "Hi! How can I help?", max_messages=10)


def job(question: str, limit: int = 10) -> dict[str, Any]:
    return {
        "messages": [{"role": "user", "content": question}],
        "question": question,
        "locale": "en_US",
        "sessionId": "s1",
        "client": None,
        "historyLimit": limit,
        "turn": "t2",
    }


@pytest.fixture
def store() -> EmbeddedAnswerStore:
    return EmbeddedAnswerStore()


def ended(
    store: EmbeddedAnswerStore,
    status: str,
    text: str,
    *,
    question: str = "What is Lex?",
    error_kind: str | None = None,
    limit: int = 10,
) -> str:
    answer_id = store.create(session_id="s1", token=TOKEN, job=job(question, limit), ttl_seconds=600)
    assert store.claim(answer_id) is not None
    if text:
        store.append(answer_id, text)
    store.finish(answer_id, status, error_kind=error_kind)
    return answer_id


def attributes(answer_id: str, **others: str) -> dict[str, str]:
    return {
        **EARLIER,
        "x-chatbot-answered-by": f"t2:llm-pending:{answer_id}",
        PENDING_ATTRIBUTE: answer_id,
        **others,
    }


def history(attrs: dict[str, str]) -> list[Message]:
    messages, note = load_history(attrs)
    assert note is None
    return messages


def test_a_done_answer_is_remembered_as_the_synchronous_turn_would(store: EmbeddedAnswerStore) -> None:
    answer_id = ended(store, "done", "  Lex is AWS's bot service.\n")
    before = attributes(answer_id, greeted="yes")

    folded = fold_pending(before, store, "en_US")

    synchronous = remember(
        {k: v for k, v in before.items() if k != PENDING_ATTRIBUTE},
        history(before),
        "What is Lex?",
        "Lex is AWS's bot service.",
        max_messages=10,
    )
    assert folded == synchronous
    assert PENDING_ATTRIBUTE not in folded
    assert folded["greeted"] == "yes"
    assert history(folded)[-2:] == [
        Message("user", "What is Lex?"),
        Message("assistant", "Lex is AWS's bot service."),
    ]


@pytest.mark.parametrize(
    ("status", "error_kind", "locale", "kind"),
    [
        ("stopped", None, "en_US", "stopped"),
        ("stopped", None, "ko_KR", "stopped"),
        ("failed", "unavailable", "en_US", "interrupted"),
        ("failed", "timeout", "ko_KR", "interrupted"),
    ],
)
def test_a_cut_answer_is_remembered_with_its_marker(
    store: EmbeddedAnswerStore, status: str, error_kind: str | None, locale: str, kind: str
) -> None:
    answer_id = ended(store, status, "Lex routes intents and", error_kind=error_kind)

    folded = fold_pending(attributes(answer_id), store, locale)

    assert history(folded)[-1] == Message("assistant", f"Lex routes intents and {marker(kind, locale)}")
    assert marker(kind, locale) in ("(stopped)", "(interrupted)", "(중단됨)", "(중간에 끊김)")


@pytest.mark.parametrize(("status", "error_kind"), [("stopped", None), ("failed", "timeout")])
def test_a_cut_answer_without_text_is_not_remembered(
    store: EmbeddedAnswerStore, status: str, error_kind: str | None
) -> None:
    answer_id = ended(store, status, "", error_kind=error_kind)
    before = attributes(answer_id)

    folded = fold_pending(before, store, "en_US")

    assert PENDING_ATTRIBUTE not in folded
    assert folded[ATTRIBUTE] == EARLIER[ATTRIBUTE]


def test_an_answer_still_being_written_is_left_for_a_later_turn(store: EmbeddedAnswerStore) -> None:
    answer_id = store.create(session_id="s1", token=TOKEN, job=job("Still?"), ttl_seconds=600)
    store.claim(answer_id)
    store.append(answer_id, "partial")
    before = attributes(answer_id)

    assert fold_pending(before, store, "en_US") == before


def test_an_unknown_or_expired_answer_only_drops_the_attribute(store: EmbeddedAnswerStore) -> None:
    before = attributes("3f1b6a4e-0000-4000-8000-000000000000")

    folded = fold_pending(before, store, "en_US")

    assert folded == {k: v for k, v in before.items() if k != PENDING_ATTRIBUTE}


def test_nothing_changes_without_the_attribute_or_without_a_store(store: EmbeddedAnswerStore) -> None:
    answer_id = ended(store, "done", "An answer.")
    assert fold_pending(EARLIER, store, "en_US") == EARLIER
    assert fold_pending(attributes(answer_id), None, "en_US") == attributes(answer_id)


def test_a_regenerated_answer_is_folded_as_its_newest_version(store: EmbeddedAnswerStore) -> None:
    first = ended(store, "done", "First try.")
    second = store.create(
        session_id="s1", token=TOKEN, job=job("What is Lex?"), ttl_seconds=600, replaces=first
    )
    store.claim(second)
    store.append(second, "Second, better try.")
    store.finish(second, "done")

    folded = fold_pending(attributes(first), store, "en_US")

    assert history(folded)[-1] == Message("assistant", "Second, better try.")
    assert "First try." not in folded[ATTRIBUTE]


def test_the_jobs_history_limit_bounds_the_memory(store: EmbeddedAnswerStore) -> None:
    answer_id = ended(store, "done", "Short answer.", limit=2)

    folded = fold_pending(attributes(answer_id), store, "en_US")

    assert history(folded) == [Message("user", "What is Lex?"), Message("assistant", "Short answer.")]
