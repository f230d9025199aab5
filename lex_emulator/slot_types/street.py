"""AMAZON.StreetName: a street named in the answer ("Main Street", "I live on Elm St", "테헤란로",
"calle de Alcalá").

A rule-based stand-in: "I live on", "it's" and their equivalents are removed, and what is left must
be a few words holding letters (numbers allowed, "5th Avenue"), not a question nor a yes/no answer.
"""

from __future__ import annotations

import re
import unicodedata

from ..state import SlotValue
from ..yes_no import classify_yes_no
from .context import SlotContext, single

_PREFIXES = {
    "en": r"(?:i\s+live\s+(?:on|at|in)|it's\s+on|it\s+is\s+on|it's|it\s+is|the\s+street\s+is|on)\s+",
    "ko": r"(?:저는|제\s*주소는|주소는)\s*",
    "es": r"(?:vivo\s+en|está\s+en|es\s+en|es)\s+",
    "fr": r"(?:j'habite|j'habite\s+au|j'habite\s+à|c'est|au)\s+",
    "de": r"(?:ich\s+wohne\s+in\s+der|ich\s+wohne\s+in|ich\s+wohne\s+an\s+der|es\s+ist\s+die|in\s+der)\s+",
    "it": r"(?:abito\s+in|vivo\s+in|è\s+in|in)\s+",
    "pt": r"(?:moro\s+na|moro\s+no|moro\s+em|fica\s+na|é\s+na)\s+",
    "ja": r"(?:住所は|私は)\s*",
}
_SUFFIXES = {
    "ko": r"(?:에\s*살아요|에\s*삽니다|에\s*살고\s*있어요|이에요|예요|입니다|이요|요)$",
    "ja": r"(?:に住んでいます|です|だよ)$",
}
_EDGES = " \t\r\n.,!~…\"'“”‘’()[]:;、。"


def extract_street_name(text: str, locale_id: str, language: str) -> str | None:
    text = unicodedata.normalize("NFKC", text).strip(_EDGES)
    if not text or "?" in text or len(text) > 80:
        return None
    prefix = _PREFIXES.get(language)
    if prefix:
        text = re.sub(rf"^(?:{prefix})", "", text, count=1, flags=re.IGNORECASE).strip(_EDGES)
    suffix = _SUFFIXES.get(language)
    if suffix:
        text = re.sub(suffix, "", text, count=1).strip(_EDGES) or text
    words = text.split()
    if not words or len(words) > 6 or not re.search(r"[^\W\d_]", text):
        return None
    if classify_yes_no(text, locale_id) is not None:
        return None
    return " ".join(words)


def resolve_street_name(text: str, context: SlotContext) -> SlotValue | None:
    value = extract_street_name(text, context.locale_id, context.language)
    return single(value, value) if value else None
