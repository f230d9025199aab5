"""Odd input never breaks recognition, bad bot input is a clear error, and results are deterministic."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lex_emulator.nlu import IntentRecognizer, NluBuildError, build_recognizer

from .conftest import SMALL_BOT_EN

ODD_INPUTS = [
    "",
    "   ",
    "\n\t\r",
    "😀😀😀",
    "🇰🇷 👋",
    "ㅋㅋㅋㅋ ㅠㅠ",
    "!!!???...",
    "\x00\x01\x7f",
    "e\u0301\u0301\u0301",
    "\u202emirrored\u202c",
    "مرحبا",
    "{Name}",
    "a" * 10_000,
    "안녕 " * 2_000,
    "hello " * 2_000,
    "x" * 1_024 + "\ud800",  # a lone surrogate, as a broken client might send
]


def check_shape(recognizer: IntentRecognizer, text: str, intents: int) -> None:
    results = recognizer.recognize(text)
    assert len(results) == intents
    assert all(0.0 <= result.score <= 1.0 for result in results)
    assert [result.score for result in results] == sorted((result.score for result in results), reverse=True)


@pytest.mark.parametrize("text", ODD_INPUTS)
def test_odd_input_gets_valid_scores_from_every_kind_of_bot(
    greeting_ko: IntentRecognizer, small_en: IntentRecognizer, text: str
) -> None:
    check_shape(greeting_ko, text, 1)
    check_shape(small_en, text, len(SMALL_BOT_EN))


@pytest.mark.parametrize("text", ["", "   ", "😀", "ㅋㅋㅋ", "?!"])
def test_input_without_words_scores_zero(
    greeting_en: IntentRecognizer, small_en: IntentRecognizer, text: str
) -> None:
    assert [result.score for result in greeting_en.recognize(text) + small_en.recognize(text)] == [0.0] * 4


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=300))
def test_any_text_gets_valid_scores(
    greeting_en: IntentRecognizer, small_en: IntentRecognizer, text: str
) -> None:
    check_shape(greeting_en, text, 1)
    check_shape(small_en, text, len(SMALL_BOT_EN))


def test_building_twice_gives_identical_scores() -> None:
    first = build_recognizer(SMALL_BOT_EN, locale="en_US")
    second = build_recognizer(SMALL_BOT_EN, locale="en_US")
    for text in ["hello there", "order a large pizza", "will it rain", "tell me a joke"]:
        assert first.recognize(text) == second.recognize(text) == first.recognize(text)


@pytest.mark.parametrize("locale", ["", "english", "EN_us", "en-US", None, 7])
def test_a_bad_locale_is_a_clear_error(locale: object) -> None:
    with pytest.raises(NluBuildError, match="locale must look like"):
        build_recognizer({"Greeting": ["hello"]}, locale=locale)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("intents", "message"),
    [
        ({"Greeting": "hello"}, "must be a list of strings, not one string"),
        ({"Greeting": ["hello", 3]}, "sample utterance 3 is not a string"),
        ({"": ["hello"]}, "intent names must be non-empty strings"),
    ],
)
def test_bad_intents_are_a_clear_error(intents: dict[str, object], message: str) -> None:
    with pytest.raises(NluBuildError, match=message):
        build_recognizer(intents, locale="en_US")  # type: ignore[arg-type]


def test_locales_such_as_latin_american_spanish_are_accepted() -> None:
    recognizer = build_recognizer({"Saludo": ["hola", "buenos días"]}, locale="es_419")
    assert recognizer.recognize("¡Hola!")[0].score > 0.9
