"""Intent recognition with Lex-like confidence scores, built from a bot locale's sample utterances.

Signals, all computed from the sample utterances alone (plus, in small bots, fixed background
sentences as negatives, see below):

* TF-IDF (`features`): the cosine similarity of the utterance to each intent's nearest sample
  (`nearest`; character n-grams weigh more than words, which suits Korean endings and typos), and one linear
  SVM per intent (`linear`) when two or more intents have samples;
* sentence embeddings (`embeddings`, when the encoder is installed): the cosine similarity of the
  utterance to the centroid of each intent's samples. They carry meaning that shares no words
  with the samples ("can you suggest a comedy film" for "recommend a movie").

With embeddings, when every sample is embedded (bots of up to `EMBEDDED_SAMPLES_PER_INTENT`
samples per intent, the usual case), each SVM learns on both: the TF-IDF vector and the
embedding side by side, so it weighs words and meaning per intent. In such small bots every SVM
also learns the `background` sentences (trivia, chat, creative requests) as negatives, less those
close to one of the bot's samples (`negatives`): with a few samples per intent the models otherwise only learn
how the intents differ from each other, not from the rest of what users ask. In larger bots (CLINC150 has
100 per intent; embedding them all would slow the build) the SVMs see TF-IDF only and each
intent's decision gets its centroid similarity (over `CENTROID_SAMPLES_PER_INTENT` of its
samples) added, `_CENTROID_WEIGHT` times. Either way the
decision is mapped to [0, 1] by a logistic curve and capped by a gate: the larger of two curves,
one on the centroid similarity and one on the nearest-sample TF-IDF similarity, so an intent
never scores high for text unlike its samples in both meaning and wording. That gate is what
keeps unrelated questions ("tell me a joke") on FallbackIntent however few intents a bot has.
Without embeddings the score is the SVM curve capped by the TF-IDF gate alone; in larger bots
that score stands, and the input is not embedded, when it is already confident
(`CONFIDENT_TEXT_SCORE`): embedding is most of a turn's time. With one intent
(a discriminative model cannot learn from one class) the gate is the score.

An utterance that matches one of an intent's templates entirely (`{Slot}` as a wildcard, see
`templates`) scores at least `TEMPLATE_MATCH_SCORE` and carries the slot values. The curves are
fixed constants, chosen on tuning data only (see bench/nlu_small_bots.py and bench/nlu_clinc150.py:
the dev bots and a held-out part of CLINC150's train split) so that 0.40, Lex's default
NluConfidenceThreshold and our bot's, is a good boundary. Callers apply their threshold themselves.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import numpy.typing as npt
from scipy import sparse

from .embeddings import (
    SentenceEncoder,
    default_encoder,
    default_encoder_loaded,
    embedding_text,
    embeddings_enabled,
)
from .features import SparseRow, TfidfSpace
from .linear import OneVsRest, train_one_vs_rest
from .nearest import NearestSample
from .negatives import embedded_background_rows, worded_background_rows
from .templates import Template, TemplateError, best_template_match, parse_template
from .text import normalize

TEMPLATE_MATCH_SCORE = 0.95
"""Least score of an intent one of whose templates matches the whole utterance."""
LARGE_BOT_SAMPLES = 1000
"""From this many sample utterances on, n-grams seen in a single sample are left out of the vocabulary."""
EMBEDDED_SAMPLES_PER_INTENT = 40
"""When no intent has more samples than this, every sample is embedded and the SVMs learn on the
embeddings too."""
CENTROID_SAMPLES_PER_INTENT = 20
"""In larger bots, at most this many samples per intent (evenly spread) are embedded for its centroid.
Embedding is most of such a build's time: on CLINC150's tuning split 20 instead of 40 cost 0.27
points of in-scope accuracy (93.60% -> 93.33%) and one out-of-scope question in 100, for half
the embedding time; 10 cost 0.4 points."""
_SIMILARITY_CURVE = (9.0, 0.465)
"""TF-IDF only, one intent: 0.40 at a nearest-sample similarity of 0.42."""
_GATE_CURVE = (9.0, 0.245)
"""TF-IDF gate on SVM scores: 0.40 at a nearest-sample similarity of 0.20."""
GATE_FROM = 0.2
"""Scores below this one are never capped by the gates (no threshold is that low)."""
_SVM_CURVE = (2.3, -0.42)
"""TF-IDF only: 0.40 at an SVM decision value of -0.60."""
TEXT_BACKGROUND_WEIGHT = 1.0
"""TF-IDF only, bots of up to `EMBEDDED_SAMPLES_PER_INTENT` samples per intent: weight of each
background sentence as a negative of every intent's model; 0 leaves them out."""
TEXT_BACKGROUND_KEPT_BELOW = 0.5
"""TF-IDF only: a background sentence whose nearest-sample similarity reaches this is left out."""
_SMALL_BOT_SVM_CURVE = (2.3, -0.625)
"""TF-IDF only, bots that learn the background: 0.40 at an SVM decision value of -0.80."""
_SMALL_BOT_GATE_CURVE = (9.0, 0.15)
"""TF-IDF only, bots that learn the background: gate on the nearest-sample similarity (0.40 at
0.105; the background keeps unrelated questions low, so the gate can let Korean paraphrases,
which share fewer n-grams with their samples, through)."""
_JOINT_EMBEDDING_SCALE = 1.0
"""Embeddings beside TF-IDF vectors (both of unit length) in the SVMs' input: this times the embedding."""
_JOINT_CURVE = (2.3, -0.55)
"""With embeddings learnt by the SVMs: 0.40 at a decision value of -0.73 (background negatives
lower every decision, see `BACKGROUND_WEIGHT`)."""
BACKGROUND_WEIGHT = 1.0
"""With embeddings learnt by the SVMs: weight of each background sentence (`background`) as a
negative of every intent's model; 0 leaves them out."""
BACKGROUND_KEPT_BELOW = 0.5
"""A background sentence whose embedding is this close to one of a bot's samples is left out."""
_JOINT_EMBEDDING_GATE_CURVE = (12.0, 0.30)
"""With embeddings learnt by the SVMs: gate on the centroid similarity (0.40 at 0.266)."""
FEW_SAMPLES, MANY_SAMPLES = 20, 80
"""Samples per intent (median) of a small bot and of a large one; constants in between are blended."""
_CENTROID_WEIGHT = (3.0, 6.0)
"""With TF-IDF SVMs and embeddings, few and many samples: weight of the centroid similarity added
to the SVM decision."""
_FUSED_CENTER = (0.45, 2.05)
"""With TF-IDF SVMs and embeddings, few and many samples: centre of the curve on SVM decision +
weighted centroid similarity (slope `_FUSED_SLOPE`). SVM margins grow with the samples, hence two."""
_FUSED_SLOPE = 2.3
_EMBEDDING_GATE_CURVE = (12.0, 0.36)
"""With embeddings, two intents or more: gate on the centroid similarity (0.40 at 0.326)."""
_ONE_INTENT_EMBEDDING_CURVE = (12.0, 0.54)
"""With embeddings, one intent: the same gate, stricter. With nothing to contrast it with, a greeting
intent would take in farewells and small talk, which USE places near greetings ("goodbye" is at
0.49 from HelloWorld's samples); those belong to FallbackIntent."""
_EMBEDDED_TEXT_GATE_CURVE = (9.0, 0.45)
"""With embeddings: gate on the nearest-sample TF-IDF similarity (the embedding gate does most work)."""
CONFIDENT_TEXT_SCORE: float | None = 0.7
"""In bots too large for the SVMs to learn on embeddings: when the TF-IDF score of the best intent
(SVM curve capped by the TF-IDF gate) reaches this, the sentence is not embedded and the TF-IDF
scores stand. Most in-scope input of a large bot is worded like its samples, and embedding costs
most of a turn's time. None embeds every input. Chosen on CLINC150's tuning split (held-out train):
from 0.95 down to 0.7 in-scope accuracy rose (92.1% embedding everything, 93.6% at 0.7) at the
same out-of-scope recall, and below 0.7 recall fell; 0.7 stays well above usual thresholds."""
_LOCALE = re.compile(r"^[a-z]{2,3}_[A-Z0-9]{2,3}$")
_DEFAULT = object()

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Curve = tuple[float, float]


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


