"""Yes and no in each language the emulator understands, chosen by the bot locale."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lex_emulator.locales import SUPPORTED_LOCALES, language_of
from lex_emulator.yes_no import Answer, classify_yes_no, yes_no_languages

CASES: dict[str, tuple[list[str], list[str], list[str]]] = {
    # locale: (yes, no, neither)
    "en_US": (
        ["yes", "Yep!", "that's right", "sure thing"],
        ["no", "nope", "not at all", "no, it's Bob"],
        ["maybe", "네", "sí", "yes and no"],
    ),
    "en_GB": (["yeah", "of course"], ["nah", "incorrect"], ["oui"]),
    "ko_KR": (["네", "네, 맞습니다!", "yes"], ["아니요", "아니요 틀렸어요", "no"], ["글쎄요", "아니 맞아"]),
    "es_ES": (
        ["sí", "Sí.", "si", "claro que sí", "vale", "sí, es correcto"],
        ["no", "No, gracias", "para nada", "de ninguna manera"],
        ["quizás", "sí y no", "yes"],
    ),
    "es_US": (["sí", "por supuesto"], ["no", "claro que no"], ["tal vez"]),
    "es_419": (["sí", "dale", "órale"], ["no", "ni hablar"], ["no sé si sí"]),
    "ja_JP": (
        ["はい", "はい、そうです", "はいそうです", "うん", "その通りです", "いいですよ"],
        ["いいえ", "いいえ、違います", "違います", "いや", "ううん"],
        ["たぶん", "はい、違います", "yes"],
    ),
    "fr_FR": (
        ["oui", "Oui, c'est ça", "d'accord", "bien sûr"],
        ["non", "pas du tout", "non merci"],
        ["peut-être", "oui et non"],
    ),
    "fr_CA": (["ouais", "exactement"], ["nan", "c'est faux"], ["bonjour"]),
    "de_DE": (
        ["ja", "Ja, genau", "klar", "stimmt"],
        ["nein", "nee", "auf keinen Fall", "stimmt nicht"],
        ["vielleicht", "ja nein"],
    ),
    "de_AT": (["jawohl"], ["nein danke"], ["hallo"]),
    "it_IT": (["sì", "si", "certo", "va bene"], ["no", "per niente", "non è giusto"], ["forse", "sì no"]),
    "pt_BR": (
        ["sim", "claro", "isso mesmo", "com certeza"],
        ["não", "nao", "de jeito nenhum"],
        ["talvez", "sim e não"],
    ),
    "pt_PT": (["sim, está certo"], ["não, obrigado"], ["olá"]),
}


@pytest.mark.parametrize(("locale", "answer"), [(loc, a) for loc, (yes, _, _) in CASES.items() for a in yes])
def test_yes_in_each_locale(locale: str, answer: str) -> None:
    assert classify_yes_no(answer, locale) is Answer.YES


@pytest.mark.parametrize(("locale", "answer"), [(loc, a) for loc, (_, no, _) in CASES.items() for a in no])
def test_no_in_each_locale(locale: str, answer: str) -> None:
    assert classify_yes_no(answer, locale) is Answer.NO


@pytest.mark.parametrize(
    ("locale", "answer"), [(loc, a) for loc, (_, _, neither) in CASES.items() for a in neither]
)
def test_neither_in_each_locale(locale: str, answer: str) -> None:
    assert classify_yes_no(answer, locale) is None


def test_every_supported_locale_has_yes_no_phrases() -> None:
    assert {language_of(locale) for locale in SUPPORTED_LOCALES} <= yes_no_languages()
    for locale in SUPPORTED_LOCALES:
        assert classify_yes_no("ok", locale) is Answer.YES


def test_without_a_locale_korean_and_english_are_understood_as_before() -> None:
    assert classify_yes_no("네") is Answer.YES
    assert classify_yes_no("nope") is Answer.NO
    assert classify_yes_no("sí") is None


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=40), locale=st.sampled_from(SUPPORTED_LOCALES))
def test_any_text_is_yes_no_or_neither_without_error(text: str, locale: str) -> None:
    assert classify_yes_no(text, locale) in (Answer.YES, Answer.NO, None)
