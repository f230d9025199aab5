"""Custom slot types: values with synonyms, resolved the way the type's ResolutionStrategy says.

A value or synonym is found as the whole answer or inside it (as whole words in Latin script; in
Korean also with a particle attached, "피자를"), longest first, then by a close spelling match.
``OriginalValue`` keeps what the user said as the interpreted value; ``TopResolution`` gives the
slot type value it resolved to. Either way ``resolvedValues`` holds the slot type value. A type with
``ParentSlotTypeSignature: AMAZON.AlphaNumeric`` and a regex filter accepts an answer all of which
matches the regex (see `lex_regex`); one without values or a regex takes what AMAZON.AlphaNumeric takes.
"""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING

from ..state import SlotValue
from ..text import fold, is_hangul, normalize
from .alphanumeric import parse_alphanumeric
from .context import SlotContext
from .lex_regex import match_whole_input

if TYPE_CHECKING:
    from ..definition import CustomSlotType


def _phrases(slot_type: CustomSlotType) -> list[tuple[str, str]]:
    """(folded phrase, slot type value) for every value and synonym, longest phrase first."""
    pairs = [
        (fold(phrase), entry.value)
        for entry in slot_type.values
        for phrase in (entry.value, *entry.synonyms)
        if fold(phrase)
    ]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def _find(phrase: str, folded_text: str) -> re.Match[str] | None:
    if is_hangul(phrase[-1]):
        # A Korean word may carry a particle after it; it must still start at a word boundary.
        return re.search(rf"(?<!\w){re.escape(phrase)}", folded_text)
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", folded_text)


def resolve_custom(
    slot_type: CustomSlotType, text: str, context: SlotContext | None = None
) -> SlotValue | None:
    """The value of a custom slot type in an answer (``context`` is unused: values are as defined)."""
    del context
    if slot_type.regex is not None:
        value = match_whole_input(text, slot_type.regex)
        return SlotValue(value, value, (value,)) if value else None
    if slot_type.parent is not None and not slot_type.values:
        value = parse_alphanumeric(text)
        return SlotValue(value, value, (value,)) if value else None
    normalized = normalize(text)
    folded = normalized.casefold()
    if not folded:
        return None
    phrases = _phrases(slot_type)
    for phrase, value in phrases:
        if phrase == folded:
            return _value(slot_type, normalized, value)
    for phrase, value in phrases:
        match = _find(phrase, folded)
        if match:
            # casefold keeps lengths for the scripts we see; fall back to the phrase if it does not
            original = normalized[match.start() : match.end()] if len(folded) == len(normalized) else phrase
            return _value(slot_type, original, value)
    close = difflib.get_close_matches(folded, [phrase for phrase, _ in phrases], n=1, cutoff=0.8)
    if close:
        value = next(value for phrase, value in phrases if phrase == close[0])
        return _value(slot_type, normalized, value)
    return None


def _value(slot_type: CustomSlotType, original: str, value: str) -> SlotValue:
    interpreted = value if slot_type.resolution == "TopResolution" else original
    return SlotValue(original=original, interpreted=interpreted, resolved=(value,))
