"""Recognisers shared by the NLU tests: the real HelloWorld bot and a small multi-intent bot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lex_emulator.nlu import IntentRecognizer, build_recognizer
from tests.bots import HELLO_WORLD

REPO = Path(__file__).resolve().parents[3]
BOT_DEFINITION = HELLO_WORLD  # the frozen HelloWorld (tests/bots), not the user's bot/bot.json
CLINC150_SUBSET = Path(__file__).resolve().parent / "data" / "clinc150_subset.json"

SMALL_BOT_EN = {
    "Greeting": ["Hello", "Hi", "Hey", "Hi there", "Good morning", "Nice to meet you", "Hi, I'm {Name}"],
    "OrderPizza": [
        "I want to order a pizza",
        "order a {Size} pizza",
        "can I get a pizza",
        "pizza please",
        "I'd like a {Size} pizza with {Topping}",
    ],
    "Weather": [
        "what's the weather",
        "weather in {City}",
        "is it going to rain",
        "how hot is it today",
        "forecast for tomorrow",
    ],
}
SMALL_BOT_KO = {
    "HelloWorld": ["안녕하세요", "안녕", "반갑습니다", "제 이름은 {Name}입니다"],
    "OrderCoffee": [
        "커피 주문할게요",
        "아메리카노 한 잔 주세요",
        "{Drink} 한 잔 주세요",
        "커피 마시고 싶어요",
    ],
}


def bot_locale_intents(locale: str) -> dict[str, list[str]]:
    """Intent name -> sample utterances of one locale of the frozen HelloWorld, FallbackIntent left out."""
    definition = json.loads(BOT_DEFINITION.read_text(encoding="utf-8"))
    (bot_locale,) = [entry for entry in definition["BotLocales"] if entry["LocaleId"] == locale]
    return {
        intent["Name"]: [sample["Utterance"] for sample in intent.get("SampleUtterances", [])]
        for intent in bot_locale["Intents"]
        if intent.get("ParentIntentSignature") != "AMAZON.FallbackIntent"
    }


@pytest.fixture(scope="session")
def greeting_ko() -> IntentRecognizer:
    return build_recognizer(bot_locale_intents("ko_KR"), locale="ko_KR")


@pytest.fixture(scope="session")
def greeting_en() -> IntentRecognizer:
    return build_recognizer(bot_locale_intents("en_US"), locale="en_US")


@pytest.fixture(scope="session")
def small_en() -> IntentRecognizer:
    return build_recognizer(SMALL_BOT_EN, locale="en_US")


@pytest.fixture(scope="session")
def small_ko() -> IntentRecognizer:
    return build_recognizer(SMALL_BOT_KO, locale="ko_KR")
