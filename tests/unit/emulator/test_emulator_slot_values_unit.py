"""Slot value extraction: AMAZON.FirstName, AMAZON.Number, AMAZON.AlphaNumeric and custom slot types."""

from __future__ import annotations

import pytest

from lex_emulator.definition import CustomSlotType, SlotTypeValue
from lex_emulator.slot_types import (
    extract_first_name,
    parse_alphanumeric,
    parse_number,
    resolve_custom,
    resolve_slot_value,
)
from lex_emulator.state import SlotValue


@pytest.mark.parametrize(
    ("answer", "name"),
    [
        ("민수", "민수"),
        ("제 이름은 민수입니다", "민수"),
        ("제 이름은 이서윤이에요", "이서윤"),
        ("저는 지영이에요", "지영"),
        ("민수예요", "민수"),
        ("철수야", "철수"),
        ("내 이름은 하나야", "하나"),
        ("지영이요", "지영"),
        ("저는 수지라고 합니다", "수지"),
        ("김민수라고 해요", "김민수"),
        ("민수 입니다.", "민수"),
        ("김 민수", "김 민수"),
        ("Bob", "Bob"),
        ("My name is John", "John"),
        ("my name's john", "john"),
        ("I'm Mary Ann", "Mary Ann"),
        ("Hi, I'm Ann!", "Ann"),
        ("call me Jean-Luc", "Jean-Luc"),
        ("it's O'Brien.", "O'Brien"),
        ("This is Lex", "Lex"),
    ],
)
def test_a_name_is_taken_out_of_the_usual_phrasings(answer: str, name: str) -> None:
    assert extract_first_name(answer) == name


@pytest.mark.parametrize(
    "answer",
    [
        "",
        "   ",
        "12345",
        "R2D2",
        "what is your name?",
        "what is the weather like today",
        "I am not telling you",
        "yes",
        "nope",
        "hello",
        "안녕하세요",
        "네",
        "아니요",
        "오늘 날씨 어때",
        "날씨 알려줘",
        "뭐라고요",
        "누구세요",
        "몰라요",
        "이름이 뭐예요?",
        "Alexander the Great Of Macedonia",
    ],
)
def test_an_answer_that_is_not_a_name_gives_none(answer: str) -> None:
    assert extract_first_name(answer) is None


@pytest.mark.parametrize(
    ("answer", "number"),
    [
        ("42", "42"),
        ("1,200", "1200"),
        ("-3.5", "-3.5"),
        ("I need 7 tickets", "7"),
        ("forty two", "42"),
        ("twenty-one", "21"),
        ("a hundred and five", "105"),
        ("two thousand", "2000"),
        ("삼십오", "35"),
        ("삼십오요", "35"),
        ("백이십", "120"),
        ("이천이십사", "2024"),
        ("스물셋", "23"),
        ("열두 살", "12"),
        ("세 개", "3"),
        ("다섯 명이요", "5"),
    ],
)
def test_numbers_are_read_from_digits_and_words(answer: str, number: str) -> None:
    assert parse_number(answer) == number


@pytest.mark.parametrize("answer", ["네", "hello", "I have 3 and 4", "", "다음에요"])
def test_an_answer_without_exactly_one_number_gives_none(answer: str) -> None:
    assert parse_number(answer) is None


@pytest.mark.parametrize(
    ("answer", "value"),
    [("ABC123", "ABC123"), ("my code is ab12cd", "ab12cd"), ("order 12345 please", "12345"), ("7F.", "7F")],
)
def test_alphanumeric_values_prefer_words_mixing_letters_and_digits(answer: str, value: str) -> None:
    assert parse_alphanumeric(answer) == value


def test_alphanumeric_with_a_regex_takes_the_word_that_matches() -> None:
    assert parse_alphanumeric("my booking is AB 1234 thanks", r"[A-Z]{2}\d{4}") == "AB1234"
    assert parse_alphanumeric("it is XY99", r"[A-Z]{2}\d{4}") is None


SIZES = (
    SlotTypeValue("small", ("little", "tiny")),
    SlotTypeValue("large", ("big", "huge")),
    SlotTypeValue("피자", ("핏자",)),
)


@pytest.mark.parametrize(
    ("answer", "original", "resolved"),
    [
        ("small", "small", "small"),
        ("A Big one please", "Big", "large"),
        ("tiny", "tiny", "small"),
        ("피자를 주세요", "피자", "피자"),
        ("핏자", "핏자", "피자"),
        ("larg", "larg", "large"),
    ],
)
def test_custom_values_resolve_to_their_slot_type_value(answer: str, original: str, resolved: str) -> None:
    keep = resolve_custom(CustomSlotType("Size", SIZES, "OriginalValue"), answer)
    top = resolve_custom(CustomSlotType("Size", SIZES, "TopResolution"), answer)

    assert keep == SlotValue(original=original, interpreted=original, resolved=(resolved,))
    assert top == SlotValue(original=original, interpreted=resolved, resolved=(resolved,))


def test_a_custom_value_must_be_a_whole_word_in_latin_script() -> None:
    assert resolve_custom(CustomSlotType("Size", SIZES), "bigger than that") is None
    assert resolve_custom(CustomSlotType("Size", SIZES), "medium") is None


def test_resolve_slot_value_dispatches_on_the_slot_type() -> None:
    custom = {"Size": CustomSlotType("Size", SIZES, "TopResolution")}

    assert resolve_slot_value("AMAZON.FirstName", "I'm Ann", custom) == SlotValue("Ann", "Ann", ("Ann",))
    assert resolve_slot_value("AMAZON.Number", "forty two", custom) == SlotValue("42", "42", ("42",))
    assert resolve_slot_value("AMAZON.AlphaNumeric", "code A1", custom) == SlotValue("A1", "A1", ("A1",))
    assert resolve_slot_value("Size", "huge", custom) == SlotValue("huge", "large", ("large",))
    assert resolve_slot_value("Size", "hello", custom) is None
