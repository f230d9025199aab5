"""Numbers written in words in Spanish, French, German, Italian, Portuguese and English (via `text2num`),
and in Japanese kanji numerals ("二十五", "三千五百", "一万二千") or counted forms ("ふたつ", "3つ").

Used by `number` for the languages whose words it does not read itself; the answer must hold
exactly one number.
"""

from __future__ import annotations

import re

from text_to_num import alpha2digit  # type: ignore[import-untyped]

_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w])")
_JA_DIGITS = {
    "〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_JA_SMALL = {"十": 10, "百": 100, "千": 1_000}
_JA_LARGE = {"万": 10_000, "億": 100_000_000}
_JA_NATIVE = {
    "ひとつ": 1, "ふたつ": 2, "みっつ": 3, "よっつ": 4, "いつつ": 5, "むっつ": 6, "ななつ": 7,
    "やっつ": 8, "ここのつ": 9, "とお": 10,
}  # fmt: skip
_JA_RUN = re.compile(r"[〇零一二三四五六七八九十百千万億]+")


def _kanji(word: str) -> int | None:
    total = 0
    section = 0
    digit: int | None = None
    for char in word:
        if char in _JA_DIGITS:
            # "二〇二六" is read digit by digit
            digit = _JA_DIGITS[char] if digit is None else digit * 10 + _JA_DIGITS[char]
        elif char in _JA_SMALL:
            section += (1 if digit is None else digit) * _JA_SMALL[char]
            digit = None
        else:
            section += digit or 0
            total += max(section, 1) * _JA_LARGE[char]
            section = 0
            digit = None
    return total + section + (digit or 0)


def _japanese(text: str) -> str | None:
    runs = _JA_RUN.findall(text)
    natives = [value for word, value in _JA_NATIVE.items() if word in text]
    values = [_kanji(run) for run in runs] + natives
    if len(values) != 1 or values[0] is None:
        return None
    return str(values[0])


def words_to_number(text: str, language: str) -> str | None:
    """The one number written in words in ``text`` (in digits), or None."""
    if language == "ja":
        return _japanese(text)
    try:
        converted = alpha2digit(text.casefold(), language)
    except (ValueError, RuntimeError):
        return None
    numbers = _NUMBER.findall(converted)
    if len(numbers) != 1:
        return None
    value = float(numbers[0])
    return str(int(value)) if value.is_integer() and "." not in numbers[0] else numbers[0]
