"""AMAZON.Date, AMAZON.Time and AMAZON.Duration in Lex V2's value formats, with today pinned.

Expected values follow the developer guide's "AMAZON.Date", "AMAZON.Time" and "AMAZON.Duration"
pages: ISO dates (a future week is the last day of the current week, a future month its last day, a
future year its 31 December; the current or a past week, month or year its first day), HH:MM times
(an hour that could be morning or evening is ambiguous: null interpretedValue, both resolutions),
and ISO 8601 durations.
"""

from __future__ import annotations

import datetime

import pytest

from lex_emulator.slot_types import AmbiguousSlotValue, resolve_slot_value
from lex_emulator.state import SlotValue

NEW_YEARS_EVE = datetime.date(2026, 12, 31)  # a Thursday


def date(text: str, locale: str = "en_US", today: datetime.date = NEW_YEARS_EVE) -> str | None:
    value = resolve_slot_value("AMAZON.Date", text, {}, locale_id=locale, today=today)
    return value.interpreted if value else None


@pytest.mark.parametrize(
    ("locale", "said", "expected"),
    [
        ("en_US", "tomorrow", "2027-01-01"),
        ("en_US", "today", "2026-12-31"),
        ("en_US", "the day after tomorrow", "2027-01-02"),
        ("en_US", "next friday", "2027-01-08"),
        ("en_US", "friday", "2027-01-01"),
        ("en_US", "thursday", "2026-12-31"),
        ("en_US", "this week", "2026-12-28"),
        ("en_US", "next week", "2027-01-03"),
        ("en_US", "next month", "2027-01-31"),
        ("en_US", "next year", "2027-12-31"),
        ("en_US", "December 25", "2027-12-25"),
        ("en_US", "march 3rd", "2027-03-03"),
        ("en_US", "2027-02-01", "2027-02-01"),
        ("en_US", "December", "2027-12-31"),
        ("en_GB", "tomorrow please", "2027-01-01"),
        ("ko_KR", "내일", "2027-01-01"),
        ("ko_KR", "모레", "2027-01-02"),
        ("ko_KR", "글피", "2027-01-03"),
        ("ko_KR", "다음 주 금요일", "2027-01-08"),
        ("ko_KR", "다음주 금요일에요", "2027-01-08"),
        ("ko_KR", "금요일", "2027-01-01"),
        ("ko_KR", "다음 주", "2027-01-03"),
        ("ko_KR", "다음 달", "2027-01-31"),
        ("ko_KR", "내년", "2027-12-31"),
        ("ko_KR", "3월 5일", "2027-03-05"),
        ("ja_JP", "明日", "2027-01-01"),
        ("ja_JP", "明後日", "2027-01-02"),
        ("ja_JP", "来週の金曜日", "2027-01-08"),
        ("ja_JP", "3月5日", "2027-03-05"),
        ("es_ES", "mañana", "2027-01-01"),
        ("es_US", "pasado mañana", "2027-01-02"),
        ("es_419", "el próximo viernes", "2027-01-08"),
        ("es_ES", "25 de diciembre", "2027-12-25"),
        ("es_ES", "la semana que viene", "2027-01-03"),
        ("fr_FR", "demain", "2027-01-01"),
        ("fr_FR", "vendredi prochain", "2027-01-08"),
        ("fr_CA", "après-demain", "2027-01-02"),
        ("de_DE", "übermorgen", "2027-01-02"),
        ("de_DE", "nächsten Freitag", "2027-01-08"),
        ("it_IT", "domani", "2027-01-01"),
        ("it_IT", "venerdì prossimo", "2027-01-08"),
        ("pt_BR", "amanhã", "2027-01-01"),
        ("pt_BR", "depois de amanhã", "2027-01-02"),
        ("pt_PT", "próxima sexta", "2027-01-08"),
        # a distance from today
        ("en_US", "in two weeks", "2027-01-14"),
        ("en_US", "a week from today", "2027-01-07"),
        ("en_US", "two days ago", "2026-12-29"),
        ("ko_KR", "3일 후", "2027-01-03"),
        ("ko_KR", "일주일 뒤", "2027-01-07"),
        ("ja_JP", "3日後", "2027-01-03"),
        ("es_ES", "dentro de tres días", "2027-01-03"),
        ("fr_FR", "dans trois jours", "2027-01-03"),
        ("de_DE", "in drei Tagen", "2027-01-03"),
        ("it_IT", "tra tre giorni", "2027-01-03"),
        ("pt_BR", "daqui a três dias", "2027-01-03"),
        # a day of the month, no month named: the next one
        ("en_US", "on the 5th", "2027-01-05"),
        ("en_US", "can we do the 20th", "2027-01-20"),
        ("en_US", "the 31st", "2026-12-31"),
        ("es_ES", "el 5", "2027-01-05"),
        ("ko_KR", "5일", "2027-01-05"),
        # written dates after a preposition
        ("en_US", "on March 3", "2027-03-03"),
        ("de_DE", "am 3. März", "2027-03-03"),
        ("it_IT", "il 3 marzo", "2027-03-03"),
    ],
)
def test_dates_resolve_against_today(locale: str, said: str, expected: str) -> None:
    assert date(said, locale) == expected


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        # The guide's own examples, today 2020-11-25 (a Wednesday).
        ("next week", "2020-11-29"),
        ("last week", "2020-11-16"),
        ("this month", "2020-11-01"),
        ("next month", "2020-12-31"),
        ("next year", "2021-12-31"),
        ("last year", "2019-01-01"),
        # The same rules where the guide gives no example.
        ("this week", "2020-11-23"),
        ("last month", "2020-10-01"),
        ("this year", "2020-01-01"),
        # A later week: the Sunday before it starts (our reading; for next week the guide's own).
        ("the week after next", "2020-12-06"),
    ],
)
def test_weeks_months_and_years_as_the_built_in_slot_date_page_says(said: str, expected: str) -> None:
    assert date(said, today=datetime.date(2020, 11, 25)) == expected


