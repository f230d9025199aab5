"""Sample utterance templates: `{Slot}` references as wildcards, and slot values captured from an utterance.

A template such as "My name is {Name}" or "제 이름은 {Name}입니다" matches an utterance when its
literal words, normalised as in `text`, surround one to `MAX_SLOT_WORDS` words per slot (a slot may
end inside a Korean word, so "민수입니다" gives 민수). A Korean copula 이 right after a slot is
optional, as it is after a vowel ("{Name}이야" matches both "지민이야" and "민수야"). Captured values
keep the user's spelling.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .text import NormalizedText, normalize

MAX_SLOT_WORDS = 5
_SLOT_REFERENCE = re.compile(r"\{([^{}]*)\}")
_SLOT_NAME = re.compile(r"^(?:[0-9A-Za-z][_-]?){1,100}$")  # Lex's own rule for slot names
_COPULA = "이"
_SLOT_VALUE = rf"[^ ]+?(?: [^ ]+?){{0,{MAX_SLOT_WORDS - 1}}}"


class TemplateError(ValueError):
    """A sample utterance that is not a valid template (unbalanced braces, bad slot name)."""


@dataclass(frozen=True)
class Template:
    """One sample utterance, parsed."""

    source: str
    literal: NormalizedText
    slots: tuple[str, ...]
    pattern: re.Pattern[str] | None

    @property
    def literal_words(self) -> list[str]:
        """The template's own words (slot references left out)."""
        return self.literal.words


def parse_template(utterance: str) -> Template:
    """Parse a sample utterance; raises `TemplateError` naming the problem."""
    pieces = _SLOT_REFERENCE.split(utterance)
    literals = pieces[0::2]
    slots = tuple(pieces[1::2])
    for literal in literals:
        if "{" in literal or "}" in literal:
            raise TemplateError(f"unbalanced braces in sample utterance {utterance!r}")
    for slot in slots:
        if not _SLOT_NAME.match(slot):
            raise TemplateError(f"invalid slot reference {{{slot}}} in sample utterance {utterance!r}")
    literal = normalize(" ".join(literals))
    if not slots:
        return Template(utterance, literal, (), None)
    parts: list[str] = []
    for index, piece in enumerate(literals):
        words = normalize(piece).text
        if index > 0 and piece.startswith(_COPULA):
            parts.append(f"{_COPULA}?{re.escape(words[len(_COPULA) :])}")
        elif words:
            parts.append(re.escape(words))
        if index < len(slots):
            parts.append(f"(?P<s{index}>{_SLOT_VALUE})")
    return Template(utterance, literal, slots, re.compile(" ?".join(parts)))


def match_template(template: Template, utterance: NormalizedText) -> dict[str, str] | None:
    """Slot values (in the user's spelling) if `utterance` matches `template` entirely, else None.

    A slot named twice keeps its first value.
    """
    if template.pattern is None:
        return None
    found = template.pattern.fullmatch(utterance.text)
    if found is None:
        return None
    values: dict[str, str] = {}
    for index, slot in enumerate(template.slots):
        start, end = found.span(f"s{index}")
        values.setdefault(slot, utterance.original(start, end))
    return values


def best_template_match(templates: Sequence[Template], utterance: NormalizedText) -> dict[str, str] | None:
    """Slot values from the most specific matching template (most literal text), or None."""
    best: tuple[int, dict[str, str]] | None = None
    for template in templates:
        values = match_template(template, utterance)
        if values is not None and (best is None or len(template.literal.text) > best[0]):
            best = (len(template.literal.text), values)
    return None if best is None else best[1]


def extract_slot_values(utterance: str, sample_utterances: Sequence[str]) -> Mapping[str, str]:
    """Slot values in `utterance` according to the sample utterances that contain `{Slot}` references.

    Returns {} when no template matches. Example: "Hi, I'm Alice!" with "Hi, I'm {Name}" gives
    {"Name": "Alice"}; "제 이름은 민수입니다" with "제 이름은 {Name}입니다" gives {"Name": "민수"}.
    """
    templates = [parse_template(sample) for sample in sample_utterances]
    return best_template_match(templates, normalize(utterance)) or {}
