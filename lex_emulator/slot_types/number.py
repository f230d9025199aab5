"""AMAZON.Number: a number written in digits ("42", "1,200", "-3.5") or in simple words.

Words: English cardinals ("forty two", "a hundred and five", "two thousand"), Sino-Korean numerals
("삼십오", "백이십", "이천이십사") and native Korean ones ("하나", "스물셋", "열두"), with common counters
and endings removed ("세 개", "다섯 명", "열두 살", "삼십오요"). The interpreted value is the number
in digits ("42", "3.5").
"""

from __future__ import annotations

import re
import unicodedata

from ..state import SlotValue
from .context import SlotContext, single

_DIGITS = re.compile(r"(?<![\w.])[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w])")


def _words(text: str) -> list[str]:
    return text.split()


_EN_UNITS = {
    word: value
    for value, word in enumerate(
        _words(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
            "fifteen sixteen seventeen eighteen nineteen"
        )
    )
}
_EN_TENS = {
    word: (index + 2) * 10
    for index, word in enumerate(_words("twenty thirty forty fifty sixty seventy eighty ninety"))
}
_EN_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}

_KO_SINO_DIGITS = {
    "영": 0,
    "공": 0,
    "일": 1,
    "이": 2,
    "삼": 3,
    "사": 4,
    "오": 5,
    "육": 6,
    "칠": 7,
    "팔": 8,
    "구": 9,
}
_KO_SINO_SMALL = {"십": 10, "백": 100, "천": 1_000}
_KO_SINO_LARGE = {"만": 10_000, "억": 100_000_000}
_KO_NATIVE_UNITS = {
    "하나": 1, "한": 1, "둘": 2, "두": 2, "셋": 3, "세": 3, "석": 3, "넷": 4, "네": 4, "넉": 4,
    "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9,
}  # fmt: skip
_KO_NATIVE_TENS = {
    "열": 10,
    "스물": 20,
    "스무": 20,
    "서른": 30,
    "마흔": 40,
    "쉰": 50,
    "예순": 60,
    "일흔": 70,
    "여든": 80,
    "아흔": 90,
}
_COUNTERS = "개|명|살|번|장|권|마리|잔|병|대|층|호"
_KO_ENDINGS = re.compile(rf"(?:{_COUNTERS})?(?:입니다|이에요|예요|이요|요)?$")
_KO_COUNTER = re.compile(rf"(?:{_COUNTERS})(?:입니다|이에요|예요|이요|요)?")
_KO_PRENOMINAL = frozenset({"한", "두", "세", "석", "네", "넉", "스무"})