def test_tomorrow_crosses_the_year_and_a_leap_day() -> None:
    assert date("tomorrow", today=datetime.date(2028, 2, 28)) == "2028-02-29"
    assert date("next month", today=datetime.date(2028, 1, 31)) == "2028-02-29"


@pytest.mark.parametrize(
    ("locale", "said"),
    [("en_US", "3 pm"), ("en_US", "hello"), ("en_US", "yes"), ("ko_KR", "오후 3시"), ("ko_KR", "안녕하세요"),
     ("en_US", "")],
)  # fmt: skip
def test_what_is_not_a_date_gives_none(locale: str, said: str) -> None:
    assert date(said, locale) is None


def time(text: str, locale: str = "en_US") -> SlotValue | None:
    return resolve_slot_value("AMAZON.Time", text, {}, locale_id=locale)


@pytest.mark.parametrize(
    ("locale", "said", "expected"),
    [
        ("en_US", "3 pm", "15:00"),
        ("en_US", "3:30 p.m.", "15:30"),
        ("en_US", "three pm", "15:00"),
        ("en_US", "noon", "12:00"),
        ("en_US", "at midnight", "00:00"),
        ("en_US", "15:45", "15:45"),
        ("en_US", "09:30", "09:30"),
        ("en_US", "7 in the evening", "19:00"),
        ("en_US", "10 AM", "10:00"),
        ("en_US", "morning", "MO"),
        ("en_US", "in the afternoon", "AF"),
        ("en_US", "evening", "EV"),
        ("en_US", "tonight", "NI"),
        ("ko_KR", "오후 3시", "15:00"),
        ("ko_KR", "오전 10시 30분", "10:30"),
        ("ko_KR", "오후 세시 반", "15:30"),
        ("ko_KR", "정오", "12:00"),
        ("ko_KR", "자정", "00:00"),
        ("ko_KR", "저녁", "EV"),
        ("ja_JP", "午後3時", "15:00"),
        ("ja_JP", "午後三時半", "15:30"),
        ("ja_JP", "正午", "12:00"),
        ("ja_JP", "夕方", "EV"),
        ("es_ES", "a las 3 de la tarde", "15:00"),
        ("es_ES", "mediodía", "12:00"),
        ("es_US", "por la mañana", "MO"),
        ("fr_FR", "15h30", "15:30"),
        ("fr_FR", "à trois heures de l'après-midi", "15:00"),
        ("de_DE", "um 3 Uhr nachmittags", "15:00"),
        ("it_IT", "alle tre del pomeriggio", "15:00"),
        ("pt_BR", "às 3 da tarde", "15:00"),
        ("en_US", "quarter past three pm", "15:15"),
        ("es_ES", "las cuatro y cuarto de la tarde", "16:15"),
        ("de_DE", "um halb vier nachmittags", "15:30"),
    ],
)
def test_times(locale: str, said: str, expected: str) -> None:
    value = time(said, locale)
    assert value is not None
    assert not isinstance(value, AmbiguousSlotValue)
    assert (value.interpreted, value.resolved) == (expected, (expected,))


