"""AMAZON.Time: a time as ``HH:MM`` (24-hour), a part of the day, or an ambiguous hour.

As the developer guide describes the type: "3 pm", "오후 3시", "15:30" resolve to one time; "noon"
and "midnight" to 12:00 and 00:00; a part of the day alone ("morning", "오후", "夕方") to one of
AM, PM, MO, AF, EV or NI; and an hour that could be either half of the day ("10 o'clock", "3시")
leaves ``interpretedValue`` null with both resolutions, e.g. ["10:00", "22:00"].
"""

from __future__ import annotations

import contextlib
import re
import unicodedata

from ..state import SlotValue
from .context import AmbiguousSlotValue, SlotContext, single
from .time_words import WORDS, TimeWords

_EDGES = " \t\r\n.,!?;:\"'“”‘’()[]~"
_CLOCK = re.compile(r"(?<![\d:])(\d{1,2})\s*(?::|h|uhr|시|時)\s*(\d{1,2})?\s*(?:분|分|min)?(?![\d:])")
_BARE_HOUR = re.compile(r"(?<![\d:.,])(\d{1,2})(?:\s+(\d{2}))?(?![\d:.,])")
_CLOCK_UNITS = ("am", "pm", "uhr", "h", "분", "分", "min")
_KO_NATIVE_HOURS = {
    "열두": 12, "열한": 11, "열": 10, "아홉": 9, "여덟": 8, "일곱": 7, "여섯": 6, "다섯": 5, "네": 4, "세": 3,
    "두": 2, "한": 1,
}  # fmt: skip
_KO_HOUR_WORD = re.compile(rf"({'|'.join(_KO_NATIVE_HOURS)})\s*시")
_KO_SINO_MINUTES = re.compile(r"([일이삼사오육칠팔구십]+)\s*분")
_CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\u3131-\u318e\uac00-\ud7a3]")
_JA_KANJI = re.compile(r"[〇零一二三四五六七八九十]+")


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"\b([ap])\s*\.\s*m\b\.?", r"\1m", text)
    return " ".join(text.split()).strip(_EDGES)


def _has(phrase: str, text: str) -> bool:
    if not phrase:
        return False
    if _CJK.search(phrase):
        return phrase in text
    return re.search(rf"(?<![\w'-]){re.escape(phrase)}(?![\w'-])", text) is not None


def _digits(text: str, language: str) -> str:
    """Number words to digits, so that "three pm", "세 시", "三時半" read like "3 pm", "3시", "3時半"."""
    if language == "ko":
        from .number import _sino_korean

        text = _KO_HOUR_WORD.sub(lambda match: f"{_KO_NATIVE_HOURS[match.group(1)]}시", text)
        return _KO_SINO_MINUTES.sub(lambda match: f"{_sino_korean(match.group(1)) or match.group(1)}분", text)
    if language == "ja":
        from .number_words import _kanji

        return _JA_KANJI.sub(lambda match: str(_kanji(match.group(0))), text)
    from text_to_num import alpha2digit  # type: ignore[import-untyped]

    # "cuarto" and "quart" would become ordinals ("4º"): keep the quarter and half phrases as they are
    words = WORDS.get(language)
    kept = [p for p in (*words.quarter, *words.quarter_to, *words.half, *words.half_to) if p] if words else []
    for index, phrase in enumerate(sorted(kept, key=len, reverse=True)):
        text = text.replace(phrase, f" §{index}§ ")
    with contextlib.suppress(ValueError, RuntimeError):  # text2num refuses some inputs: keep the words
        text = str(alpha2digit(text, language, threshold=0))
    for index, phrase in enumerate(sorted(kept, key=len, reverse=True)):
        text = text.replace(f"§{index}§", phrase)
    return " ".join(text.split())