def _curve(values: FloatArray, slope_and_center: Curve) -> FloatArray:
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


@dataclass(frozen=True)
class _Centroids:
    """Unit centroids of the trainable intents' sample embeddings (one row each), and how to fuse them."""

    encoder: SentenceEncoder
    rows: FloatArray
    weight: float
    fused_curve: Curve
    joint: bool
    """True when the SVMs learnt on the embeddings too (then `weight` and `fused_curve` are unused)."""

    def embed(self, text: str) -> FloatArray:
        result: FloatArray = self.encoder.encode([text])[0]
        return result


def _capped(scores: FloatArray, gate: Callable[[int], float]) -> FloatArray:
    """`scores` capped by `gate(intent)`, best first until the best one is certain.

    A gate only lowers scores, so once the best capped score is at least the next uncapped one,
    the ranking's head is exact; the rest stay uncapped (upper bounds, below the head).
    """
    best = 0.0
    for intent in np.argsort(-scores, kind="stable"):
        if scores[intent] <= best or scores[intent] < GATE_FROM:
            break
        scores[intent] = min(scores[intent], gate(int(intent)))
        best = max(best, scores[intent])
    return scores


class _Recognizer:
    """The recognizer of one bot locale (immutable once built, so safe to share between threads)."""

    def __init__(
        self,
        intents: Sequence[_Intent],
        space: TfidfSpace,
        trainable: IntArray,
        nearest: NearestSample | None,
        linear: OneVsRest | None,
        centroids: _Centroids | None,
        text_curves: tuple[Curve, Curve] = (_SVM_CURVE, _GATE_CURVE),
    ) -> None:
        self._intents = tuple(intents)
        self._text_curves = text_curves
        """TF-IDF only: the curves on the SVM decision and on the nearest-sample similarity (gate)."""
        self._space = space
        self._trainable = trainable
        self._nearest = nearest
        self._linear = linear
        self._centroids = centroids
        self._slot_templates = [intent.slot_templates for intent in self._intents]

    def recognize(self, text: str) -> list[IntentScore]:
        utterance = normalize(text)
        words = utterance.words
        scores = np.zeros(len(self._intents))
        if words and self._nearest is not None:
            scores[self._trainable] = self._scores(text, self._space.vector(words), self._nearest)
        results: list[IntentScore] = []
        for index, intent in enumerate(self._intents):
            score = float(scores[index])
            slots = best_template_match(self._slot_templates[index], utterance) if words else None
            if slots is not None:
                score = max(score, TEMPLATE_MATCH_SCORE)
            results.append(IntentScore(intent.name, min(1.0, max(0.0, score)), slots or {}))
        results.sort(key=lambda result: -result.score)
        return results

    def _scores(self, text: str, vector: SparseRow, nearest: NearestSample) -> FloatArray:
        """Scores of the trainable intents, in their order."""

        def text_similarity(intent: int) -> float:
            return float(nearest.similarities(vector, np.array([intent]))[0])

        if self._centroids is None:
            if self._linear is None:
                return _curve(nearest.similarities(vector, np.zeros(1, dtype=np.int64)), _SIMILARITY_CURVE)
            svm_curve, gate_curve = self._text_curves
            return _capped(
                _curve(self._linear.decisions(vector), svm_curve),
                lambda intent: float(_curve(np.array(text_similarity(intent)), gate_curve)),
            )
        if self._linear is not None and not self._centroids.joint:
            decisions = self._linear.decisions(vector)
            if CONFIDENT_TEXT_SCORE is not None:
                worded = _capped(
                    _curve(decisions, _SVM_CURVE),
                    lambda intent: float(_curve(np.array(text_similarity(intent)), _GATE_CURVE)),
                )
                if worded.max() >= CONFIDENT_TEXT_SCORE:
                    return worded
        embedding = self._centroids.embed(text)
        meaning = self._centroids.rows @ embedding
        if self._linear is None:
            gate_curve = _ONE_INTENT_EMBEDDING_CURVE
        else:
            gate_curve = _JOINT_EMBEDDING_GATE_CURVE if self._centroids.joint else _EMBEDDING_GATE_CURVE
        gates = _curve(meaning, gate_curve)

        def gate(intent: int) -> float:
            wording = float(_curve(np.array(text_similarity(intent)), _EMBEDDED_TEXT_GATE_CURVE))
            return max(float(gates[intent]), wording)

        if self._linear is None:
            return np.array([gate(0)])
        if self._centroids.joint:
            decisions = self._linear.decisions(vector, embedding * _JOINT_EMBEDDING_SCALE)
            return _capped(_curve(decisions, _JOINT_CURVE), gate)
        fused = decisions + self._centroids.weight * meaning
        return _capped(_curve(fused, self._centroids.fused_curve), gate)


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


