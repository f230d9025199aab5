"""AMAZON.PhoneNumber: a phone number as a string of digits without punctuation, "+" kept when said.

As the developer guide's table shows: "+1 (509) 555-1212" -> "+15095551212", "(509) 555-1212" ->
"5095551212", "555-1212" -> "5551212". The number is found with Google's `phonenumbers`, the bot
locale's country as the default region; digits said as words ("five five five ...", "공일공 ...")
are read first.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

from ..state import SlotValue
from .context import SlotContext, single

_DIGIT_WORDS = {
    "en": "zero=0|oh=0|o=0|one=1|two=2|three=3|four=4|five=5|six=6|seven=7|eight=8|nine=9",
    "ko": "공=0|영=0|일=1|이=2|삼=3|사=4|오=5|육=6|칠=7|팔=8|구=9",
    "ja": "ゼロ=0|〇=0|零=0|一=1|二=2|三=3|四=4|五=5|六=6|七=7|八=8|九=9",
    "es": "cero=0|uno=1|dos=2|tres=3|cuatro=4|cinco=5|seis=6|siete=7|ocho=8|nueve=9",
    "fr": "zéro=0|zero=0|un=1|deux=2|trois=3|quatre=4|cinq=5|six=6|sept=7|huit=8|neuf=9",
    "de": "null=0|eins=1|zwei=2|zwo=2|drei=3|vier=4|fünf=5|sechs=6|sieben=7|acht=8|neun=9",
    "it": "zero=0|uno=1|due=2|tre=3|quattro=4|cinque=5|sei=6|sette=7|otto=8|nove=9",
    "pt": "zero=0|um=1|dois=2|duas=2|três=3|tres=3|quatro=4|cinco=5|seis=6|meia=6|sete=7|oito=8|nove=9",
}
_PLUS_WORDS = ("plus", "더하기", "プラス", "más", "mais", "più")
_RUN = re.compile(r"\+?\d[\d\s().-]{5,}\d")


def _spoken_digits(text: str, language: str) -> str:
    table = dict(item.split("=", 1) for item in _DIGIT_WORDS.get(language, _DIGIT_WORDS["en"]).split("|"))
    if language in ("ko", "ja"):
        # Spoken digits run together ("공일공에 일이삼사"): only a run of three or more counts.
        pattern = "|".join(sorted(map(re.escape, table), key=len, reverse=True))
        return re.sub(rf"(?:{pattern}){{3,}}", lambda m: "".join(table[c] for c in m.group(0)), text)
    words = text.split()
    out = []
    for index, word in enumerate(words):
        key = word.casefold().strip(",.")
        if key == "double" and index + 1 < len(words) and words[index + 1].casefold() in table:
            out.append(table[words[index + 1].casefold()])
        elif key in table:
            out.append(table[key])
        elif key in _PLUS_WORDS:
            out.append("+")
        else:
            out.append(f" {word} ")
    return re.sub(r"\s{2,}", " ", "".join(out)).strip()


def parse_phone_number(text: str, language: str, region: str) -> str | None:
    """The phone number in an answer, as digits with a leading "+" if one was said, or None."""
    text = unicodedata.normalize("NFKC", text).strip()
    if not text or len(text) > 200:
        return None
    if not re.search(r"\d.*\d.*\d", text):
        text = _spoken_digits(text, language)
    try:
        matches = list(phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE))
    except phonenumbers.NumberParseException:
        matches = []
    raw = matches[0].raw_string if len(matches) == 1 else None
    if raw is None:
        runs = _RUN.findall(text)
        if len(runs) != 1:
            return None
        raw = runs[0]
    digits = re.sub(r"\D", "", raw)
    if not 7 <= len(digits) <= 15:
        return None
    return ("+" if raw.lstrip().startswith("+") else "") + digits


def resolve_phone_number(text: str, context: SlotContext) -> SlotValue | None:
    value = parse_phone_number(text, context.language, context.region)
    return single(text.strip(), value) if value else None
