"""Sample utterances as slot-filling templates."""

from __future__ import annotations

import pytest

from lex_emulator.slot_types import resolve_slot_value
from lex_emulator.state import SlotValue
from lex_emulator.utterances import MAX_SPLITS, compile_template, compile_templates, exact_match, match_slots

TYPES = {"Name": "AMAZON.FirstName", "Count": "AMAZON.Number"}


def resolve(slot: str, text: str) -> SlotValue | None:
    return resolve_slot_value(TYPES[slot], text, {})


@pytest.mark.parametrize(
    ("template", "utterance", "name"),
    [
        ("제 이름은 {Name}입니다", "제 이름은 민수입니다", "민수"),
        ("제 이름은 {Name}입니다", "제 이름은 민수예요", "민수"),
        ("제 이름은 {Name}입니다", "제 이름은 지영이에요.", "지영"),
        ("안녕 나는 {Name}이야", "안녕 나는 민수야", "민수"),
        ("안녕하세요 저는 {Name}입니다", "안녕하세요, 저는 지영입니다!", "지영"),
        ("My name is {Name}", "my name is Carlos", "Carlos"),
        ("Hello, my name is {Name}", "Hello my name is Ana Sofia", "Ana Sofia"),
        ("Hi, I'm {Name}", "HI I'M BOB!", "BOB"),
    ],
)
def test_a_template_pulls_the_slot_value_out(template: str, utterance: str, name: str) -> None:
    values = match_slots(utterance, [compile_template(template)], resolve)

    assert values is not None
    assert values["Name"].interpreted == name


@pytest.mark.parametrize(
    ("template", "utterance"),
    [
        ("My name is {Name}", "My name is what?"),
        ("My name is {Name}", "Your name is Lex"),
        ("제 이름은 {Name}입니다", "오늘 날씨가 좋네요"),
    ],
)
def test_no_match_or_no_valid_value_gives_none(template: str, utterance: str) -> None:
    assert match_slots(utterance, [compile_template(template)], resolve) is None


def test_the_template_filling_the_most_slots_wins() -> None:
    templates = compile_templates(["I am {Name}", "I am {Name} and I want {Count} tickets"])

    values = match_slots("I am Ann and I want 3 tickets", templates, resolve)

    assert values is not None
    assert {name: value.interpreted for name, value in values.items()} == {"Name": "Ann", "Count": "3"}


def test_exact_match_ignores_case_and_punctuation_and_skips_templates_with_slots() -> None:
    templates = compile_templates(["Hello Lex", "My name is {Name}"])

    assert exact_match("hello, lex!", templates)
    assert not exact_match("hello there", templates)
    assert not exact_match("My name is {Name}", templates)


def test_two_adjacent_slots_split_between_words_not_after_one_character() -> None:
    names = {"FirstName": "AMAZON.FirstName", "LastName": "AMAZON.LastName"}

    values = match_slots(
        "My name is Kenji Watanabe",
        [compile_template("my name is {FirstName} {LastName}")],
        lambda slot, text: resolve_slot_value(names[slot], text, {}),
    )

    assert values is not None
    assert {name: value.interpreted for name, value in values.items()} == {
        "FirstName": "Kenji",
        "LastName": "Watanabe",
    }


def test_each_split_is_tried_until_every_slot_resolves() -> None:
    known = {"City": {"new york", "san jose"}, "Dish": {"pizza", "york pizza", "bagels"}}
    tried: list[tuple[str, str]] = []

    def only_known(slot: str, text: str) -> SlotValue | None:
        tried.append((slot, text))
        return SlotValue(text, text, (text,)) if text.casefold() in known[slot] else None

    values = match_slots("New York pizza", [compile_template("{City} {Dish}")], only_known)

    assert values is not None
    assert {name: value.interpreted for name, value in values.items()} == {
        "City": "New York",
        "Dish": "pizza",
    }
    assert ("City", "New") in tried  # the shorter first slot was tried first and did not resolve
    assert match_slots("Boston pizza", [compile_template("{City} {Dish}")], only_known) is None


def test_a_slot_before_literal_text_may_end_inside_a_word_in_korean() -> None:
    values = match_slots("제 이름은 민수예요", [compile_template("제 이름은 {Name}입니다")], resolve)

    assert values is not None
    assert values["Name"].interpreted == "민수"


def test_a_sample_also_matches_cut_after_one_of_its_slots() -> None:
    # "book a hotel in Chicago" fills City though the only sample with City goes on with a date.
    templates = compile_templates(["book a hotel in {Name} from {Count}", "{Name} and {Count}"])
    found = match_slots("book a hotel in Ann", templates, resolve)

    assert [template.text for template in templates] == [
        "book a hotel in {Name} from {Count}",
        "{Name} and {Count}",
        "book a hotel in {Name}",  # "{Name}" alone is no sample: too little to go on
    ]
    assert found is not None
    assert {name: value.interpreted for name, value in found.items()} == {"Name": "Ann"}
    full = match_slots("book a hotel in Ann from 3", templates, resolve)
    assert full is not None
    assert set(full) == {"Name", "Count"}


def test_the_search_for_a_split_is_bounded_on_long_inputs() -> None:
    calls: list[str] = []

    def never(slot: str, text: str) -> SlotValue | None:
        calls.append(text)
        return None

    text = " ".join(["word"] * 300) + " please"

    assert match_slots(text, [compile_template("{A} {B} {C} please")], never) is None
    assert len(calls) <= MAX_SPLITS * 3
