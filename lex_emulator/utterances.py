"""Sample utterances as matchers: ``"My name is {Name}"`` pulls ``Name`` out of "my name is Ann".

Matching ignores case, punctuation and spacing differences. In Korean, the copula or ending right
after a slot may differ from the sample ("제 이름은 {Name}입니다" also matches "제 이름은 민수예요"),
since Korean attaches it to the word and varies it with the name's last syllable and politeness.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from .state import SlotValue
from .text import fold, normalize

_SLOT = re.compile(r"\{([0-9A-Za-z](?:[_-]?[0-9A-Za-z])*)\}")
_KO_ENDINGS = (
    r"(?:이라고\s*합니다|라고\s*합니다|이라고\s*해요|라고\s*해요|이라고\s*해|라고\s*해|"
    r"입니다|이에요|예요|이야|이요|야|요)"
)
_KO_ENDINGS_AFTER_SLOT = re.compile("^" + _KO_ENDINGS)
_KO_ENDING_ALTERNATIVES = _KO_ENDINGS

SlotResolver = Callable[[str, str], SlotValue | None]  # (slot name, captured text) -> value


@dataclass(frozen=True)
class UtteranceTemplate:
    text: str
    slot_names: tuple[str, ...]
    pattern: re.Pattern[str]

    @property
    def has_slots(self) -> bool:
        return bool(self.slot_names)


def _literal_pattern(piece: str, *, after_slot: bool) -> str:
    normalized = normalize(piece)
    lead = r"\s*" if piece[:1].isspace() or (piece and not normalize(piece[:1])) else ""
    trail = r"\s*" if piece[-1:].isspace() or (piece and not normalize(piece[-1:])) else ""
    ending = ""
    if after_slot and not lead:
        match = _KO_ENDINGS_AFTER_SLOT.match(normalized)
        if match:
            ending = _KO_ENDING_ALTERNATIVES
            normalized = normalized[match.end() :].strip()
            lead = r"\s*" if normalized else ""
    words = r"\s+".join(re.escape(word) for word in normalized.split())
    if not words:
        return ending + (r"\s*" if (lead or trail) else "")
    return ending + lead + words + trail


def compile_template(text: str) -> UtteranceTemplate:
    """A sample utterance (with ``{Slot}`` references) as a case-insensitive full-match pattern."""
    parts: list[str] = []
    names: list[str] = []
    previous_was_slot = False
    position = 0
    for match in _SLOT.finditer(text):
        literal = text[position : match.start()]
        if literal:
            parts.append(_literal_pattern(literal, after_slot=previous_was_slot))
        elif previous_was_slot:
            parts.append(r"\s+")
        parts.append(f"(?P<slot{len(names)}>.+?)")
        names.append(match.group(1))
        previous_was_slot = True
        position = match.end()
    tail = text[position:]
    if tail:
        parts.append(_literal_pattern(tail, after_slot=previous_was_slot))
    pattern = re.compile("^" + "".join(parts).strip() + "$", re.IGNORECASE)
    return UtteranceTemplate(text=text, slot_names=tuple(names), pattern=pattern)


def compile_templates(texts: Sequence[str]) -> tuple[UtteranceTemplate, ...]:
    return tuple(compile_template(text) for text in texts)


def exact_match(text: str, templates: Sequence[UtteranceTemplate]) -> bool:
    """Whether the input is one of the slot-free sample utterances (ignoring case and punctuation)."""
    folded = fold(text)
    return any(not template.has_slots and fold(template.text) == folded for template in templates)


def match_slots(
    text: str, templates: Sequence[UtteranceTemplate], resolve: SlotResolver
) -> dict[str, SlotValue] | None:
    """Slot values from the template that matches the input and fills the most slots, or None.

    A template counts only when every slot it captures resolves to a value of the slot's type.
    """
    normalized = normalize(text)
    best: dict[str, SlotValue] | None = None
    for template in templates:
        if not template.has_slots:
            continue
        match = template.pattern.match(normalized)
        if not match:
            continue
        values: dict[str, SlotValue] = {}
        for index, name in enumerate(template.slot_names):
            value = resolve(name, match.group(f"slot{index}").strip())
            if value is None:
                break
            values[name] = value
        else:
            if best is None or len(values) > len(best):
                best = values
    return best


def slots_of(values: Mapping[str, SlotValue] | None) -> dict[str, SlotValue]:
    return dict(values or {})
