"""AMAZON.AlphaNumeric: a word of letters and digits ("ABC123", "7F"), optionally filtered by a regex.

From a longer answer ("my code is ABC123") the word that mixes letters and digits is taken first,
then a word of digits; an answer that is a single word is taken as it is.
"""

from __future__ import annotations

import re
import unicodedata

from ..state import SlotValue
from .context import SlotContext, single

_TOKEN = re.compile(r"[A-Za-z0-9]+")


def _candidates(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).strip().strip(".,!?;:\"'")
    tokens = _TOKEN.findall(text)
    mixed = [token for token in tokens if any(c.isdigit() for c in token) and any(c.isalpha() for c in token)]
    digits = [token for token in tokens if token.isdigit()]
    whole = [text] if _TOKEN.fullmatch(text) else []
    return [*whole, *reversed(mixed), *reversed(digits)]


def parse_alphanumeric(text: str, pattern: str | None = None) -> str | None:
    """The alphanumeric value in an answer (the first candidate matching ``pattern`` when given)."""
    for candidate in _candidates(text):
        if pattern is None or re.fullmatch(pattern, candidate):
            return candidate
    if pattern is not None:
        # A value spelled with spaces ("AB 1234"): try runs of neighbouring words, joined.
        tokens = _TOKEN.findall(text)
        for length in range(2, len(tokens) + 1):
            for start in range(len(tokens) - length + 1):
                joined = "".join(tokens[start : start + length])
                if re.fullmatch(pattern, joined):
                    return joined
    return None


def resolve_alphanumeric(text: str, context: SlotContext) -> SlotValue | None:
    value = parse_alphanumeric(text)
    return single(value, value) if value else None
