"""A 20-intent slice of CLINC150 (tests/unit/nlu/data): far above chance, out-of-scope queries score lower.

The full 150-intent figures come from bench/nlu_clinc150.py; this keeps the large-bot code path
(vocabulary pruning, bounded negatives per intent) covered by a fast test.
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict

import pytest

from lex_emulator.nlu import IntentRecognizer, build_recognizer

from .conftest import CLINC150_SUBSET

THRESHOLD = 0.40


@pytest.fixture(scope="module")
def data() -> dict[str, list[list[str]]]:
    loaded: dict[str, list[list[str]]] = json.loads(CLINC150_SUBSET.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="module")
def recognizer(data: dict[str, list[list[str]]]) -> IntentRecognizer:
    intents: dict[str, list[str]] = defaultdict(list)
    for text, label in data["train"]:
        intents[label].append(text)
    assert len(intents) == 20
    return build_recognizer(intents, locale="en_US")


def test_top_intent_is_right_far_more_often_than_chance(
    recognizer: IntentRecognizer, data: dict[str, list[list[str]]]
) -> None:
    hits = sum(recognizer.recognize(text)[0].intent == label for text, label in data["val"])
    assert hits / len(data["val"]) >= 0.9  # chance is 0.05


def test_at_the_bot_threshold_most_in_scope_queries_are_kept_and_most_others_fall_back(
    recognizer: IntentRecognizer, data: dict[str, list[list[str]]]
) -> None:
    kept = sum(
        best.intent == label and best.score >= THRESHOLD
        for text, label in data["val"]
        for best in recognizer.recognize(text)[:1]
    )
    fell_back = sum(recognizer.recognize(text)[0].score < THRESHOLD for text, _ in data["oos_val"])
    assert kept / len(data["val"]) >= 0.85
    assert fell_back / len(data["oos_val"]) >= 0.6


def test_out_of_scope_queries_score_lower_than_in_scope_ones(
    recognizer: IntentRecognizer, data: dict[str, list[list[str]]]
) -> None:
    in_scope = statistics.median(recognizer.recognize(text)[0].score for text, _ in data["val"])
    out_of_scope = statistics.median(recognizer.recognize(text)[0].score for text, _ in data["oos_val"])
    assert in_scope > 0.8
    assert out_of_scope < 0.3
