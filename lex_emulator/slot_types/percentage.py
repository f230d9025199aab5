"""AMAZON.Percentage: a number with a percent sign ("50 percent" -> "50%", "23.5%" -> "23.5%").

As the Lex guide's examples show, words and symbols become the number followed by "%"; a number
said without a percent sign or word gives the number alone. Percent words are read per language.
"""

from __future__ import annotations

import re

from ..state import SlotValue
from .context import SlotContext, single
from .number import parse_number

_PERCENT_WORDS = {
    "en": "percent|per cent|pct",
    "ko": "퍼센트|프로|퍼|%",
    "ja": "パーセント|パー|%|割",
    "es": "por ciento|porciento",
    "fr": "pour cent|pourcent|pour-cent",
    "de": "prozent",
    "it": "per cento|percento",
    "pt": "por cento|porcento",
}


def parse_percentage(text: str, language: str) -> str | None:
    """ "N%" when the answer says a percentage, "N" for a bare number, None otherwise."""
    folded = text.casefold().replace("％", "%")
    words = _PERCENT_WORDS.get(language, _PERCENT_WORDS["en"]).split("|")
    has_percent = "%" in folded or any(word in folded for word in words)
    stripped = folded.replace("%", " ")
    for word in sorted(words, key=len, reverse=True):
        stripped = stripped.replace(word, " ")
    if language == "ja" and "割" in folded:
        number = parse_number(re.sub(r"割", " ", stripped), language)
        return f"{float(number) * 10:g}%" if number else None
    number = parse_number(stripped, language)
    if number is None:
        return None
    return f"{number}%" if has_percent else number


def resolve_percentage(text: str, context: SlotContext) -> SlotValue | None:
    value = parse_percentage(text, context.language)
    return single(text.strip(), value) if value else None