def _embedded_samples(texts: Sequence[str], positions: IntArray, classes: int) -> tuple[list[str], IntArray]:
    """The samples to embed: per intent at most `CENTROID_SAMPLES_PER_INTENT`, evenly spread."""
    chosen: list[IntArray] = []
    for position in range(classes):
        rows = np.flatnonzero(positions == position)
        if len(rows) > CENTROID_SAMPLES_PER_INTENT:
            rows = rows[np.linspace(0, len(rows) - 1, CENTROID_SAMPLES_PER_INTENT).astype(np.int64)]
        chosen.append(rows)
    rows = np.concatenate(chosen)
    return [texts[int(row)] for row in rows], positions[rows]


def _blend(pair: tuple[float, float], samples_per_intent: float) -> float:
    """`pair` = (value for FEW_SAMPLES, value for MANY_SAMPLES), interpolated on a log scale, clamped."""
    share = np.log(samples_per_intent / FEW_SAMPLES) / np.log(MANY_SAMPLES / FEW_SAMPLES)
    share = float(np.clip(share, 0.0, 1.0))
    return pair[0] + share * (pair[1] - pair[0])


def _centroids(
    encoder: SentenceEncoder,
    embedded: FloatArray,
    positions: IntArray,
    classes: int,
    samples_per_intent: float,
    joint: bool,
) -> _Centroids:
    sums = np.zeros((classes, embedded.shape[1]))
    np.add.at(sums, positions, embedded)
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    rows = np.divide(sums, norms, out=np.zeros_like(sums), where=norms > 0)
    weight = _blend(_CENTROID_WEIGHT, samples_per_intent)
    fused_curve = (_FUSED_SLOPE, _blend(_FUSED_CENTER, samples_per_intent))
    return _Centroids(encoder, rows, weight, fused_curve, joint)


