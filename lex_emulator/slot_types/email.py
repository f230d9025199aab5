"""AMAZON.EmailAddress: an address given as username@domain, typed or spoken ("ann dot lee at example
dot com").

Per the developer guide, the user name may hold letters, digits, "_", "-", "." and "+". Spoken
"at", "dot", "underscore", "dash" (and their words in each language) are turned into the symbols
when the answer has no "@" of its own. The domain is returned in lower case.
"""

from __future__ import annotations

import re
import unicodedata

from ..state import SlotValue
from .context import SlotContext, single

_ADDRESS = re.compile(
    r"(?<![\w.+-])([A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*)@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,63})(?![\w-])"
)
# Spoken symbols per language: "word=symbol".
_SPOKEN = {
    "en": "at=@|at sign=@|dot=.|period=.|underscore=_|dash=-|hyphen=-|plus=+",
    "ko": "골뱅이=@|앳=@|at=@|닷=.|점=.|dot=.|언더바=_|언더스코어=_|하이픈=-|대시=-",
    "ja": "アットマーク=@|アット=@|ドット=.|アンダーバー=_|アンダースコア=_|ハイフン=-",
    "es": "arroba=@|punto=.|guion bajo=_|guión bajo=_|guion=-|guión=-|más=+",
    "fr": "arobase=@|arrobase=@|at=@|point=.|tiret bas=_|underscore=_|tiret=-|plus=+",
    "de": "at=@|ät=@|punkt=.|unterstrich=_|bindestrich=-|minus=-|plus=+",
    "it": "chiocciola=@|at=@|punto=.|trattino basso=_|underscore=_|trattino=-|più=+",
    "pt": "arroba=@|ponto=.|underline=_|sublinhado=_|hífen=-|hifen=-|traço=-|mais=+",
}


def _spoken_to_symbols(text: str, language: str) -> str:
    pairs = [item.split("=", 1) for item in _SPOKEN.get(language, _SPOKEN["en"]).split("|")]
    for word, symbol in sorted(pairs, key=lambda pair: -len(pair[0])):
        text = re.sub(rf"\s*(?<![\w]){re.escape(word)}(?![\w])\s*", symbol, text, flags=re.IGNORECASE)
    return text


def parse_email(text: str, language: str) -> str | None:
    text = unicodedata.normalize("NFKC", text).strip()
    if len(text) > 320:
        return None
    found = _ADDRESS.findall(text)
    if not found and "@" not in text:
        spoken = _spoken_to_symbols(text, language)
        found = _ADDRESS.findall(spoken) or _ADDRESS.findall(re.sub(r"\s+", "", spoken))
    if len(found) != 1:
        return None
    user, domain = found[0]
    if len(user) > 64:
        return None
    return f"{user}@{domain.lower()}"


def resolve_email(text: str, context: SlotContext) -> SlotValue | None:
    value = parse_email(text, context.language)
    return single(text.strip(), value) if value else None
