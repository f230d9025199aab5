"""Yes and no to a confirmation prompt, in Korean and English."""

from __future__ import annotations

import pytest

from lex_emulator.yes_no import Answer, classify_yes_no

YES = [
    "네", "넵", "예", "응", "ㅇㅇ", "맞아", "맞아요", "맞습니다", "그래", "좋아요", "네 맞아요",
    "네, 맞습니다!",
    "yes", "Yes.", "YEAH", "yep", "yup", "sure", "correct", "right", "that's right", "ok", "of course",
    "yes it is", "Yes, that is my name",
]  # fmt: skip
NO = [
    "아니", "아니요", "아니오", "아뇨", "아닙니다", "틀려", "틀렸어요", "ㄴㄴ", "아니요 틀렸어요",
    "no", "No!", "nope", "nah", "wrong", "incorrect", "that's wrong", "no, it's Bob", "not at all",
]  # fmt: skip
NEITHER = ["", "maybe", "I don't know", "글쎄요", "민수", "yes and no", "아니 맞아", "what?", "hello"]


@pytest.mark.parametrize("answer", YES)
def test_yes_answers(answer: str) -> None:
    assert classify_yes_no(answer) is Answer.YES


@pytest.mark.parametrize("answer", NO)
def test_no_answers(answer: str) -> None:
    assert classify_yes_no(answer) is Answer.NO


@pytest.mark.parametrize("answer", NEITHER)
def test_answers_that_are_neither(answer: str) -> None:
    assert classify_yes_no(answer) is None
