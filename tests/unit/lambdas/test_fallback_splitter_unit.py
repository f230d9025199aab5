"""Splitting an answer into Lex messages: boundaries, limits, the marker, nothing lost."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from lambda_chatgpt.splitter import MAX_MESSAGE_CHARS, lex_length, split_answer, with_marker

MARKER = "… (cut)"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_short_answers_stay_whole_and_trimmed() -> None:
    assert split_answer("  Hello there.  ", MARKER) == ["Hello there."]
    assert split_answer("x" * MAX_MESSAGE_CHARS, MARKER) == ["x" * MAX_MESSAGE_CHARS]
    assert split_answer(" \n ", MARKER) == []


def test_cuts_prefer_paragraphs_then_lines_then_sentences() -> None:
    first = "A" * 700
    paragraphs = f"{first}\n\n{'B' * 600}"
    assert split_answer(paragraphs, MARKER) == [first, "B" * 600]
    sentences = ("This is one sentence. " * 60).strip()  # about 1300 characters
    pieces = split_answer(sentences, MARKER)
    assert len(pieces) == 2
    assert all(piece.endswith(".") for piece in pieces)


def test_korean_sentences_end_on_their_full_stop() -> None:
    text = " ".join(["한국어 문장은 이렇게 끝납니다."] * 80)
    pieces = split_answer(text, MARKER)
    assert len(pieces) > 1
    assert all(piece.endswith("다.") for piece in pieces)
    assert squash("".join(pieces)) == squash(text)


def test_text_without_any_boundary_is_cut_hard_at_the_limit() -> None:
    pieces = split_answer("x" * 2500, MARKER)
    assert [len(p) for p in pieces] == [1024, 1024, 452]


def test_emoji_count_twice_so_no_message_is_too_long_for_lex() -> None:
    pieces = split_answer("😀" * 600, MARKER)
    assert [len(p) for p in pieces] == [512, 88]
    assert all(lex_length(p) <= MAX_MESSAGE_CHARS for p in pieces)


def test_a_20_kb_answer_becomes_ten_messages_ending_with_the_marker() -> None:
    text = " ".join(f"Sentence number {n} of a very long answer." for n in range(600))
    assert len(text) > 20_000
    pieces = split_answer(text, MARKER)
    assert len(pieces) == 10
    assert all(1 <= lex_length(p) <= MAX_MESSAGE_CHARS for p in pieces)
    assert pieces[-1].endswith("\n" + MARKER)
    assert pieces[0].startswith("Sentence number 0 ")


def test_with_marker_makes_room_for_the_marker() -> None:
    marked = with_marker("word " * 300, MARKER)
    assert marked.endswith(MARKER)
    assert lex_length(marked) <= MAX_MESSAGE_CHARS


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=12_000))
def test_any_text_gives_valid_messages_and_loses_nothing_when_it_fits(text: str) -> None:
    pieces = split_answer(text, MARKER)
    assert len(pieces) <= 10
    assert all(piece and piece == piece.strip() for piece in pieces)
    assert all(lex_length(piece) <= MAX_MESSAGE_CHARS for piece in pieces)
    if not any(piece.endswith(MARKER) for piece in pieces):
        assert squash("".join(pieces)) == squash(text)
