"""Built-in slot types other than dates and times, in Lex V2's value formats and in several locales.

Expected values follow the developer guide's pages for each type: AMAZON.PhoneNumber's table of
inputs and results, AMAZON.Percentage's "50 percent" -> "50%", AMAZON.Confirmation's four values,
AMAZON.EmailAddress's username@domain, and so on.
"""

from __future__ import annotations

import pytest

from lex_emulator.slot_types import BUILT_IN_SLOT_TYPES, resolve_slot_value, warm_up


def value(slot_type: str, said: str, locale: str = "en_US") -> str | None:
    found = resolve_slot_value(slot_type, said, {}, locale_id=locale)
    return found.interpreted if found else None


def test_every_built_in_type_resolves_without_error() -> None:
    for slot_type in BUILT_IN_SLOT_TYPES:
        resolve_slot_value(slot_type, "hello there", {}, locale_id="en_US")
        resolve_slot_value(slot_type, "안녕하세요", {}, locale_id="ko_KR")


@pytest.mark.parametrize(
    ("locale", "said", "expected"),
    [
        ("en_US", "forty two", "42"),
        ("en_US", "one hundred twenty three point four five", "123.45"),
        ("en_US", "232.998", "232.998"),
        ("ko_KR", "삼십오", "35"),
        ("ko_KR", "스물셋", "23"),
        ("es_ES", "veinticinco", "25"),
        ("es_US", "tengo tres hijos", "3"),
        ("es_ES", "3,5", "3.5"),
        ("fr_FR", "trois cents", "300"),
        ("de_DE", "dreiundzwanzig", "23"),
        ("de_DE", "1.200", "1200"),
        ("it_IT", "venticinque", "25"),
        ("pt_BR", "vinte e cinco", "25"),
        ("ja_JP", "二十五", "25"),
        ("ja_JP", "三千五百", "3500"),
        ("ja_JP", "ふたつ", "2"),
        ("en_US", "point four two", "0.42"),
        ("en_US", "one hundred twenty three dot four five", "123.45"),
        ("ko_KR", "3명이요", "3"),
        ("ko_KR", "1,200", "1200"),
        ("ja_JP", "5人です", "5"),
        ("ja_JP", "3つ", "3"),
    ],
)
def test_numbers_in_each_language(locale: str, said: str, expected: str) -> None:
    assert value("AMAZON.Number", said, locale) == expected


@pytest.mark.parametrize(
    ("locale", "said", "expected"),
    [
        ("en_US", "50 percent", "50%"),
        ("en_US", "0.4 percent", "0.4%"),
        ("en_US", "23.5%", "23.5%"),
        ("en_US", "twenty five percent", "25%"),
        ("en_US", "50", "50"),
        ("ko_KR", "삼십 퍼센트", "30%"),
        ("ko_KR", "30프로", "30%"),
        ("es_ES", "veinte por ciento", "20%"),
        ("fr_FR", "dix pour cent", "10%"),
        ("de_DE", "fünf Prozent", "5%"),
        ("ja_JP", "3割", "30%"),
    ],
)
def test_percentages(locale: str, said: str, expected: str) -> None:
    assert value("AMAZON.Percentage", said, locale) == expected


@pytest.mark.parametrize(
    ("locale", "said", "expected"),
    [
        ("en_US", "yeah", "Yes"),
        ("en_US", "nope", "No"),
        ("en_US", "perhaps", "Maybe"),
        ("en_US", "I might", "Maybe"),
        ("en_US", "dunno", "Don't know"),
        ("en_US", "no idea", "Don't know"),
        ("ko_KR", "네", "Yes"),
        ("ko_KR", "아니요", "No"),
        ("ko_KR", "아마도", "Maybe"),
        ("ko_KR", "잘 모르겠어요", "Don't know"),
        ("es_ES", "sí", "Yes"),
        ("es_419", "no", "No"),
        ("es_US", "quizás", "Maybe"),
        ("es_ES", "no sé", "Don't know"),
        ("ja_JP", "はい", "Yes"),
        ("ja_JP", "たぶん", "Maybe"),
        ("ja_JP", "わかりません", "Don't know"),
        ("fr_FR", "oui", "Yes"),
        ("fr_FR", "peut-être", "Maybe"),
        ("de_DE", "keine Ahnung", "Don't know"),
        ("it_IT", "forse", "Maybe"),
        ("pt_BR", "não sei", "Don't know"),
    ],
)
def test_confirmation_has_four_values(locale: str, said: str, expected: str) -> None:
    assert value("AMAZON.Confirmation", said, locale) == expected