@pytest.mark.parametrize(
    ("locale", "said", "candidates"),
    [
        ("en_US", "10 o'clock", ("10:00", "22:00")),
        ("en_US", "ten o'clock", ("10:00", "22:00")),
        ("ko_KR", "3시", ("03:00", "15:00")),
        ("ja_JP", "3時半", ("03:30", "15:30")),
        ("es_ES", "a las tres", ("03:00", "15:00")),
        ("en_US", "quarter to four", ("03:45", "15:45")),
        ("en_US", "quarter to one", ("12:45", "00:45")),
        ("es_ES", "las cuatro menos cuarto", ("03:45", "15:45")),
        ("fr_FR", "trois heures et quart", ("03:15", "15:15")),
        ("de_DE", "halb vier", ("03:30", "15:30")),
    ],
)
def test_an_hour_of_either_half_of_the_day_is_ambiguous_as_lex_reports_it(
    locale: str, said: str, candidates: tuple[str, str]
) -> None:
    value = time(said, locale)
    assert isinstance(value, AmbiguousSlotValue)
    assert value.resolved == candidates
    wire = value.to_wire()["value"]
    assert wire["interpretedValue"] is None
    assert wire["resolvedValues"] == list(candidates)
    assert wire["originalValue"] == said


@pytest.mark.parametrize("said", ["hello", "25:00", "", "next friday"])
def test_what_is_not_a_time_gives_none(said: str) -> None:
    assert time(said) is None


@pytest.mark.parametrize(
    ("locale", "said", "expected"),
    [
        ("en_US", "ten minutes", "PT10M"),
        ("en_US", "five hours", "PT5H"),
        ("en_US", "three days", "P3D"),
        ("en_US", "forty five seconds", "PT45S"),
        ("en_US", "eight weeks", "P8W"),
        ("en_US", "seven years", "P7Y"),
        ("en_US", "five hours ten minutes", "PT5H10M"),
        ("en_US", "two years three hours ten minutes", "P2YT3H10M"),
        ("en_US", "half an hour", "PT30M"),
        ("en_US", "an hour and a half", "PT1H30M"),
        ("en_US", "a week", "P1W"),
        ("ko_KR", "30분", "PT30M"),
        ("ko_KR", "2시간 30분", "PT2H30M"),
        ("ko_KR", "한 시간 반", "PT1H30M"),
        ("ko_KR", "이틀", "P2D"),
        ("ko_KR", "6개월", "P6M"),
        ("ja_JP", "2時間", "PT2H"),
        ("ja_JP", "三十分", "PT30M"),
        ("ja_JP", "2週間", "P2W"),
        ("es_ES", "dos horas", "PT2H"),
        ("es_ES", "media hora", "PT30M"),
        ("fr_FR", "trois jours", "P3D"),
        ("de_DE", "eine halbe Stunde", "PT30M"),
        ("it_IT", "tre giorni", "P3D"),
        ("pt_BR", "duas semanas", "P2W"),
    ],
)
def test_durations(locale: str, said: str, expected: str) -> None:
    value = resolve_slot_value("AMAZON.Duration", said, {}, locale_id=locale)
    assert value is not None
    assert (value.interpreted, value.resolved) == (expected, (expected,))


@pytest.mark.parametrize("said", ["hello", "", "0 minutes", "minutes"])
def test_what_is_not_a_duration_gives_none(said: str) -> None:
    assert resolve_slot_value("AMAZON.Duration", said, {}) is None
