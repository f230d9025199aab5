"""The kept conversation's contract, run against every store: its token, its turns in order within the
bound, its expiry, and the active answer it reports."""

from __future__ import annotations

import json

import pytest

from answer_store import AnswerStore
from answer_store.records import MAX_TURNS, MAX_TURNS_BYTES

from .conftest import Clock

TTL = 3600


def turn_pair(n: int) -> list[dict[str, object]]:
    return [
        {"role": "user", "text": f"question {n}", "at": 1000 + n},
        {"role": "bot", "source": "intent", "msg": f"reply {n}", "messages": [], "at": 1000 + n},
    ]


def test_the_conversation_token_is_given_once(store: AnswerStore) -> None:
    assert store.open_conversation("sess-1", "first-token", TTL) is True
    assert store.open_conversation("sess-1", "second-token", TTL) is False
    assert store.check_conversation_token("sess-1", "first-token") is True
    assert store.check_conversation_token("sess-1", "second-token") is False
    assert store.check_conversation_token("sess-2", "first-token") is False
    assert store.check_conversation_token("sess-1", "") is False


def test_turns_are_kept_in_order(store: AnswerStore) -> None:
    store.open_conversation("sess-1", "tok", TTL)
    store.append_turns("sess-1", turn_pair(1), TTL)
    store.append_turns("sess-1", turn_pair(2), TTL)
    conversation = store.conversation("sess-1")
    assert conversation is not None
    assert conversation.session_id == "sess-1"
    assert [dict(t) for t in conversation.turns] == turn_pair(1) + turn_pair(2)
    assert conversation.active_answer is None


def test_an_unknown_session_has_no_conversation(store: AnswerStore) -> None:
    assert store.conversation("nobody") is None