@pytest.mark.parametrize("said", ["banana", "", "what?"])
def test_confirmation_of_something_else_is_none(said: str) -> None:
    assert value("AMAZON.Confirmation", said) is None


@pytest.mark.parametrize(
    ("locale", "said", "expected"),
    [
        ("en_US", "ann.lee+news@Example.COM", "ann.lee+news@example.com"),
        ("en_US", "my email is bob_smith@mail.example.co.uk thanks", "bob_smith@mail.example.co.uk"),
        ("en_US", "ann dot lee at example dot com", "ann.lee@example.com"),
        ("es_ES", "juan arroba correo punto es", "juan@correo.es"),
        ("ko_KR", "minsu 골뱅이 example 닷 com", "minsu@example.com"),
        ("de_DE", "max punkt muster at beispiel punkt de", "max.muster@beispiel.de"),
    ],
)
def test_email_addresses(locale: str, said: str, expected: str) -> None:
    assert value("AMAZON.EmailAddress", said, locale) == expected


@pytest.mark.parametrize(
    "said", ["hello", "a@b", "two@addresses.com and three@addresses.com", "@example.com"]
)
def test_what_is_not_one_email_address_is_none(said: str) -> None:
    assert value("AMAZON.EmailAddress", said) is None


@pytest.mark.parametrize(
    ("locale", "said", "expected"),
    [
        # the developer guide's table
        ("en_AU", "+61 7 4445 1061", "+61744451061"),
        ("en_US", "+1 (509) 555-1212", "+15095551212"),
        ("en_US", "1 (509) 555-1212", "15095551212"),
        ("en_AU", "61 7 4445 1061", "61744451061"),
        ("en_AU", "(03) 5115 4444", "0351154444"),
        ("en_US", "(509) 555-1212", "5095551212"),
        ("en_US", "555-1212", "5551212"),
        # other phrasings
        ("en_US", "my number is 555.867.5309", "5558675309"),
        ("en_US", "five five five one two one two", "5551212"),
        ("en_GB", "call me on 020 7946 0018", "02079460018"),
        ("ko_KR", "010-1234-5678", "01012345678"),
        ("ko_KR", "공일공 일이삼사 오육칠팔", "01012345678"),
        ("es_ES", "612 34 56 78", "612345678"),
        ("ja_JP", "090-1234-5678", "09012345678"),
    ],
)
def test_phone_numbers(locale: str, said: str, expected: str) -> None:
    assert value("AMAZON.PhoneNumber", said, locale) == expected


@pytest.mark.parametrize("said", ["hello", "12", "1234", ""])
def test_what_is_not_a_phone_number_is_none(said: str) -> None:
    assert value("AMAZON.PhoneNumber", said) is None


@pytest.mark.parametrize(
    ("slot_type", "locale", "said", "interpreted", "resolved"),
    [
        ("AMAZON.City", "en_US", "Seattle", "Seattle", "Seattle"),
        ("AMAZON.City", "en_US", "I live in new york", "new york", "New York City"),
        ("AMAZON.City", "ko_KR", "부산에서 왔어요", "부산", "Busan"),
        ("AMAZON.City", "ja_JP", "東京", "東京", "Tokyo"),
        ("AMAZON.City", "es_ES", "Londres", "Londres", "London"),
        ("AMAZON.Country", "en_US", "Germany", "Germany", "Germany"),
        ("AMAZON.Country", "en_US", "I'm from south korea", "south korea", "South Korea"),
        ("AMAZON.Country", "ko_KR", "대한민국", "대한민국", "South Korea"),
        ("AMAZON.Country", "ko_KR", "한국이요", "한국", "South Korea"),
        ("AMAZON.Country", "es_ES", "España", "España", "Spain"),
        ("AMAZON.Country", "fr_FR", "Allemagne", "Allemagne", "Germany"),
        ("AMAZON.Country", "ja_JP", "日本", "日本", "Japan"),
        ("AMAZON.State", "en_US", "i live in texas", "texas", "Texas"),
        ("AMAZON.State", "en_US", "CA", "CA", "California"),
        ("AMAZON.State", "ko_KR", "경기도", "경기도", "Gyeonggi-do"),
        ("AMAZON.State", "de_DE", "Bayern", "Bayern", "Bayern"),
    ],
)
def test_places(slot_type: str, locale: str, said: str, interpreted: str, resolved: str) -> None:
    found = resolve_slot_value(slot_type, said, {}, locale_id=locale)
    assert found is not None
    assert (found.interpreted, found.resolved) == (interpreted, (resolved,))


