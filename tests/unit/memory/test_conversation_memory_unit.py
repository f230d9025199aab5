"""The shared conversation memory (`conversation_memory`): reading robustly, trimming under the budget."""

from __future__ import annotations

import json

from conversation_memory import (
    ATTRIBUTE,
    SESSION_ATTRIBUTES_BUDGET_BYTES,
    Message,
    alternating,
    attributes_size,
    encode,
    load_history,
    remember,
)


def history_of(attributes: dict[str, str]) -> list[Message]:
    messages, note = load_history(attributes)
    assert note is None
    return messages


def test_no_attribute_means_no_memory() -> None:
    assert load_history({}) == ([], None)


def test_unreadable_or_foreign_values_start_afresh_with_a_note() -> None:
    for value in ("{not json", "[1,2]", '{"v": 2, "messages": []}', '"text"', json.dumps({"messages": 5})):
        messages, note = load_history({ATTRIBUTE: value})
        assert messages == []
        assert note


def test_bad_entries_are_skipped_and_good_ones_kept() -> None:
    value = json.dumps(
        {
            "v": 1,
            "messages": [
                {"role": "user", "content": "hi"},
                {"role": "system", "content": "x"},
                "junk",
                {"role": "assistant", "content": 5},
                {"role": "assistant", "content": "hello"},
            ],
        }
    )
    assert history_of({ATTRIBUTE: value}) == [Message("user", "hi"), Message("assistant", "hello")]


def test_a_turn_is_remembered_and_other_attributes_are_preserved() -> None:
    attributes = remember({"greetedName": "Mina"}, [], "질문", "답변", max_messages=10)
    assert attributes["greetedName"] == "Mina"
    assert history_of(attributes) == [Message("user", "질문"), Message("assistant", "답변")]
    assert "질문" in attributes[ATTRIBUTE]  # stored as UTF-8, not \\u escapes: half the bytes for Korean


def test_only_the_last_n_messages_are_kept_starting_with_a_question() -> None:
    attributes: dict[str, str] = {}
    for n in range(8):
        attributes = remember(attributes, history_of(attributes), f"q{n}", f"a{n}", max_messages=5)
    kept = history_of(attributes)
    assert [m.content for m in kept] == ["q6", "a6", "q7", "a7"]


def test_memory_stays_under_the_budget_dropping_the_oldest_first() -> None:
    attributes = {"other": "x" * 2000}
    for n in range(30):
        attributes = remember(
            attributes, history_of(attributes), f"question {n} " * 40, "긴 답변 " * 300, max_messages=10
        )
        assert attributes_size(attributes) <= SESSION_ATTRIBUTES_BUDGET_BYTES
    kept = history_of(attributes)
    assert kept[-2].content.startswith("question 29 ")
    assert kept[0].role == "user"
    assert attributes["other"] == "x" * 2000


def test_a_newest_pair_too_big_for_the_room_left_is_shortened() -> None:
    attributes = remember({"other": "y" * 6000}, [], "가" * 1000, "나" * 5000, max_messages=10)
    assert attributes_size(attributes) <= SESSION_ATTRIBUTES_BUDGET_BYTES
    kept = history_of(attributes)
    assert [m.role for m in kept] == ["user", "assistant"]
    assert kept[1].content.endswith("…")


def test_no_memory_when_other_attributes_leave_no_room_or_memory_is_off() -> None:
    crowded = {"other": "z" * SESSION_ATTRIBUTES_BUDGET_BYTES}
    assert remember(crowded, [], "q", "a", max_messages=10) == crowded
    old = {ATTRIBUTE: encode([Message("user", "q")]), "k": "v"}
    assert remember(old, [], "q", "a", max_messages=0) == {"k": "v"}


def test_alternating_starts_with_a_user_message_and_merges_repeats() -> None:
    history = [
        Message("assistant", "a0"),
        Message("user", "q1"),
        Message("user", "q2"),
        Message("assistant", "a2"),
    ]
    assert alternating(history) == [Message("user", "q1\n\nq2"), Message("assistant", "a2")]


def test_a_turn_the_bot_answered_without_a_message_remembers_the_question_only() -> None:
    attributes = remember({}, [], "고마워", "   ", max_messages=10)
    assert history_of(attributes) == [Message("user", "고마워")]
    attributes = remember(attributes, history_of(attributes), "Who are you?", "A bot.", max_messages=10)
    assert alternating(history_of(attributes)) == [
        Message("user", "고마워\n\nWho are you?"),
        Message("assistant", "A bot."),
    ]
