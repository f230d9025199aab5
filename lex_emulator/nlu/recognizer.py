"""Intent recognition with Lex-like confidence scores, built from a bot locale's sample utterances.

Everything lives in one TF-IDF space (`features`) fitted on the samples. Two signals:

* similarity: for each intent, the cosine similarity of the utterance to its nearest sample
  (character n-grams weigh more than words, which suits Korean endings and typos);
* one linear SVM per intent (one-vs-rest) when two or more intents have samples. Each also learns
  that the empty vector is not its intent, so text made of n-grams the bot never saw (their weight
  stays in the norm) scores low even in a bot of two intents.

With one intent (a discriminative model cannot learn from one class) its score is the similarity
mapped to [0, 1] by a logistic curve. With more, it is the SVM decision value mapped by another
curve, capped by a lenient similarity curve, so an intent never scores high for text unlike all of
its samples. An utterance that matches one of an intent's templates entirely (`{Slot}` as a
wildcard, see `templates`) scores at least `TEMPLATE_MATCH_SCORE` and carries the slot values.

The curves are fixed: they place 0.40, a common `NluConfidenceThreshold` (our bot's), between
greetings and other text in the HelloWorld bot, and at a good trade-off on CLINC150's validation
split (there, 0.40 keeps 92.7% of in-scope queries right and sends 69% of out-of-scope ones to
the fallback). Callers apply their threshold themselves.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import numpy.typing as npt
from scipy import sparse

from .features import SparseRow, TfidfSpace
from .templates import Template, TemplateError, best_template_match, parse_template
from .text import normalize

TEMPLATE_MATCH_SCORE = 0.95
"""Least score of an intent one of whose templates matches the whole utterance."""
LARGE_BOT_SAMPLES = 1000
"""From this many sample utterances on, n-grams seen in a single sample are left out of the vocabulary."""
_WORD_SHARE = 0.3
"""Weight of the word block in the similarity (the character block has the rest)."""
_SIMILARITY_CURVE = (9.0, 0.465)
"""Slope and centre of the one-intent score: 0.40 at a similarity of 0.42."""
_GATE_CURVE = (9.0, 0.245)
"""Slope and centre of the cap on SVM scores: 0.40 at a similarity of 0.20."""
GATE_FROM = 0.2
"""SVM scores below this one are never capped by the similarity gate (no threshold is that low)."""
_SVM_CURVE = (2.3, -0.42)
"""Slope and centre of the SVM score: 0.40 at a decision value of -0.60."""
_SVM_C = 2.0
_NEGATIVES_PER_INTENT = 3000
_HARD_NEGATIVE_SHARE = 0.5
_LOCALE = re.compile(r"^[a-z]{2,3}_[A-Z0-9]{2,3}$")

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


class NluBuildError(ValueError):
    """The intents cannot be turned into a recognizer (bad locale, intent name or sample utterance)."""


@dataclass(frozen=True)
class IntentScore:
    """One intent's confidence for an utterance, with the slot values its best template captured."""

    intent: str
    score: float
    slots: Mapping[str, str] = field(default_factory=dict)


class IntentRecognizer(Protocol):
    """Scores every intent of a bot locale for an utterance."""

    def recognize(self, text: str) -> list[IntentScore]:
        """All intents, best first, scores in [0, 1]."""
        ...


def _curve(values: FloatArray, slope_and_center: tuple[float, float]) -> FloatArray:
    slope, center = slope_and_center
    result: FloatArray = 1.0 / (1.0 + np.exp(-slope * (values - center)))
    return result


@dataclass(frozen=True)
class _Intent:
    name: str
    templates: tuple[Template, ...]

    @property
    def slot_templates(self) -> tuple[Template, ...]:
        """Templates with slots and some literal text (a bare "{Slot}" would match anything)."""
        return tuple(t for t in self.templates if t.pattern is not None and t.literal.text)


