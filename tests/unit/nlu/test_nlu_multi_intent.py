"""Bots with several intents: paraphrases rank their own intent first, unrelated text scores low."""

from __future__ import annotations

import pytest

from lex_emulator.nlu import IntentRecognizer, build_recognizer
from lex_emulator.nlu.recognizer import TEMPLATE_MATCH_SCORE

THRESHOLD = 0.40


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("hello there", "Greeting"),
        ("hey, good morning!", "Greeting"),
        ("I'd like to order a large pizza", "OrderPizza"),
        ("can i have a pepperoni pizza", "OrderPizza"),
        ("what's the weather like in Paris", "Weather"),
        ("will it rain tomorrow", "Weather"),
        ("weather", "Weather"),
    ],
)
def test_paraphrases_rank_their_intent_first_above_the_threshold(
    small_en: IntentRecognizer, text: str, intent: str
) -> None:
    best, runner_up, *_ = small_en.recognize(text)
    assert best.intent == intent
    assert best.score >= THRESHOLD
    assert runner_up.score < THRESHOLD


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("안녕하세요!", "HelloWorld"),
        ("커피 주문하고 싶어요", "OrderCoffee"),
        ("따뜻한 아메리카노 주세요", "OrderCoffee"),
    ],
)
def test_korean_paraphrases_rank_their_intent_first(
    small_ko: IntentRecognizer, text: str, intent: str
) -> None:
    best, runner_up = small_ko.recognize(text)
    assert (best.intent, best.score >= THRESHOLD, runner_up.score < THRESHOLD) == (intent, True, True)


@pytest.mark.parametrize("text", ["tell me a joke", "book a flight to Tokyo", "explain quantum computing"])
def test_unrelated_english_text_scores_below_the_threshold_for_every_intent(
    small_en: IntentRecognizer, text: str
) -> None:
    assert all(result.score < THRESHOLD for result in small_en.recognize(text))


@pytest.mark.parametrize("text", ["오늘 날씨 어때?", "파이썬으로 정렬하는 법", "Lex에 대해 설명해줘"])
def test_unrelated_korean_text_scores_below_the_threshold_for_every_intent(
    small_ko: IntentRecognizer, text: str
) -> None:
    assert all(result.score < THRESHOLD for result in small_ko.recognize(text))


def test_results_cover_every_intent_best_first(small_en: IntentRecognizer) -> None:
    results = small_en.recognize("order a pizza")
    assert sorted(result.intent for result in results) == ["Greeting", "OrderPizza", "Weather"]
    scores = [result.score for result in results]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    ("text", "intent", "slots"),
    [
        ("order a large pizza", "OrderPizza", {"Size": "large"}),
        (
            "I'd like a Medium pizza with extra cheese",
            "OrderPizza",
            {"Size": "Medium", "Topping": "extra cheese"},
        ),
        ("weather in San Francisco?", "Weather", {"City": "San Francisco"}),
        ("라떼 한 잔 주세요", "OrderCoffee", {"Drink": "라떼"}),
    ],
)
def test_slot_placeholders_match_any_value_and_capture_it(
    small_en: IntentRecognizer, small_ko: IntentRecognizer, text: str, intent: str, slots: dict[str, str]
) -> None:
    recognizer = small_ko if intent == "OrderCoffee" else small_en
    best = recognizer.recognize(text)[0]
    assert (best.intent, dict(best.slots)) == (intent, slots)
    assert best.score >= TEMPLATE_MATCH_SCORE


def test_two_intents_are_told_apart() -> None:
    recognizer = build_recognizer(
        {"Yes": ["yes", "yeah", "sure", "of course"], "No": ["no", "nope", "not at all", "no way"]},
        locale="en_US",
    )
    assert recognizer.recognize("yes sure")[0].intent == "Yes"
    assert recognizer.recognize("nope, no")[0].intent == "No"


def test_an_intent_without_sample_utterances_is_never_recognised() -> None:
    recognizer = build_recognizer({"Greeting": ["hello", "hi there"], "Silent": []}, locale="en_US")
    results = recognizer.recognize("hello")
    assert [(result.intent, result.score > 0.9) for result in results] == [
        ("Greeting", True),
        ("Silent", False),
    ]
    assert results[1].score == 0.0


def test_a_bot_without_any_sample_utterance_recognises_nothing() -> None:
    recognizer = build_recognizer({"A": [], "B": ["{Name}"]}, locale="en_US")
    assert [result.score for result in recognizer.recognize("hello")] == [0.0, 0.0]
