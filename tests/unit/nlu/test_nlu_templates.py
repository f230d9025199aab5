"""Sample utterance templates: `{Slot}` wildcards, slot values in the user's spelling, bad templates."""

from __future__ import annotations

import pytest

from lex_emulator.nlu import MAX_SLOT_WORDS, NluBuildError, build_recognizer, extract_slot_values

KO_TEMPLATES = [
    "안녕하세요 저는 {Name}입니다",
    "안녕 나는 {Name}이야",
    "제 이름은 {Name}입니다",
    "내 이름은 {Name}이야",
]
EN_TEMPLATES = [
    "Hello, I am {Name}",
    "Hi, I'm {Name}",
    "My name is {Name}",
    "Hello, my name is {Name}",
    "Hello",
]


@pytest.mark.parametrize(
    ("utterance", "expected"),
    [
        ("안녕하세요 저는 민수입니다", {"Name": "민수"}),
        ("안녕하세요, 저는 민수 입니다!", {"Name": "민수"}),
        ("안녕 나는 지민이야", {"Name": "지민"}),
        ("안녕 나는 민수야", {"Name": "민수"}),
        ("내 이름은 김민수야 ㅎㅎ", {"Name": "김민수"}),
        ("안녕하세요", {}),
        ("오늘 날씨 어때?", {}),
    ],
)
def test_korean_slot_values(utterance: str, expected: dict[str, str]) -> None:
    assert dict(extract_slot_values(utterance, KO_TEMPLATES)) == expected


@pytest.mark.parametrize(
    ("utterance", "expected"),
    [
        ("Hi, I'm Alice", {"Name": "Alice"}),
        ("hi i\u2019m ALICE!!", {"Name": "ALICE"}),
        ("HELLO, MY NAME IS Jean-Luc", {"Name": "Jean-Luc"}),
        ("my name is Mary Jane.", {"Name": "Mary Jane"}),
        ("Hello", {}),
        ("My name is", {}),
    ],
)
def test_english_slot_values_keep_the_users_spelling(utterance: str, expected: dict[str, str]) -> None:
    assert dict(extract_slot_values(utterance, EN_TEMPLATES)) == expected


def test_the_most_specific_template_wins() -> None:
    values = extract_slot_values("hello my name is Bob", ["Hello {Greeting}", "Hello my name is {Name}"])
    assert dict(values) == {"Name": "Bob"}


def test_a_slot_takes_at_most_a_few_words() -> None:
    long_value = " ".join(["word"] * (MAX_SLOT_WORDS + 1))
    assert dict(extract_slot_values(f"my name is {long_value}", EN_TEMPLATES)) == {}
    assert (
        extract_slot_values("hi im looking for a cheap hotel in the city centre tonight", EN_TEMPLATES) == {}
    )


def test_a_sentence_that_only_starts_like_a_template_is_not_a_template_match() -> None:
    recognizer = build_recognizer({"Greeting": EN_TEMPLATES}, locale="en_US")
    (best,) = recognizer.recognize("Hi, I'm looking for the nearest gas station open tonight")
    assert dict(best.slots) == {}
    assert best.score < 0.40


def test_a_template_of_a_bare_slot_does_not_match_everything() -> None:
    recognizer = build_recognizer({"Name": ["{Name}"], "Greeting": ["hello", "hi"]}, locale="en_US")
    results = {result.intent: result for result in recognizer.recognize("what is the capital of France")}
    assert results["Name"].score < 0.40
    assert dict(results["Name"].slots) == {}


def test_two_slots_in_one_template() -> None:
    values = extract_slot_values("book a table for 4 at 7pm", ["book a table for {People} at {Time}"])
    assert dict(values) == {"People": "4", "Time": "7pm"}


def test_slot_names_follow_lex_rules() -> None:
    values = extract_slot_values("from Seoul to Busan", ["from {origin_city} to {Destination-2_}"])
    assert dict(values) == {"origin_city": "Seoul", "Destination-2_": "Busan"}


@pytest.mark.parametrize(
    ("sample", "message"),
    [
        ("my name is {Name", "unbalanced braces"),
        ("my name is Name}", "unbalanced braces"),
        ("hello {}", "invalid slot reference {}"),
        ("hello {first name}", "invalid slot reference {first name}"),
        ("hello {_Name}", "invalid slot reference {_Name}"),
    ],
)
def test_a_bad_template_is_a_clear_build_error_naming_the_intent(sample: str, message: str) -> None:
    with pytest.raises(NluBuildError) as raised:
        build_recognizer({"Greeting": ["hello", sample]}, locale="en_US")
    assert "intent Greeting" in str(raised.value)
    assert message in str(raised.value)
