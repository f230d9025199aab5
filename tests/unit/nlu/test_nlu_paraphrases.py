"""Small bots (5 samples per intent): paraphrases reach their intent, unrelated questions the fallback.

The bots here are written for these tests (the benchmark's bots are in bench/data). Scores go
through `IntentRanker`, as in the emulator: the locale's NluConfidenceThreshold places
FallbackIntent, which has no score (Lex V2 developer guide, "Using intent confidence scores").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pytest

import lex_emulator.nlu.recognizer as recognizer_module
from lex_emulator.definition import IntentDef, LocaleDef
from lex_emulator.nlu import IntentRecognizer, NluBuildError, build_recognizer
from lex_emulator.nlu.embeddings import SWITCH, default_encoder, embedding_text
from lex_emulator.nlu.recognizer import _BuildingInBackground
from lex_emulator.recognition import IntentRanker, Ranked
from lex_emulator.state import SlotValue

THRESHOLD = 0.40
FALLBACK = "FallbackIntent"

ASSISTANT_EN = {
    "RecommendMovie": [
        "recommend a movie",
        "what movie should I watch",
        "suggest a film",
        "any good movies to see",
        "I want to watch a movie tonight, any ideas",
    ],
    "BookTable": [
        "book a table",
        "reserve a table for {People} people",
        "I'd like a dinner reservation",
        "can I get a table tonight",
        "make a restaurant booking",
    ],
    "TrackPackage": [
        "where is my package",
        "track my order",
        "has my parcel shipped",
        "when will my delivery arrive",
        "tracking number {Number}",
    ],
    "ResetPassword": [
        "reset my password",
        "I forgot my password",
        "I can't log in",
        "change my password",
        "my account is locked",
    ],
    "PlayMusic": [
        "play some music",
        "play {Song}",
        "put on a song",
        "I want to listen to music",
        "start my playlist",
    ],
}
ASSISTANT_KO = {
    "RecommendMovie": [
        "영화 추천해줘",
        "뭐 볼까",
        "볼만한 영화 있어",
        "오늘 밤에 영화 보고 싶어",
        "영화 하나 골라줘",
    ],
    "BookTable": [
        "식당 예약해줘",
        "{People}명 자리 예약할게요",
        "저녁 예약하고 싶어요",
        "오늘 저녁 테이블 있어요",
        "레스토랑 예약",
    ],
    "TrackPackage": [
        "택배 어디쯤이야",
        "주문한 거 배송 조회",
        "택배 발송됐어",
        "배송 언제 와",
        "송장번호 {Number}",
    ],
    "ResetPassword": [
        "비밀번호 초기화",
        "비밀번호 잊어버렸어요",
        "로그인이 안 돼요",
        "비밀번호 변경",
        "계정이 잠겼어요",
    ],
    "PlayMusic": ["음악 틀어줘", "{Song} 틀어줘", "노래 틀어", "음악 듣고 싶어", "플레이리스트 재생"],
}
EN_PARAPHRASES = [
    ("can you suggest a comedy film for tonight", "RecommendMovie"),
    ("is there a good movie on tonight", "RecommendMovie"),
    ("I need a table for four at 7", "BookTable"),
    ("where's my parcel right now", "TrackPackage"),
    ("I can't remember my login password", "ResetPassword"),
]
KO_PARAPHRASES = [
    ("오늘 밤에 볼 코미디 영화 골라줄래", "RecommendMovie"),
    ("네 명 저녁 자리 있나요", "BookTable"),
    ("내 택배 지금 어디 있어", "TrackPackage"),
    ("비밀번호가 기억이 안 나요", "ResetPassword"),
    ("신나는 노래 좀 틀어봐", "PlayMusic"),
]
EN_UNRELATED = [
    "tell me a joke",
    "what is the capital of france",
    "how do I bake bread",
    "who won the game last night",
]
KO_UNRELATED = ["재미있는 농담 해줘", "프랑스 수도가 어디야", "빵 굽는 방법 알려줘"]

needs_embeddings = pytest.mark.skipif(default_encoder() is None, reason="sentence encoder not installed")


def locale_def(intents: Mapping[str, Sequence[str]], locale: str, threshold: float = THRESHOLD) -> LocaleDef:
    defs = [IntentDef(name, sample_utterances=tuple(samples)) for name, samples in intents.items()]
    return LocaleDef(locale, threshold, (*defs, IntentDef(FALLBACK, is_fallback=True)))


def no_slots(intent: str) -> Any:
    def resolve(slot: str, text: str) -> SlotValue | None:
        return None

    return resolve


def top(ranker: IntentRanker, text: str) -> Ranked:
    return ranker.rank(text, no_slots)[0]


@pytest.fixture(scope="module")
def ranker_en() -> IntentRanker:
    return IntentRanker(locale_def(ASSISTANT_EN, "en_US"), build_recognizer)


@pytest.fixture(scope="module")
def ranker_ko() -> IntentRanker:
    return IntentRanker(locale_def(ASSISTANT_KO, "ko_KR"), build_recognizer)


@needs_embeddings
@pytest.mark.parametrize(("text", "intent"), EN_PARAPHRASES)
def test_an_english_paraphrase_reaches_its_intent(ranker_en: IntentRanker, text: str, intent: str) -> None:
    assert top(ranker_en, text).intent == intent


@needs_embeddings
@pytest.mark.parametrize(("text", "intent"), KO_PARAPHRASES)
def test_a_korean_paraphrase_reaches_its_intent(ranker_ko: IntentRanker, text: str, intent: str) -> None:
    assert top(ranker_ko, text).intent == intent


@pytest.mark.parametrize("text", EN_UNRELATED)
def test_an_unrelated_english_question_goes_to_the_fallback(ranker_en: IntentRanker, text: str) -> None:
    ranked = ranker_en.rank(text, no_slots)
    assert ranked[0] == Ranked(FALLBACK, None)
    assert all(item.score is not None and item.score < THRESHOLD for item in ranked[1:])


@pytest.mark.parametrize("text", KO_UNRELATED)
def test_an_unrelated_korean_question_goes_to_the_fallback(ranker_ko: IntentRanker, text: str) -> None:
    assert top(ranker_ko, text) == Ranked(FALLBACK, None)


@needs_embeddings
def test_a_bot_of_one_intent_takes_its_paraphrase_and_leaves_the_rest_to_the_fallback() -> None:
    ranker = IntentRanker(
        locale_def({"RecommendMovie": ASSISTANT_EN["RecommendMovie"]}, "en_US"), build_recognizer
    )
    assert top(ranker, "can you suggest a comedy film for tonight").intent == "RecommendMovie"
    for text in [*EN_UNRELATED, "I need a table for four at 7", "where's my parcel right now"]:
        assert top(ranker, text) == Ranked(FALLBACK, None), text


@needs_embeddings
def test_the_locale_threshold_decides_between_the_intent_and_the_fallback() -> None:
    text, intent = EN_PARAPHRASES[0]
    lenient = IntentRanker(locale_def(ASSISTANT_EN, "en_US", threshold=0.40), build_recognizer)
    strict = IntentRanker(locale_def(ASSISTANT_EN, "en_US", threshold=1.0), build_recognizer)
    assert top(lenient, text).intent == intent
    ranked = strict.rank(text, no_slots)
    assert ranked[0] == Ranked(FALLBACK, None)
    assert ranked[1].intent == intent  # still the best intent, below the threshold
    assert len(ranked) <= 5


def test_an_exact_sample_utterance_scores_one(ranker_en: IntentRanker, ranker_ko: IntentRanker) -> None:
    assert top(ranker_en, "Track my order!") == Ranked("TrackPackage", 1.0)
    assert top(ranker_ko, "비밀번호 잊어버렸어요") == Ranked("ResetPassword", 1.0)


def test_without_embeddings_the_tfidf_recogniser_still_answers() -> None:
    recognizer = build_recognizer(ASSISTANT_EN, locale="en_US", encoder=None)
    best = recognizer.recognize("please track my order")[0]
    assert best.intent == "TrackPackage"
    assert best.score >= THRESHOLD
    assert recognizer.recognize("what is the capital of france")[0].score < THRESHOLD


def test_the_environment_switch_turns_embeddings_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SWITCH, "off")
    assert default_encoder() is None


class CountingEncoder:
    """A stand-in encoder: a fixed random unit vector per text, and a count of the texts it saw."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.seen += texts
        vectors = np.array([np.random.default_rng(sum(map(ord, text))).normal(size=8) for text in texts])
        return np.asarray(vectors / np.linalg.norm(vectors, axis=1, keepdims=True), dtype=np.float64)


