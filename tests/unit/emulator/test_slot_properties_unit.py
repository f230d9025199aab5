"""Property tests: no built-in slot type crashes on arbitrary text, and every value it gives is in
the format Lex V2 documents for the type."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lex_emulator.slot_types import BUILT_IN_SLOT_TYPES, AmbiguousSlotValue, resolve_slot_value

_TIME = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$")
_DURATION = re.compile(r"^P(?=.)(?:\d+(?:\.\d+)?[YMWD])*(?:T(?:\d+(?:\.\d+)?[HMS])+)?$")
FORMATS: dict[str, Callable[[str], bool]] = {
    "AMAZON.Date": lambda v: datetime.date.fromisoformat(v).isoformat() == v,
    "AMAZON.Time": lambda v: bool(_TIME.match(v)) or v in {"AM", "PM", "MO", "AF", "EV", "NI"},
    "AMAZON.Duration": lambda v: bool(_DURATION.match(v)) and v not in ("P", "PT"),
    "AMAZON.Number": lambda v: float(v) == float(v),
    "AMAZON.Percentage": lambda v: float(v.removesuffix("%")) == float(v.removesuffix("%")),
    "AMAZON.Confirmation": lambda v: v in {"Yes", "No", "Maybe", "Don't know"},
    "AMAZON.EmailAddress": lambda v: v.count("@") == 1 and "." in v.split("@")[1],
    "AMAZON.PhoneNumber": lambda v: bool(re.fullmatch(r"\+?\d{7,15}", v)),
    "AMAZON.UKPostalCode": lambda v: bool(re.fullmatch(r"[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}", v)),
}


def _not_blank(value: str) -> bool:
    return bool(value.strip())


LOCALES = ["en_US", "ko_KR", "es_ES", "ja_JP", "fr_FR", "de_DE", "it_IT", "pt_BR"]
# Text built from the words the resolvers look for, mixed with anything at all.
_WORD_LIST = (
    "tomorrow next friday 3 pm noon 10 o'clock half an hour two hours percent at dot yes no maybe "
    "내일 다음 주 금요일 오후 3시 30분 네 아니요 明日 午後 時 分 はい mañana sí 555-1212 + ( ) : , . @ % "
    "SW1A 1AA forty two 二十 삼십 seattle 서울 germany texas"
)
WORDS = st.sampled_from(_WORD_LIST.split())
TEXT = st.one_of(st.text(max_size=60), st.lists(WORDS, max_size=8).map(" ".join))


@pytest.fixture(scope="module", autouse=True)
def _warm_up() -> None:
    """Build the place indexes once, so the property runs are timed on resolution, not loading."""
    for slot_type in ("AMAZON.City", "AMAZON.Country", "AMAZON.State"):
        for locale in LOCALES:
            resolve_slot_value(slot_type, "x", {}, locale_id=locale)


@pytest.mark.parametrize("slot_type", sorted(BUILT_IN_SLOT_TYPES))
@settings(max_examples=40, deadline=None)
@given(text=TEXT, locale=st.sampled_from(LOCALES))
def test_no_crash_and_values_in_lex_formats(slot_type: str, text: str, locale: str) -> None:
    found = resolve_slot_value(slot_type, text, {}, locale_id=locale, today=datetime.date(2026, 12, 31))
    if found is None:
        return
    values = found.resolved if isinstance(found, AmbiguousSlotValue) else (found.interpreted,)
    assert values
    assert found.resolved
    check = FORMATS.get(slot_type, _not_blank)
    for value in values:
        assert check(value), (slot_type, text, value)
    wire = found.to_wire()["value"]
    assert set(wire) == {"originalValue", "interpretedValue", "resolvedValues"}