def _format(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _from_digits(text: str) -> str | None:
    matches = _DIGITS.findall(text)
    if len(matches) != 1:
        return None
    return _format(float(matches[0].replace(",", "")))


def _english_words(words: list[str]) -> int | None:
    total = 0
    current = 0
    seen = False
    for word in words:
        if word in ("and", "a"):
            continue
        if word in _EN_UNITS:
            current += _EN_UNITS[word]
        elif word in _EN_TENS:
            current += _EN_TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in _EN_SCALES:
            total += max(current, 1) * _EN_SCALES[word]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def _sino_korean(word: str) -> int | None:
    if not word or any(
        char not in _KO_SINO_DIGITS and char not in _KO_SINO_SMALL and char not in _KO_SINO_LARGE
        for char in word
    ):
        return None
    total = 0
    section = 0
    digit: int | None = None
    for char in word:
        if char in _KO_SINO_DIGITS:
            if digit is not None:
                return None  # two digits in a row ("삼오") is not how numbers are said
            digit = _KO_SINO_DIGITS[char]
        elif char in _KO_SINO_SMALL:
            section += (1 if digit is None else digit) * _KO_SINO_SMALL[char]
            digit = None
        else:
            section += digit or 0
            total += max(section, 1) * _KO_SINO_LARGE[char]
            section = 0
            digit = None
    return total + section + (digit or 0)


def _native_korean(word: str) -> int | None:
    for tens_word, tens in sorted(_KO_NATIVE_TENS.items(), key=lambda item: -len(item[0])):
        if word.startswith(tens_word):
            rest = word[len(tens_word) :]
            if not rest:
                return tens
            unit = _KO_NATIVE_UNITS.get(rest)
            return tens + unit if unit is not None else None
    return _KO_NATIVE_UNITS.get(word)


def _korean_words(words: list[str]) -> int | None:
    values: list[int] = []
    for index, word in enumerate(words):
        stem = _KO_ENDINGS.sub("", word) or word
        if stem in _KO_PRENOMINAL:
            # "세", "네", "한" are numbers only before a counter ("세 개", "네명"); alone "네" means yes.
            following = words[index + 1] if index + 1 < len(words) else ""
            if stem == word and not _KO_COUNTER.fullmatch(following):
                continue
        value = _sino_korean(stem)
        if value is None:
            value = _native_korean(stem)
        if value is not None:
            values.append(value)
    return values[0] if len(values) == 1 else None


_COMMA_DECIMAL = frozenset({"es", "fr", "de", "it", "pt"})
# Counters and endings after digits ("3개", "3명이요", "3つ", "5人です"), removed before reading them.
_DIGIT_COUNTERS = {
    "ko": re.compile(rf"(?<=\d)(?:\s*(?:{_COUNTERS})\w*|(?:입니다|이에요|예요|이요|요)(?!\w))"),
    "ja": re.compile(r"(?<=\d)(?:\s*(?:つ|個|人|名|本|枚|匹|歳|才|回|台|冊|杯|件|円)\w*|(?:です|だ)(?!\w))"),
}
_EN_DIGIT_WORDS = {word: value for word, value in _EN_UNITS.items() if value < 10} | {"oh": 0}
_THOUSANDS_DOT = re.compile(r"(?<=\d)\.(?=\d{3}(?!\d))")
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")


def parse_number(text: str, language: str | None = None) -> str | None:
    """The number in an answer, in digits, or None when there is not exactly one.

    ``language`` picks the number words (and, for es/fr/de/it/pt, "1.200,5" as the decimal style);
    None or "ko" reads Korean and English words, as Korean users mix both.
    """
    text = unicodedata.normalize("NFKC", text).strip()
    counters = _DIGIT_COUNTERS.get(language or "ko")
    if counters is not None and re.search(r"\d", text):
        text = counters.sub(" ", text)
    if language in _COMMA_DECIMAL:
        text = _DECIMAL_COMMA.sub(".", _THOUSANDS_DOT.sub("", text))
    from_digits = _from_digits(text)
    if from_digits is not None:
        return from_digits
    if _DIGITS.search(text):
        return None
    if language not in (None, "en", "ko"):
        from .number_words import words_to_number

        return words_to_number(text, language)
    words = re.sub(r"[^\w\s-]", " ", text.casefold()).replace("-", " ").split()
    decimal = _english_decimal(words) if language in (None, "en", "ko") else None
    if decimal is not None:
        return decimal
    english = [
        word for word in words if word in _EN_UNITS or word in _EN_TENS or word in _EN_SCALES or word == "and"
    ]
    if english and english[0] != "and":
        run = _longest_english_run(words)
        if run and "point" not in words and "dot" not in words:
            value = _english_words(run)
            if value is not None:
                return str(value)
        from .number_words import words_to_number

        decimal = words_to_number(text, "en")
        if decimal is not None:
            return decimal
    if language == "en":
        return None
    korean = _korean_words(words)
    return str(korean) if korean is not None else None


def _english_decimal(words: list[str]) -> str | None:
    """ "one hundred twenty three point four five" -> "123.45", "point four two" -> "0.42"."""
    marks = [index for index, word in enumerate(words) if word in ("point", "dot")]
    if len(marks) != 1:
        return None
    whole_words, fraction_words = words[: marks[0]], words[marks[0] + 1 :]
    whole = _english_words(whole_words) if whole_words else 0
    if whole is None or not fraction_words:
        return None
    if all(word in _EN_DIGIT_WORDS for word in fraction_words):
        fraction = "".join(str(_EN_DIGIT_WORDS[word]) for word in fraction_words)
    else:
        value = _english_words(fraction_words)
        if value is None:
            return None
        fraction = str(value)
    return f"{whole}.{fraction}"


def resolve_number(text: str, context: SlotContext) -> SlotValue | None:
    number = parse_number(text, context.language)
    return single(number, number) if number else None


def _longest_english_run(words: list[str]) -> list[str]:
    numeric = set(_EN_UNITS) | set(_EN_TENS) | set(_EN_SCALES)
    best: list[str] = []
    current: list[str] = []
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else ""
        if word in numeric or (current and word == "and") or (word == "a" and following in _EN_SCALES):
            current.append(word)
        else:
            if len(current) > len(best):
                best = current
            current = []
    if len(current) > len(best):
        best = current
    while best and best[-1] in ("and", "a"):
        best.pop()
    return best
