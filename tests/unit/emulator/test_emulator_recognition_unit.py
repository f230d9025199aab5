"""Interpretations: the NLU's scores, the threshold, FallbackIntent's place and the sample utterances."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lex_emulator.definition import IntentDef, LocaleDef
from lex_emulator.recognition import IntentRanker, Ranked
from lex_emulator.state import SlotValue


@dataclass(frozen=True)
class Score:
    intent: str
    score: float


class FixedScores:
    def __init__(self, scores: Mapping[str, float]) -> None:
        self.scores = scores

    def recognize(self, text: str) -> list[Score]:
        return sorted((Score(name, value) for name, value in self.scores.items()), key=lambda s: -s.score)


def locale(names: Sequence[str], threshold: float = 0.5) -> LocaleDef:
    intents = [IntentDef(name, sample_utterances=(f"sample for {name}",)) for name in names]
    return LocaleDef("en_US", threshold, (*intents, IntentDef("FallbackIntent", is_fallback=True)))


def ranker(scores: Mapping[str, float], threshold: float = 0.5) -> IntentRanker:
    built: dict[str, Any] = {}

    def factory(intents: Mapping[str, Sequence[str]], *, locale: str) -> FixedScores:
        built.update(intents=dict(intents), locale=locale)
        return FixedScores(scores)

    result = IntentRanker(locale(list(scores), threshold), factory)
    assert built["locale"] == "en_US"
    assert "FallbackIntent" not in built["intents"]
    return result


def no_slots(intent: str) -> Any:
    def resolve(slot: str, text: str) -> SlotValue | None:
        return None

    return resolve


def test_below_the_threshold_fallback_comes_first_and_the_rest_follow() -> None:
    ranked = ranker({"A": 0.3, "B": 0.2}).rank("something", no_slots)

    assert ranked == [Ranked("FallbackIntent", None), Ranked("A", 0.3), Ranked("B", 0.2)]


def test_fallback_sits_where_the_scores_drop_below_the_threshold() -> None:
    ranked = ranker({"A": 0.9, "B": 0.6, "C": 0.1}).rank("something", no_slots)

    assert ranked == [Ranked("A", 0.9), Ranked("B", 0.6), Ranked("FallbackIntent", None), Ranked("C", 0.1)]


def test_at_most_five_interpretations() -> None:
    scores = {name: 0.9 - index * 0.1 for index, name in enumerate("ABCDEFG")}

    ranked = ranker(scores).rank("x", no_slots)

    assert len(ranked) == 5
    assert [item.intent for item in ranked] == ["A", "B", "C", "D", "E"]


def test_a_sample_utterance_itself_scores_one() -> None:
    ranked = ranker({"A": 0.2, "B": 0.45}).rank("Sample for A!", no_slots)

    assert ranked[0] == Ranked("A", 1.0)


def test_scores_are_rounded_and_clamped() -> None:
    ranked = ranker({"A": 1.7, "B": 0.123456}).rank("x", no_slots)

    assert ranked[0] == Ranked("A", 1.0)
    assert Ranked("B", 0.12) in ranked