class _NearestSample:
    """Per intent, the similarity of a vector to the intent's most similar sample."""

    def __init__(self, matrix: sparse.csr_matrix, positions: IntArray, block_sizes: tuple[int, ...]) -> None:
        words, characters = block_sizes
        shares = np.concatenate([np.full(words, 2 * _WORD_SHARE), np.full(characters, 2 * (1 - _WORD_SHARE))])
        order = np.argsort(positions, kind="stable")
        samples = sparse.csr_matrix(matrix[order] @ sparse.diags(shares))
        self._data = samples.data
        self._columns = samples.indices
        self._indptr = samples.indptr
        self._rows = np.repeat(np.arange(samples.shape[0]), np.diff(samples.indptr))
        self._bounds = np.searchsorted(positions[order], np.arange(int(positions.max()) + 2))
        self._dimension = samples.shape[1]

    def similarities(self, vector: SparseRow, intents: IntArray) -> FloatArray:
        """Similarities for the intents at these positions."""
        result = np.zeros(len(intents))
        if not len(vector.indices):
            return result
        dense = np.zeros(self._dimension)
        dense[vector.indices] = vector.values
        for slot, intent in enumerate(intents):
            first, last = self._bounds[intent], self._bounds[intent + 1]
            low, high = self._indptr[first], self._indptr[last]
            contributions = self._data[low:high] * dense[self._columns[low:high]]
            result[slot] = np.bincount(self._rows[low:high] - first, contributions, last - first).max()
        return result


@dataclass(frozen=True)
class _OneVsRest:
    """Linear models, one column of `weights` per intent."""

    weights: FloatArray
    intercepts: FloatArray

    def decisions(self, vector: SparseRow) -> FloatArray:
        result: FloatArray = vector.values @ self.weights[vector.indices] + self.intercepts
        return result


def _gated_scores(linear: _OneVsRest, nearest: _NearestSample, vector: SparseRow) -> FloatArray:
    """SVM scores capped by the similarity gate, best first until the best one is certain.

    The gate only lowers scores, so once the best capped score is at least the next uncapped
    one, the ranking's head is exact; the rest stay uncapped (upper bounds, below the head).
    """
    scores = _curve(linear.decisions(vector), _SVM_CURVE)
    best = 0.0
    for intent in np.argsort(-scores, kind="stable"):
        if scores[intent] <= best or scores[intent] < GATE_FROM:
            break
        similarity = nearest.similarities(vector, np.array([intent]))
        scores[intent] = min(scores[intent], float(_curve(similarity, _GATE_CURVE)[0]))
        best = max(best, scores[intent])
    return scores


class _Recognizer:
    """The recognizer of one bot locale (immutable once built, so safe to share between threads)."""

    def __init__(
        self,
        intents: Sequence[_Intent],
        space: TfidfSpace,
        trainable: IntArray,
        nearest: _NearestSample | None,
        linear: _OneVsRest | None,
    ) -> None:
        self._intents = tuple(intents)
        self._space = space
        self._trainable = trainable
        self._nearest = nearest
        self._linear = linear
        self._slot_templates = [intent.slot_templates for intent in self._intents]

    def recognize(self, text: str) -> list[IntentScore]:
        utterance = normalize(text)
        words = utterance.words
        scores = np.zeros(len(self._intents))
        if words and self._nearest is not None:
            vector = self._space.vector(words)
            if self._linear is None:
                similarity = self._nearest.similarities(vector, np.zeros(1, dtype=np.int64))
                scores[self._trainable] = _curve(similarity, _SIMILARITY_CURVE)
            else:
                scores[self._trainable] = _gated_scores(self._linear, self._nearest, vector)
        results: list[IntentScore] = []
        for index, intent in enumerate(self._intents):
            score = float(scores[index])
            slots = best_template_match(self._slot_templates[index], utterance) if words else None
            if slots is not None:
                score = max(score, TEMPLATE_MATCH_SCORE)
            results.append(IntentScore(intent.name, min(1.0, max(0.0, score)), slots or {}))
        results.sort(key=lambda result: -result.score)
        return results


def _parse_intents(intents: Mapping[str, Sequence[str]]) -> list[_Intent]:
    parsed: list[_Intent] = []
    for name, samples in intents.items():
        if not isinstance(name, str) or not name.strip():
            raise NluBuildError(f"intent names must be non-empty strings, got {name!r}")
        if isinstance(samples, str):
            raise NluBuildError(f"intent {name}: sample utterances must be a list of strings, not one string")
        templates: list[Template] = []
        for sample in samples:
            if not isinstance(sample, str):
                raise NluBuildError(f"intent {name}: sample utterance {sample!r} is not a string")
            try:
                templates.append(parse_template(sample))
            except TemplateError as error:
                raise NluBuildError(f"intent {name}: {error}") from None
        parsed.append(_Intent(name, tuple(templates)))
    return parsed