def _clock(text: str, words: TimeWords) -> tuple[int, int | None] | None:
    match = _CLOCK.search(text)
    if match:
        return int(match.group(1)), int(match.group(2)) if match.group(2) else None
    bare = _BARE_HOUR.findall(text)
    if len(bare) == 1:
        hour, minute = bare[0]
        return int(hour), int(minute) if minute else None
    return None


def _candidates(hour: int, minute: int, text: str, words: TimeWords) -> tuple[str, ...] | None:
    if not (0 <= hour <= 24 and 0 <= minute <= 59):
        return None
    morning = any(_has(phrase, text) for phrase in words.before_noon)
    afternoon = any(_has(phrase, text) for phrase in words.after_noon)
    if hour == 24:
        hour = 0
    elif 1 <= hour <= 12 and morning != afternoon:
        hour = hour % 12 + (12 if afternoon else 0)
    elif 1 <= hour <= 12 and not re.search(r"(?<!\d)0\d", text):
        # "10 o'clock" could be morning or evening; "09:30" written with a leading zero could not
        other = (hour + 12) % 24
        return (f"{hour:02d}:{minute:02d}", f"{other:02d}:{minute:02d}")
    return (f"{hour:02d}:{minute:02d}",)


def parse_time(text: str, language: str) -> tuple[str, ...] | None:
    """The time(s) an answer names: one ``HH:MM``, two for an ambiguous hour, a period code, or None."""
    words = WORDS.get(language, WORDS["en"])
    normalized = _normalize(text)
    if not normalized or len(normalized) > 100:
        return None
    for phrase in sorted(words.noon + words.midnight, key=len, reverse=True):
        if _has(phrase, normalized):
            return ("12:00",) if phrase in words.noon else ("00:00",)
    with_digits = _digits(normalized, language)
    clock = _clock(with_digits, words)
    if clock is not None:
        hour, minute = clock
        if minute is None:
            minute = 30 if any(_has(p, with_digits) for p in words.half) else 0
            minute = 15 if any(_has(p, with_digits) for p in words.quarter) else minute
            if any(_has(p, with_digits) for p in words.quarter_to):
                hour, minute = {0: 23, 1: 12}.get(hour, hour - 1), 45
            elif any(_has(p, with_digits) for p in words.half_to):
                hour, minute = {0: 23, 1: 12}.get(hour, hour - 1), 30
        return _candidates(hour, minute, with_digits, words)
    if normalized in words.periods:
        return (words.periods[normalized],)
    bare = normalized
    for phrase in sorted(words.filler, key=len, reverse=True):
        bare = re.sub(rf"(?<![\w']){re.escape(phrase)}(?![\w'])", " ", bare)
    bare = " ".join(bare.split())
    if bare in words.periods:
        return (words.periods[bare],)
    return None


def is_only_a_time(text: str, language: str) -> bool:
    """Whether an answer is a clock time and nothing else ("3 pm", "오후 3시"), so not a date."""
    found = parse_time(text, language)
    if found is None or not found[0][:1].isdigit():
        return False
    words = WORDS.get(language, WORDS["en"])
    rest = _digits(_normalize(text), language)
    phrases = (*words.noon, *words.midnight, *words.before_noon, *words.after_noon, *words.half,
               *words.quarter, *words.quarter_to, *words.half_to, *words.hour_marks, *words.filler,
               *_CLOCK_UNITS)  # fmt: skip
    for phrase in sorted(phrases, key=len, reverse=True):
        rest = (
            rest.replace(phrase, " ")
            if not phrase.isascii()
            else re.sub(rf"(?<![a-z']){re.escape(phrase)}(?![a-z'])", " ", rest)
        )
    return re.search(r"[^\W\d_]", rest) is None


def resolve_time(text: str, context: SlotContext) -> SlotValue | None:
    found = parse_time(text, context.language)
    if found is None:
        return None
    original = text.strip()
    if len(found) > 1:
        return AmbiguousSlotValue(original=original, interpreted=found[0], resolved=found)
    return single(original, found[0])
