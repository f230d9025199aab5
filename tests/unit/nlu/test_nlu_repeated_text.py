"""Text sent again is not worked out again: the encoder keeps single sentences' embeddings, the recognizer
the scores of the latest texts (both are deterministic, so the answer is the same)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from lex_emulator.nlu import build_recognizer, embeddings
from lex_emulator.nlu.embeddings import _UseEncoder


class CountingModel:
    """Stands in for the USE model: a vector derived from the text, and a count of sentences embedded."""

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def encode(self, texts: Sequence[str]) -> list[list[float]]:
        self.embedded.extend(texts)
        rows = np.array([[float(len(text)), float(sum(map(ord, text)) % 97), 1.0] for text in texts])
        unit: list[list[float]] = (rows / np.linalg.norm(rows, axis=1, keepdims=True)).tolist()
        return unit


def test_a_sentence_sent_again_is_embedded_once_with_the_same_vector() -> None:
    model = CountingModel()
    encoder = _UseEncoder(model)
    first = encoder.encode(["Hello there"])
    again = encoder.encode(["Hello there"])
    other = encoder.encode(["Good night"])
    assert model.embedded == ["Hello there", "Good night"]
    assert np.array_equal(first, again)
    assert first.shape == (1, 3)
    assert not np.array_equal(first, other)


def test_a_kept_vector_cannot_be_changed_by_a_caller() -> None:
    encoder = _UseEncoder(CountingModel())
    vector = encoder.encode(["yes"])[0]
    with pytest.raises(ValueError, match="read-only"):
        vector *= 2.0
    assert np.array_equal(encoder.encode(["yes"])[0], _UseEncoder(CountingModel()).encode(["yes"])[0])


def test_batches_are_embedded_every_time_and_the_cache_is_bounded() -> None:
    model = CountingModel()
    encoder = _UseEncoder(model)
    encoder.encode(["a", "b"])
    encoder.encode(["a", "b"])
    assert model.embedded == ["a", "b", "a", "b"]
    for number in range(embeddings.CACHED_SENTENCES + 1):
        encoder.encode([f"sentence {number}"])
    model.embedded.clear()
    encoder.encode(["sentence 0"])  # the oldest, pushed out
    encoder.encode([f"sentence {embeddings.CACHED_SENTENCES}"])  # the newest, kept
    assert model.embedded == ["sentence 0"]


def test_a_lone_surrogate_is_still_embedded() -> None:
    model = CountingModel()
    _UseEncoder(model).encode(["bad \ud800 text"])
    assert model.embedded == ["bad ? text"]


def test_the_recognizer_scores_a_text_sent_again_without_embedding_it_again() -> None:
    model = CountingModel()
    recognizer = build_recognizer(
        {"Greet": ["hello there", "good morning"], "Order": ["I want a coffee", "a latte please"]},
        locale="en_US",
        encoder=_UseEncoder(model),
    )
    model.embedded.clear()
    first = recognizer.recognize("hello friend")
    first.pop()  # a caller's own list: changing it changes nothing kept
    again = recognizer.recognize("hello friend")
    assert model.embedded == ["hello friend"]
    assert [(score.intent, score.score) for score in again[:-1]] == [(s.intent, s.score) for s in first]
    assert len(again) == 2