def build_recognizer(intents: Mapping[str, Sequence[str]], *, locale: str) -> IntentRecognizer:
    """Build the recognizer of one bot locale from intent name -> sample utterances.

    Sample utterances may hold `{Slot}` references. FallbackIntent is not among the intents: the
    caller answers it when the best score is below the locale's confidence threshold. Raises
    `NluBuildError` (a ValueError) with a clear message on bad input. Deterministic.
    """
    if not isinstance(locale, str) or not _LOCALE.match(locale):
        raise NluBuildError(f"locale must look like 'en_US' or 'ko_KR', got {locale!r}")
    parsed = _parse_intents(intents)
    documents: list[list[str]] = []
    labels: list[int] = []
    for index, intent in enumerate(parsed):
        for template in intent.templates:
            if template.literal_words:
                documents.append(template.literal_words)
                labels.append(index)
    trainable = np.array(sorted(set(labels)), dtype=np.int64)
    min_df = 2 if len(documents) >= LARGE_BOT_SAMPLES else 1
    space, matrix = TfidfSpace.fit(documents, min_df=min_df)
    if not len(trainable):
        return _Recognizer(parsed, space, trainable, None, None)
    positions = np.searchsorted(trainable, np.array(labels)).astype(np.int64)
    nearest = _NearestSample(matrix, positions, space.block_sizes)
    linear = _train_one_vs_rest(matrix, positions, len(trainable)) if len(trainable) > 1 else None
    return _Recognizer(parsed, space, trainable, nearest, linear)


def _training_rows(labels: IntArray, position: int, similarity: FloatArray) -> IntArray:
    """Rows for one intent's binary model: all of its samples, and a bounded set of the others.

    Beyond `_NEGATIVES_PER_INTENT` other samples, keep the half most similar to the intent's
    centroid (where its boundary lies) and an even spread of the rest. On CLINC150 this trains
    three times faster than using every sample, for the same accuracy.
    """
    positives = np.flatnonzero(labels == position)
    negatives = np.flatnonzero(labels != position)
    if len(negatives) > _NEGATIVES_PER_INTENT:
        hard_count = int(_NEGATIVES_PER_INTENT * _HARD_NEGATIVE_SHARE)
        hard = negatives[np.argpartition(-similarity[negatives], hard_count)[:hard_count]]
        rest = np.setdiff1d(negatives, hard, assume_unique=True)
        spread = rest[np.linspace(0, len(rest) - 1, _NEGATIVES_PER_INTENT - hard_count).astype(np.int64)]
        negatives = np.concatenate([hard, spread])
    return np.sort(np.concatenate([positives, negatives]))


def _train_one_vs_rest(matrix: sparse.csr_matrix, positions: IntArray, classes: int) -> _OneVsRest:
    """One linear SVM per intent; the empty vector is one more negative, as heavy as all positives."""
    from sklearn.svm import LinearSVC  # here: importing it takes 0.6 s, and one-intent bots never need it

    membership = sparse.csr_matrix(
        (np.ones(len(positions)), (positions, np.arange(len(positions)))), shape=(classes, len(positions))
    )
    centroids = (sparse.diags(1.0 / np.bincount(positions)) @ membership @ matrix).toarray()
    similarity = np.asarray(matrix @ centroids.T)
    empty = sparse.csr_matrix((1, matrix.shape[1]))
    weights = np.zeros((matrix.shape[1], classes))
    intercepts = np.zeros(classes)
    for position in range(classes):
        rows = _training_rows(positions, position, similarity[:, position])
        targets = np.append((positions[rows] == position).astype(np.int64), 0)
        sample_weight = np.ones(len(targets))
        sample_weight[-1] = np.count_nonzero(targets)
        model = LinearSVC(C=_SVM_C, random_state=0)
        model.fit(sparse.vstack([matrix[rows], empty]).tocsr(), targets, sample_weight=sample_weight)
        weights[:, position] = model.coef_[0]
        intercepts[position] = model.intercept_[0]
    return _OneVsRest(weights, intercepts)