class _BuildingInBackground:
    """A recognizer being built on another thread; `recognize` waits for it (then costs nothing more)."""

    def __init__(self, build: Callable[[], IntentRecognizer]) -> None:
        self._done = threading.Event()
        self._built: IntentRecognizer | None = None
        self._error: BaseException | None = None
        # not a daemon: a process that exits at once waits for the build rather than killing it mid-way
        threading.Thread(target=self._run, args=(build,), name="nlu-build").start()

    def _run(self, build: Callable[[], IntentRecognizer]) -> None:
        try:
            self._built = build()
        except BaseException as error:  # handed to the caller of recognize
            self._error = error
        finally:
            self._done.set()

    def recognize(self, text: str) -> list[IntentScore]:
        self._done.wait()
        if self._built is None:
            raise RuntimeError("building the intent recognizer failed") from self._error
        return self._built.recognize(text)


def build_recognizer(
    intents: Mapping[str, Sequence[str]], *, locale: str, encoder: object = _DEFAULT
) -> IntentRecognizer:
    """Build the recognizer of one bot locale from intent name -> sample utterances.

    Sample utterances may hold `{Slot}` references. FallbackIntent is not among the intents: the
    caller answers it when the best score is below the locale's confidence threshold. `encoder`
    is a `SentenceEncoder`, None for TF-IDF features alone, or by default the shared encoder when
    installed (`embeddings.default_encoder`). Raises `NluBuildError` (a ValueError) with a clear
    message on bad input. Deterministic.

    While the shared encoder is still to be loaded (the first bot locale of a process), the input
    is checked here and the rest is built on a background thread, so a server starts at once;
    a `recognize` call that comes before the build is done waits for it.
    """
    if not isinstance(locale, str) or not _LOCALE.match(locale):
        raise NluBuildError(f"locale must look like 'en_US' or 'ko_KR', got {locale!r}")
    parsed = _parse_intents(intents)
    if encoder is _DEFAULT:
        if embeddings_enabled() and not default_encoder_loaded():
            return _BuildingInBackground(lambda: _build(parsed, default_encoder()))
        return _build(parsed, default_encoder())
    if encoder is not None and (isinstance(encoder, str | bytes) or not isinstance(encoder, SentenceEncoder)):
        raise NluBuildError(f"encoder must have an encode(texts) method, got {encoder!r}")
    return _build(parsed, encoder)