def test_only_the_newest_turns_are_kept(store: AnswerStore) -> None:
    for n in range(MAX_TURNS // 2 + 10):
        store.append_turns("sess-1", turn_pair(n), TTL)
    conversation = store.conversation("sess-1")
    assert conversation is not None
    assert len(conversation.turns) == MAX_TURNS
    assert conversation.turns[0]["text"] == "question 10"
    assert conversation.turns[-1]["msg"] == f"reply {MAX_TURNS // 2 + 9}"


def test_long_turns_are_dropped_oldest_first_to_stay_within_the_byte_bound(store: AnswerStore) -> None:
    long_text = "파도 " * 5_000  # ~40 KB of UTF-8 per turn
    for n in range(12):
        store.append_turns("sess-1", [{"role": "bot", "n": n, "msg": long_text}], TTL)
    conversation = store.conversation("sess-1")
    assert conversation is not None
    kept = [turn["n"] for turn in conversation.turns]
    assert kept == list(range(12 - len(kept), 12))
    assert 1 <= len(kept) < 12
    size = sum(len(json.dumps(dict(t), ensure_ascii=False).encode()) for t in conversation.turns)
    assert size <= MAX_TURNS_BYTES


def test_a_conversation_reports_its_active_answer(store: AnswerStore) -> None:
    store.open_conversation("sess-1", "tok", TTL)
    answer_id = store.create(session_id="sess-1", token="a-tok", job={}, ttl_seconds=TTL)
    store.append_turns("sess-1", [{"role": "bot", "source": "llm", "answerId": answer_id}], TTL)
    conversation = store.conversation("sess-1")
    assert conversation is not None
    assert conversation.active_answer == answer_id
    assert conversation.turns[0]["answerId"] == answer_id
    store.claim(answer_id)
    store.finish(answer_id, "done")
    after = store.conversation("sess-1")
    assert after is not None
    assert after.active_answer is None


def test_a_conversation_expires_and_starts_again_empty(store: AnswerStore, clock: Clock) -> None:
    store.open_conversation("sess-1", "old-token", 60)
    store.append_turns("sess-1", turn_pair(1), 60)
    clock.advance(61)
    assert store.conversation("sess-1") is None
    assert store.check_conversation_token("sess-1", "old-token") is False
    assert store.open_conversation("sess-1", "new-token", 60) is True
    store.append_turns("sess-1", turn_pair(2), 60)
    conversation = store.conversation("sess-1")
    assert conversation is not None
    assert [dict(t) for t in conversation.turns] == turn_pair(2)
    assert store.check_conversation_token("sess-1", "new-token") is True


def test_each_turn_expires_on_its_own_and_the_token_lives_as_long_as_the_newest(
    store: AnswerStore, clock: Clock
) -> None:
    store.open_conversation("sess-1", "tok", 60)
    for n in range(3):  # turns at +50, +100, +150 s; each kept 60 s
        clock.advance(50)
        store.append_turns("sess-1", turn_pair(n), 60)
    conversation = store.conversation("sess-1")
    assert conversation is not None
    assert [dict(t) for t in conversation.turns] == turn_pair(1) + turn_pair(2)  # pair 0 expired at +110
    assert conversation.expires_at >= clock.now + 60
    assert store.check_conversation_token("sess-1", "tok") is True  # opened for 60 s, 150 s ago
    clock.advance(59)
    conversation = store.conversation("sess-1")
    assert conversation is not None
    assert [dict(t) for t in conversation.turns] == turn_pair(2)
    assert store.check_conversation_token("sess-1", "tok") is True
    clock.advance(1)  # the newest turn has expired: no turns left, the token lives half a TTL more
    emptied = store.conversation("sess-1")
    assert emptied is not None
    assert emptied.turns == ()
    clock.advance(30)  # and half a TTL later, neither the conversation nor its token
    assert store.conversation("sess-1") is None
    assert store.check_conversation_token("sess-1", "tok") is False


def test_turns_added_in_the_same_instant_keep_their_order(store: AnswerStore) -> None:
    for n in range(25):  # the test clock does not move: every call in the same millisecond
        store.append_turns("sess-1", turn_pair(n), TTL)
    conversation = store.conversation("sess-1")
    assert conversation is not None
    assert [dict(t) for t in conversation.turns] == [t for n in range(25) for t in turn_pair(n)]


def test_adding_no_turns_changes_nothing(store: AnswerStore, clock: Clock) -> None:
    store.append_turns("sess-1", [], TTL)
    assert store.conversation("sess-1") is None
    store.append_turns("sess-1", turn_pair(1), 60)
    clock.advance(50)
    store.append_turns("sess-1", [], 60)
    clock.advance(11)
    assert store.conversation("sess-1") is None


def test_a_turn_past_the_byte_bound_on_its_own_is_not_kept_and_the_others_are(store: AnswerStore) -> None:
    store.append_turns("sess-1", turn_pair(1), TTL)
    store.append_turns("sess-1", [{"role": "bot", "msg": "x" * MAX_TURNS_BYTES}, *turn_pair(2)], TTL)
    conversation = store.conversation("sess-1")
    assert conversation is not None
    assert [dict(t) for t in conversation.turns] == turn_pair(1) + turn_pair(2)


def test_unicode_turns_round_trip_exactly(store: AnswerStore) -> None:
    turns = [
        {"role": "user", "text": "내일 부산 날씨 어때요? ☔️"},
        {"role": "bot", "msg": "맑아요 😎 — 25°C"},
    ]
    store.append_turns("세션", turns, TTL)
    conversation = store.conversation("세션")
    assert conversation is not None
    assert [dict(t) for t in conversation.turns] == turns


def test_stored_turns_are_copies(store: AnswerStore) -> None:
    turn: dict[str, object] = {"role": "user", "text": "original"}
    store.append_turns("sess-1", [turn], TTL)
    turn["text"] = "changed after the call"
    conversation = store.conversation("sess-1")
    assert conversation is not None
    assert conversation.turns[0]["text"] == "original"


@pytest.mark.parametrize(
    ("turns", "message"),
    [
        ([{"role": "user"}, "plain text"], r"turns\[1\] must be a JSON object"),
        ([{"at": {1, 2}}], r"turns\[0\] must be JSON-serializable"),
        ("not a list", "turns must be a list"),
    ],
)
def test_bad_turns_are_refused_by_name(store: AnswerStore, turns: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        store.append_turns("sess-1", turns, TTL)  # type: ignore[arg-type]
    assert store.conversation("sess-1") is None
