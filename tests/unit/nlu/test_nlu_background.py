"""Background sentences: negatives of every intent in small bots, left out where a bot is about them.

The bots and questions here are written for these tests; the background list itself is in
lex_emulator/nlu/background.py and must stay apart from the benchmarks' off-topic questions.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

import lex_emulator.nlu.recognizer as recognizer_module
from lex_emulator.nlu import build_recognizer
from lex_emulator.nlu.background import BACKGROUND
from lex_emulator.nlu.embeddings import default_encoder
from lex_emulator.nlu.features import TfidfSpace
from lex_emulator.nlu.negatives import embedded_background_rows
from lex_emulator.nlu.text import normalize

BENCH_DATA = Path(__file__).resolve().parents[3] / "bench" / "data"
THRESHOLD = 0.40
NEAR_COPY = 0.75
"""Embedding similarity above which a background sentence counts as a rewording of a benchmark question."""
needs_embeddings = pytest.mark.skipif(default_encoder() is None, reason="sentence encoder not installed")

SHOP_EN = {
    "OrderStatus": ["where is my order", "track my parcel", "has my package shipped", "order status please"],
    "ReturnItem": ["I want to return this", "how do I send it back", "start a return", "refund my purchase"],
    "OpeningHours": ["when are you open", "what are your opening hours", "are you open on sunday"],
}
# a bot about the very things the background holds: trivia and jokes
TRIVIA_EN = {
    "FunFact": [
        "tell me a fun fact",
        "give me some trivia",
        "tell me something interesting",
        "do you know any fun facts about animals",
        "share a random fact",
    ],
    "TellJoke": ["tell me a joke", "make me laugh", "know any good jokes", "say something funny"],
    "Riddle": ["give me a riddle", "ask me a riddle", "I want to solve a riddle", "riddle me this"],
}


class CountingEncoder:
    """A stand-in encoder: a fixed random unit vector per text, and a count of the texts it saw."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.seen += texts
        vectors = np.array([np.random.default_rng(sum(map(ord, text))).normal(size=8) for text in texts])
        return np.asarray(vectors / np.linalg.norm(vectors, axis=1, keepdims=True), dtype=np.float64)


def best(intents: dict[str, list[str]], text: str) -> tuple[str, float]:
    result = build_recognizer(intents, locale="en_US").recognize(text)[0]
    return result.intent, result.score


def bench_off_topic() -> list[str]:
    questions: list[str] = []
    for path in sorted(BENCH_DATA.glob("nlu_small_bots_*.json")):
        for split_questions in json.loads(path.read_text(encoding="utf-8"))["off_topic"].values():
            questions += split_questions
    return questions


def test_no_background_sentence_is_a_benchmark_off_topic_question() -> None:
    background = {normalize(text).text for text in BACKGROUND}
    assert len(background) == len(BACKGROUND), "a background sentence is listed twice"
    assert not background & {normalize(text).text for text in bench_off_topic()}


@needs_embeddings
def test_no_background_sentence_is_a_near_copy_of_a_benchmark_off_topic_question() -> None:
    encoder = default_encoder()
    assert encoder is not None
    similarity = encoder.encode(BACKGROUND) @ encoder.encode(bench_off_topic()).T
    near = [BACKGROUND[row] for row in np.flatnonzero(similarity.max(axis=1) > NEAR_COPY)]
    assert not near  # the benchmark measures what the background does: it must not hold its questions


@needs_embeddings
def test_background_negatives_lower_an_unrelated_question(monkeypatch: pytest.MonkeyPatch) -> None:
    question = "sing me something"
    with_background = best(SHOP_EN, question)[1]
    monkeypatch.setattr(recognizer_module, "BACKGROUND_WEIGHT", 0.0)
    without = best(SHOP_EN, question)[1]
    assert with_background < without
    assert with_background < THRESHOLD


@needs_embeddings
@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("got any interesting facts for me", "FunFact"),
        ("I could use a good laugh, tell me something funny", "TellJoke"),
        ("can you puzzle me with a riddle", "Riddle"),
    ],
)
def test_a_bot_about_trivia_and_jokes_keeps_its_paraphrases(text: str, intent: str) -> None:
    found, score = best(TRIVIA_EN, text)
    assert found == intent
    assert score >= THRESHOLD


@needs_embeddings
def test_background_sentences_near_a_bots_samples_are_left_out_for_that_bot() -> None:
    encoder = default_encoder()
    assert encoder is not None
    samples = [sample for samples in TRIVIA_EN.values() for sample in samples]
    embedded = encoder.encode(samples)
    space, _ = TfidfSpace.fit([normalize(sample).words for sample in samples])
    kept = embedded_background_rows(space, encoder, embedded, recognizer_module.BACKGROUND_KEPT_BELOW, 1.0)
    assert kept is not None
    assert 0 < kept.shape[0] < len(BACKGROUND)


def test_the_background_is_embedded_once_per_encoder() -> None:
    encoder = CountingEncoder()
    build_recognizer(SHOP_EN, locale="en_US", encoder=encoder)
    build_recognizer(TRIVIA_EN, locale="en_US", encoder=encoder)
    assert encoder.seen.count(BACKGROUND[0]) == 1


def test_a_bot_of_one_intent_learns_no_background() -> None:
    encoder = CountingEncoder()
    build_recognizer({"OrderStatus": SHOP_EN["OrderStatus"]}, locale="en_US", encoder=encoder)
    assert BACKGROUND[0] not in encoder.seen


def test_without_embeddings_background_negatives_lower_an_unrelated_question(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    question = "how do i learn to draw"  # shares "how do i" with a ReturnItem sample
    with_background = build_recognizer(SHOP_EN, locale="en_US", encoder=None).recognize(question)[0].score
    monkeypatch.setattr(recognizer_module, "TEXT_BACKGROUND_WEIGHT", 0.0)
    without = build_recognizer(SHOP_EN, locale="en_US", encoder=None).recognize(question)[0].score
    assert with_background < THRESHOLD <= without


def test_without_embeddings_a_paraphrase_sharing_words_still_reaches_its_intent() -> None:
    best = build_recognizer(SHOP_EN, locale="en_US", encoder=None).recognize("where's my order now")[0]
    assert best.intent == "OrderStatus"
    assert best.score >= THRESHOLD