def _build(parsed: Sequence[_Intent], chosen_encoder: SentenceEncoder | None) -> IntentRecognizer:
    documents: list[list[str]] = []
    sources: list[str] = []
    labels: list[int] = []
    for index, intent in enumerate(parsed):
        for template in intent.templates:
            if template.literal_words:
                documents.append(template.literal_words)
                sources.append(embedding_text(template.source))
                labels.append(index)
    trainable = np.array(sorted(set(labels)), dtype=np.int64)
    min_df = 2 if len(documents) >= LARGE_BOT_SAMPLES else 1
    space, matrix = TfidfSpace.fit(documents, min_df=min_df)
    if not len(trainable):
        return _Recognizer(parsed, space, trainable, None, None, None)
    positions = np.searchsorted(trainable, np.array(labels)).astype(np.int64)
    nearest = NearestSample(matrix, positions, space.block_sizes)
    classes = len(trainable)
    small = np.bincount(positions).max() <= EMBEDDED_SAMPLES_PER_INTENT
    if not isinstance(chosen_encoder, SentenceEncoder):
        if classes < 2:
            return _Recognizer(parsed, space, trainable, nearest, None, None)
        if not small:
            return _Recognizer(
                parsed, space, trainable, nearest, train_one_vs_rest(matrix, positions, classes), None
            )
        worded = train_one_vs_rest(
            matrix,
            positions,
            classes,
            worded_background_rows(space, nearest, TEXT_BACKGROUND_KEPT_BELOW)
            if TEXT_BACKGROUND_WEIGHT
            else None,
            TEXT_BACKGROUND_WEIGHT,
        )
        return _Recognizer(
            parsed, space, trainable, nearest, worded, None, (_SMALL_BOT_SVM_CURVE, _SMALL_BOT_GATE_CURVE)
        )
    per_intent = float(np.median(np.bincount(positions, minlength=classes)))
    if small:  # the SVMs learn on both blocks
        embedded = chosen_encoder.encode(sources)
        centroids = _centroids(chosen_encoder, embedded, positions, classes, per_intent, joint=True)
        both = sparse.hstack([matrix, sparse.csr_matrix(embedded * _JOINT_EMBEDDING_SCALE)]).tocsr()
        linear = None
        if classes > 1:
            negatives = None
            if BACKGROUND_WEIGHT:
                negatives = embedded_background_rows(
                    space, chosen_encoder, embedded, BACKGROUND_KEPT_BELOW, _JOINT_EMBEDDING_SCALE
                )
            linear = train_one_vs_rest(both, positions, classes, negatives, BACKGROUND_WEIGHT)
        return _Recognizer(parsed, space, trainable, nearest, linear, centroids)

    texts, embedded_positions = _embedded_samples(sources, positions, classes)

    def centroids_of_some() -> _Centroids:
        embedded = chosen_encoder.encode(texts)
        return _centroids(chosen_encoder, embedded, embedded_positions, classes, per_intent, joint=False)

    with ThreadPoolExecutor(max_workers=1) as pool:  # embedding overlaps SVM training (both release the GIL)
        pending = pool.submit(centroids_of_some)
        linear = train_one_vs_rest(matrix, positions, classes) if classes > 1 else None
        return _Recognizer(parsed, space, trainable, nearest, linear, pending.result())
