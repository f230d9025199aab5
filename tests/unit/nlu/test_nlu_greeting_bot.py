"""The one-intent HelloWorld bot (bot/bot.json): greetings score at least 0.40, anything else less.

0.40 is the bot's NluConfidenceThreshold; below it the dialog engine answers FallbackIntent.
"""

from __future__ import annotations

import pytest

from lex_emulator.nlu import IntentRecognizer

THRESHOLD = 0.40

KO_GREETINGS = [
    "안녕하세요!",
    "안녕 ㅎㅎ",
    "안녕하세요~",
    "안녕하세요 저는 민수입니다",
    "안녕하세요 렉스님",
    "하이 ㅋㅋ",
    "반갑습니다!!",
    "처음 뵙겠습니다 잘 부탁드립니다",
    "좋은 아침",
    "내 이름은 지민이야",
]
KO_OTHER = [
    "Lex에 대해 설명해줘",
    "파이썬으로 정렬하는 법",
    "오늘 날씨 어때?",
    "피자 주문하고 싶어요",
    "대한민국의 수도는 어디야?",
    "농담 하나 해줘",
    "좋은 책 추천해 주세요",
    "안녕하세요 오늘 날씨가 어떤지 알려주실 수 있나요?",
    "ㅋㅋㅋ",
    "what is the capital of France?",
]
EN_GREETINGS = [
    "hello there",
    "hi!!",
    "HELLO",
    "good morning lex",
    "Hi, I'm Alice",
    "hey there!",
    "hello 😀",
    "greetings, lex",
    "nice to meet you!",
    "hi there how are you",
    "hellooo",
]
EN_OTHER = [
    "what is the capital of France?",
    "tell me a joke",
    "hallo world program in C",
    "hello world program in C",
    "how do I sort a list in python",
    "explain quantum computing in simple terms",
    "what's the weather like today",
    "goodbye",
    "hi, can you help me write a cover letter for a job application?",
    "good morning, what's the weather forecast for tomorrow in Seoul?",
    "Lex에 대해 설명해줘",
    "Could you summarise the history of the Roman Empire, from its founding to the fall of "
    "Constantinople, in about five paragraphs, and say which emperors mattered most?",
]


def top_score(recognizer: IntentRecognizer, text: str) -> float:
    (only,) = recognizer.recognize(text)
    assert only.intent == "HelloWorld"
    return only.score


@pytest.mark.parametrize("text", KO_GREETINGS)
def test_korean_greetings_reach_the_threshold(greeting_ko: IntentRecognizer, text: str) -> None:
    assert top_score(greeting_ko, text) >= THRESHOLD


@pytest.mark.parametrize("text", KO_OTHER)
def test_other_korean_input_stays_below_the_threshold(greeting_ko: IntentRecognizer, text: str) -> None:
    assert top_score(greeting_ko, text) < THRESHOLD


@pytest.mark.parametrize("text", EN_GREETINGS)
def test_english_greetings_reach_the_threshold(greeting_en: IntentRecognizer, text: str) -> None:
    assert top_score(greeting_en, text) >= THRESHOLD


@pytest.mark.parametrize("text", EN_OTHER)
def test_other_english_input_stays_below_the_threshold(greeting_en: IntentRecognizer, text: str) -> None:
    assert top_score(greeting_en, text) < THRESHOLD


@pytest.mark.parametrize(
    ("locale", "text", "name"),
    [
        ("ko_KR", "안녕하세요 저는 민수입니다", "민수"),
        ("ko_KR", "제 이름은 김지민입니다.", "김지민"),
        ("ko_KR", "안녕 나는 민수야", "민수"),
        ("en_US", "Hi, I'm Alice", "Alice"),
        ("en_US", "hello, my name is Mary Jane!", "Mary Jane"),
    ],
)
def test_a_greeting_with_a_name_fills_the_slot_in_the_users_spelling(
    greeting_ko: IntentRecognizer, greeting_en: IntentRecognizer, locale: str, text: str, name: str
) -> None:
    recognizer = greeting_ko if locale == "ko_KR" else greeting_en
    (best,) = recognizer.recognize(text)
    assert best.score >= 0.9
    assert dict(best.slots) == {"Name": name}


def test_exact_sample_utterances_score_near_one(
    greeting_ko: IntentRecognizer, greeting_en: IntentRecognizer
) -> None:
    assert top_score(greeting_ko, "안녕하세요") > 0.95
    assert top_score(greeting_en, "Nice to meet you") > 0.95


def test_a_greeting_without_a_name_fills_no_slot(greeting_en: IntentRecognizer) -> None:
    (best,) = greeting_en.recognize("hello there")
    assert dict(best.slots) == {}
