"""AMAZON.LastName: a family name taken out of an answer ("my last name is Lee", "제 성은 김입니다",
"mi apellido es García", "苗字は田中です").

Like AMAZON.FirstName here, a rule-based stand-in for Lex's trained model: the usual phrasings of the
locale's language are removed and what is left must look like a name (one to three words of letters,
not a yes/no answer).
"""

from __future__ import annotations

import unicodedata

from ..state import SlotValue
from ..yes_no import classify_yes_no
from .context import SlotContext, single
from .name_phrasing import looks_like_a_name, strip_name_phrasing


def extract_last_name(text: str, locale_id: str, language: str) -> str | None:
    text = unicodedata.normalize("NFKC", text).strip()
    if not text or "?" in text or any(char.isdigit() for char in text):
        return None
    candidate = strip_name_phrasing(text, language, last=True)
    if classify_yes_no(candidate, locale_id) is not None:
        return None
    return candidate if looks_like_a_name(candidate, language) else None


def resolve_last_name(text: str, context: SlotContext) -> SlotValue | None:
    name = extract_last_name(text, context.locale_id, context.language)
    return single(name, name) if name else None
