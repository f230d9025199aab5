"""AMAZON.Date: a date as ISO 8601 ``yyyy-mm-dd``, relative dates resolved against today.

As the developer guide describes the type: a specific day ("today", "tomorrow", "November
twenty-fifth", "모레") becomes that date, on or after today when the year is not said; a future
week ("next week", "다음 주") the last day of the current week (ISO weeks run Monday to Sunday), the
current or a past week ("this week", "last week") its Monday; a future month without a day ("next
month", "December") its last day, the current or a past month its first day; a future year
("next year", "2027") its 31 December, the current or a past year its 1 January. "next friday"
(and "다음 주 금요일", "来週の金曜日", "el próximo viernes") is the Friday of next week; a
weekday alone is the next such day on or after today; "the 20th" the next 20th; "in two weeks",
"3일 후", "hace dos días" that far from today.
Relative words come from `date_words`; everything else (written dates in each language) from
`dateparser`, imported on first use.
"""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from typing import Any

from ..state import SlotValue
from ..text import fold
from .context import SlotContext, single
from .date_words import WORDS, DateWords

_UNSPACED = frozenset({"ko", "ja"})  # relative words are matched with the spaces removed
_dateparser: Any = None
# "in three days", "a week from today", "3일 후", "dans trois jours"; and "two days ago", "3일 전".
_LATER = {
    "en": r"\bin\b|from now|from today|later|after", "ko": "후|뒤|있다가", "ja": "後|あと",
    "es": r"dentro de|\ben\b|después", "fr": r"\bdans\b|plus tard", "de": r"\bin\b|später",
    "it": r"\btra\b|\bfra\b|dopo", "pt": r"daqui a|\bem\b|depois",
}  # fmt: skip
_EARLIER = {"en": r"\bago\b", "ko": "전", "ja": "前", "es": r"\bhace\b", "fr": r"il y a", "de": r"\bvor\b",
            "it": r"\bfa\b", "pt": r"atrás|\bhá\b"}  # fmt: skip
_DURATION_PART = re.compile(r"(\d+)([YMWD])")
# "the 5th", "el 5", "am 5.": a day of a month not named, the next such day on or after today.
_ORDINAL_DAY = re.compile(r"(?<![\w/.-])(\d{1,2})(?:st|nd|rd|th)(?![\w])")
_ARTICLE_DAY = re.compile(r"^(?:on\s+)?(?:the|el|le|am|den|il|dia|o dia|no dia)\s+(\d{1,2})\.?$")
_MONTH_NAMES = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b", re.IGNORECASE
)
# Words before a written date that `dateparser` does not expect ("on March 3", "am 3. März").
_LEADING = re.compile(r"^(?:on|for|by|the|el|para el|le|pour le|am|den|il|per il|o|no dia|dia)\s+")


def _found(phrase: str, text: str, unspaced: bool) -> bool:
    if unspaced:
        return phrase.replace(" ", "") in text
    return re.search(rf"(?<![\w'-]){re.escape(phrase)}(?![\w'-])", text) is not None


def _longest(phrases: dict[str, int], text: str, unspaced: bool) -> int | None:
    for phrase in sorted(phrases, key=len, reverse=True):
        if _found(phrase, text, unspaced):
            return phrases[phrase]
    return None


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _weekday(words: DateWords, text: str, unspaced: bool) -> int | None:
    names = [(name, index) for index, group in enumerate(words.weekdays) for name in group]
    for name, index in sorted(names, key=lambda pair: -len(pair[0])):
        if _found(name, text, unspaced):
            return index
    return None