def test_a_given_encoder_embeds_the_samples_without_their_slot_references() -> None:
    encoder = CountingEncoder()
    recognizer: IntentRecognizer = build_recognizer(ASSISTANT_EN, locale="en_US", encoder=encoder)
    assert "reserve a table for people" in encoder.seen
    assert not any("{" in text for text in encoder.seen)
    recognizer.recognize("hello")
    assert encoder.seen[-1] == "hello"


def test_embedding_text_leaves_slot_references_out() -> None:
    assert embedding_text("play {Song} in the {Room}, please") == "play in the , please"
    assert embedding_text("{People}명 자리 예약할게요") == "명 자리 예약할게요"


def test_an_encoder_without_encode_is_a_clear_error() -> None:
    with pytest.raises(NluBuildError, match="encoder"):
        build_recognizer(ASSISTANT_EN, locale="en_US", encoder="not an encoder")


@pytest.mark.parametrize(
    ("locale", "intents", "text"),
    [
        (
            "es_US",
            {"Saludo": ["hola", "buenos días"], "Pedido": ["quiero pedir una pizza"]},
            "¿me traes una pizza?",
        ),
        ("ja_JP", {"挨拶": ["こんにちは", "おはよう"], "注文": ["ピザを注文したい"]}, "ピザをください"),
        (
            "fr_FR",
            {"Salut": ["bonjour", "salut"], "Commande": ["je veux une pizza"]},
            "une pizza s'il vous plaît",
        ),
        (
            "de_DE",
            {"Gruss": ["hallo", "guten Morgen"], "Bestellung": ["ich möchte eine Pizza"]},
            "eine Pizza bitte",
        ),
    ],
)
def test_other_locales_get_valid_scores(locale: str, intents: dict[str, list[str]], text: str) -> None:
    scores = build_recognizer(intents, locale=locale).recognize(text)
    assert {score.intent for score in scores} == set(intents)
    assert all(0.0 <= score.score <= 1.0 for score in scores)


def test_a_recognizer_built_in_the_background_answers_once_built() -> None:
    pending = _BuildingInBackground(lambda: build_recognizer(ASSISTANT_EN, locale="en_US", encoder=None))
    assert pending.recognize("track my order")[0].intent == "TrackPackage"


def test_a_failed_background_build_is_an_error_at_recognition() -> None:
    def broken() -> IntentRecognizer:
        raise MemoryError("no room")

    pending = _BuildingInBackground(broken)
    with pytest.raises(RuntimeError, match="building the intent recognizer failed") as raised:
        pending.recognize("hello")
    assert isinstance(raised.value.__cause__, MemoryError)


def test_bad_samples_are_refused_at_once_even_while_the_encoder_loads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(recognizer_module, "default_encoder_loaded", lambda: False)
    with pytest.raises(NluBuildError, match="unbalanced braces"):
        build_recognizer({"Greeting": ["hello {Name"]}, locale="en_US")
    background = build_recognizer({"Greeting": ["hello", "hi there"]}, locale="en_US")
    assert background.recognize("hello")[0].score >= THRESHOLD
