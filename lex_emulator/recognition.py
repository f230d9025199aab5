"""Intent recognition for one locale: the NLU's scores, the sample utterances, and the threshold.

The NLU (``lex_emulator.nlu``) scores the locale's intents. On top of it, an input that *is* a
sample utterance scores 1.0 for its intent, and one that matches a sample utterance with slots
(whose slots resolve) scores at least 0.9: Lex recognises its own training utterances with high
confidence. Interpretations follow Lex: intents at or above ``NluConfidenceThreshold`` first, then
FallbackIntent (no score), then the rest, best first, at most five.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from .definition import LocaleDef
from .state import SlotValue
from .utterances import UtteranceTemplate, compile_templates, exact_match, match_slots

MAX_INTERPRETATIONS = 5
TEMPLATE_MATCH_SCORE = 0.9


class IntentScoreLike(Protocol):
    @property
    def intent(self) -> str: ...

    @property
    def score(self) -> float: ...


class Recognizer(Protocol):
    def recognize(self, text: str) -> Sequence[IntentScoreLike]: ...


RecognizerFactory = Callable[..., Any]  # build_recognizer(intents, *, locale=...) -> Recognizer


@dataclass(frozen=True)
class Ranked:
    intent: str
    score: float | None  # None for the fallback intent


def default_recognizer_factory() -> RecognizerFactory:
    from .nlu import build_recognizer  # imported late: the NLU is a separate component

    return build_recognizer


class IntentRanker:
    """Ranks a locale's intents for an input, ready to become RecognizeText's interpretations."""

    def __init__(self, locale: LocaleDef, factory: RecognizerFactory) -> None:
        self._locale = locale
        self._fallback = locale.fallback.name
        intents = {intent.name: list(intent.sample_utterances) for intent in locale.recognisable_intents}
        self._recognizer: Recognizer | None = factory(intents, locale=locale.locale_id) if intents else None
        self._templates: dict[str, tuple[UtteranceTemplate, ...]] = {
            intent.name: compile_templates(intent.sample_utterances) for intent in locale.recognisable_intents
        }

    def templates(self, intent: str) -> tuple[UtteranceTemplate, ...]:
        return self._templates.get(intent, ())

    def rank(
        self, text: str, resolver: Callable[[str], Callable[[str, str], SlotValue | None]]
    ) -> list[Ranked]:
        """Interpretations for ``text`` (best first, FallbackIntent placed by the threshold)."""
        scores: dict[str, float] = {}
        if self._recognizer is not None:
            for item in self._recognizer.recognize(text):
                if item.intent in self._templates:
                    score = min(max(float(item.score), 0.0), 1.0)
                    scores[item.intent] = max(scores.get(item.intent, 0.0), score)
        for intent, templates in self._templates.items():
            if exact_match(text, templates):
                scores[intent] = 1.0
            elif match_slots(text, templates, resolver(intent)) is not None:
                scores[intent] = max(scores.get(intent, 0.0), TEMPLATE_MATCH_SCORE)
        ordered = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        above = [Ranked(name, round(score, 2)) for name, score in ordered if score >= self._locale.threshold]
        below = [Ranked(name, round(score, 2)) for name, score in ordered if score < self._locale.threshold]
        return [*above, Ranked(self._fallback, None), *below][:MAX_INTERPRETATIONS]