def _relative(words: DateWords, text: str, today: datetime.date, unspaced: bool) -> datetime.date | None:
    weekday = _weekday(words, text, unspaced)
    week_offset = _longest(words.weeks, text, unspaced)
    if weekday is not None:
        if week_offset is None and any(_found(marker, text, unspaced) for marker in words.next_markers):
            week_offset = 1
        if week_offset:
            return _monday(today) + datetime.timedelta(weeks=week_offset, days=weekday)
        return today + datetime.timedelta(days=(weekday - today.weekday()) % 7)
    days = _longest(words.days, text, unspaced)
    if days is not None:
        return today + datetime.timedelta(days=days)
    if week_offset is not None:
        week = _monday(today) + datetime.timedelta(weeks=week_offset)
        # The guide: a future week is "the last day of the current week" (today 2020-11-25, "next
        # week" 2020-11-29); for a later one ("the week after next") we take the Sunday just
        # before it, which says the same for next week (our choice: the guide gives no example).
        return week - datetime.timedelta(days=1) if week_offset > 0 else week
    months = _longest(words.months, text, unspaced)
    if months is not None:
        index = today.year * 12 + today.month - 1 + months
        year, month = index // 12, index % 12 + 1
        return _month_end(year, month) if months > 0 else datetime.date(year, month, 1)
    years = _longest(words.years, text, unspaced)
    if years is not None:
        year = today.year + years
        return datetime.date(year, 12, 31) if years > 0 else datetime.date(year, 1, 1)
    return None


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _offset(text: str, language: str, today: datetime.date) -> datetime.date | None:
    """A date said as a distance from today ("in two weeks", "3일 후", "hace dos días")."""
    later = re.search(_LATER.get(language, "$^"), text) is not None
    earlier = re.search(_EARLIER.get(language, "$^"), text) is not None
    if later == earlier:
        return None
    from .durations import parse_duration

    duration = parse_duration(text, language)
    if duration is None or "T" in duration:
        return None
    sign = 1 if later else -1
    parts = {unit: int(amount) for amount, unit in _DURATION_PART.findall(duration)}
    try:
        day = _add_months(today, sign * (12 * parts.get("Y", 0) + parts.get("M", 0)))
        return day + sign * datetime.timedelta(weeks=parts.get("W", 0), days=parts.get("D", 0))
    except (OverflowError, ValueError):
        return None


def _day_of_month(text: str, today: datetime.date) -> datetime.date | None:
    """ "the 20th" (no month named): the next 20th on or after today."""
    if _MONTH_NAMES.search(text):
        return None
    match = _ARTICLE_DAY.match(text)
    days = [match.group(1)] if match else _ORDINAL_DAY.findall(text)
    if len(days) != 1 or not 1 <= int(days[0]) <= 31:
        return None
    wanted = int(days[0])
    year, month = today.year, today.month
    for _ in range(12):
        if wanted <= calendar.monthrange(year, month)[1]:
            candidate = datetime.date(year, month, wanted)
            if candidate >= today:
                return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _parsed(text: str, language: str, today: datetime.date) -> datetime.date | None:
    global _dateparser
    if _dateparser is None:
        import dateparser  # type: ignore[import-untyped]

        _dateparser = dateparser
    settings = {
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": datetime.datetime.combine(today, datetime.time(12)),
        "PREFER_DAY_OF_MONTH": "last",  # "December" is its last day, as Lex gives a month
        "PREFER_MONTH_OF_YEAR": "last",  # "2027" is its last day, as Lex gives a year
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        parsed = _dateparser.parse(text, languages=[language], settings=settings)
    except (ValueError, OverflowError, TypeError, LookupError):
        return None
    return parsed.date() if parsed is not None else None


def parse_date(text: str, language: str, today: datetime.date) -> str | None:
    """The date in an answer as ``yyyy-mm-dd``, or None when it names none."""
    raw = unicodedata.normalize("NFKC", text).strip()
    if not raw or len(raw) > 200:
        return None
    from .times import is_only_a_time

    if is_only_a_time(raw, language):
        return None  # "3 pm" is a time, not today's date
    unspaced = language in _UNSPACED
    folded = fold(raw)
    words = WORDS.get(language)
    compact = folded.replace(" ", "") if unspaced else folded
    found = _offset(folded, language, today)
    if found is None and words:
        found = _relative(words, compact, today, unspaced)
    if found is None:
        found = _day_of_month(folded, today)
    if found is None:
        found = _parsed(raw, language, today)
    if found is None and _LEADING.match(folded):
        found = _parsed(_LEADING.sub("", folded), language, today)
    if found is None or not 1 <= found.year <= 9999:
        return None
    return found.isoformat()


def resolve_date(text: str, context: SlotContext) -> SlotValue | None:
    value = parse_date(text, context.language, context.today)
    return single(text.strip(), value) if value else None