@pytest.mark.parametrize("slot_type", ["AMAZON.City", "AMAZON.Country", "AMAZON.State"])
@pytest.mark.parametrize("said", ["banana", "hello", "in", "the moon", ""])
def test_what_names_no_place_is_none(slot_type: str, said: str) -> None:
    assert value(slot_type, said) is None


@pytest.mark.parametrize(
    ("slot_type", "locale", "said", "expected"),
    [
        ("AMAZON.FirstName", "es_ES", "me llamo Ana", "Ana"),
        ("AMAZON.FirstName", "fr_FR", "Je m'appelle Luc", "Luc"),
        ("AMAZON.FirstName", "de_DE", "ich heiße Jürgen", "Jürgen"),
        ("AMAZON.FirstName", "it_IT", "mi chiamo Giulia", "Giulia"),
        ("AMAZON.FirstName", "pt_BR", "meu nome é João", "João"),
        ("AMAZON.FirstName", "ja_JP", "私の名前は花子です", "花子"),
        ("AMAZON.LastName", "en_US", "my last name is Lee", "Lee"),
        ("AMAZON.LastName", "en_US", "Smith", "Smith"),
        ("AMAZON.LastName", "ko_KR", "제 성은 김입니다", "김"),
        ("AMAZON.LastName", "es_ES", "mi apellido es García", "García"),
        ("AMAZON.LastName", "ja_JP", "苗字は田中です", "田中"),
        ("AMAZON.StreetName", "en_US", "I live on Elm St", "Elm St"),
        ("AMAZON.StreetName", "en_US", "5th Avenue", "5th Avenue"),
        ("AMAZON.StreetName", "ko_KR", "테헤란로에 살아요", "테헤란로"),
        ("AMAZON.StreetName", "es_ES", "calle de Alcalá", "calle de Alcalá"),
        ("AMAZON.UKPostalCode", "en_GB", "sw1a 1aa", "SW1A 1AA"),
        ("AMAZON.UKPostalCode", "en_GB", "my postcode is EC1A1BB", "EC1A 1BB"),
        ("AMAZON.UKPostalCode", "en_GB", "M1 1AE", "M1 1AE"),
        ("AMAZON.FreeFormInput", "en_US", "  anything at all, even 42?  ", "anything at all, even 42?"),
        ("AMAZON.FreeFormInput", "ko_KR", "아무 말이나", "아무 말이나"),
    ],
)
def test_names_streets_postcodes_and_free_form(slot_type: str, locale: str, said: str, expected: str) -> None:
    assert value(slot_type, said, locale) == expected


@pytest.mark.parametrize(
    ("slot_type", "locale", "said"),
    [
        ("AMAZON.FirstName", "es_ES", "sí"),
        ("AMAZON.FirstName", "fr_FR", "oui"),
        ("AMAZON.LastName", "en_US", "yes"),
        ("AMAZON.LastName", "en_US", "12"),
        ("AMAZON.StreetName", "en_US", "what?"),
        ("AMAZON.StreetName", "en_US", "no"),
        ("AMAZON.UKPostalCode", "en_GB", "12345"),
        ("AMAZON.FreeFormInput", "en_US", "   "),
    ],
)
def test_answers_that_are_not_such_values(slot_type: str, locale: str, said: str) -> None:
    assert value(slot_type, said, locale) is None


def test_warm_up_loads_types_ahead_of_the_first_answer() -> None:
    warm_up(["AMAZON.Country", "AMAZON.Date", "NotAType"], ["en_US", "ko_KR"])
    assert value("AMAZON.Country", "Japan") == "Japan"
