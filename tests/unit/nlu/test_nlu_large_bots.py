"""Bots with many samples per intent: input worded like the samples is scored without embedding it."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import product

import numpy as np

from lex_emulator.nlu import build_recognizer
from lex_emulator.nlu.recognizer import CONFIDENT_TEXT_SCORE, EMBEDDED_SAMPLES_PER_INTENT


class CountingEncoder:
    """A stand-in encoder: a fixed random unit vector per text (near orthogonal), and the texts seen."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.seen += texts
        vectors = np.array([np.random.default_rng(sum(map(ord, text))).normal(size=256) for text in texts])
        return np.asarray(vectors / np.linalg.norm(vectors, axis=1, keepdims=True), dtype=np.float64)


def _combinations(pattern: str, *choices: Sequence[str]) -> list[str]:
    return [pattern.format(*chosen) for chosen in product(*choices)]


LARGE_BOT = {
    "OrderPizza": _combinations(
        "{} a {} pizza with {}",
        ["order", "get me", "I want", "deliver"],
        ["small", "medium", "large", "family size"],
        ["cheese", "mushrooms", "pepperoni", "olives"],
    ),
    "Weather": _combinations(
        "{} the weather {} in {}",
        ["what is", "tell me", "how is", "check"],
        ["today", "tomorrow", "this weekend", "tonight"],
        ["Seoul", "Busan", "London", "Paris"],
    ),
    "PlayMusic": _combinations(
        "{} some {} music {}",
        ["play", "put on", "start", "I want to hear"],
        ["jazz", "rock", "classical", "k-pop"],
        ["in the kitchen", "in the living room", "loudly", "quietly"],
    ),
}


def test_the_bot_is_large_enough_to_skip_the_encoder() -> None:
    assert all(len(samples) > EMBEDDED_SAMPLES_PER_INTENT for samples in LARGE_BOT.values())
    assert CONFIDENT_TEXT_SCORE is not None


def test_input_worded_like_the_samples_is_recognised_without_embedding_it() -> None:
    encoder = CountingEncoder()
    recognizer = build_recognizer(LARGE_BOT, locale="en_US", encoder=encoder)
    embedded_at_build = len(encoder.seen)
    best = recognizer.recognize("order a large pizza with olives and cheese")[0]
    assert best.intent == "OrderPizza"
    assert best.score >= 0.4
    assert len(encoder.seen) == embedded_at_build


def test_input_unlike_the_samples_is_embedded_and_goes_below_the_threshold() -> None:
    encoder = CountingEncoder()
    recognizer = build_recognizer(LARGE_BOT, locale="en_US", encoder=encoder)
    best = recognizer.recognize("who painted the mona lisa")[0]
    assert encoder.seen[-1] == "who painted the mona lisa"
    assert best.score < 0.4
