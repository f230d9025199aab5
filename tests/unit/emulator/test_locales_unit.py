"""Which Lex V2 locales the emulator understands, and that a bot in any other locale is refused at load."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from lex_emulator.definition_loader import parse_bot_definition
from lex_emulator.errors import BotDefinitionError
from lex_emulator.locales import LEX_V2_LOCALES, SUPPORTED_LOCALES, locale_problem, region_of
from tests.bots import HELLO_WORLD

BOT_JSON = HELLO_WORLD
BASE: dict[str, Any] = json.loads(BOT_JSON.read_text(encoding="utf-8"))


def with_locale(locale_id: str) -> dict[str, Any]:
    definition = copy.deepcopy(BASE)
    english = next(loc for loc in definition["BotLocales"] if loc["LocaleId"] == "en_US")
    english["LocaleId"] = locale_id
    definition["BotLocales"] = [english]
    return definition


@pytest.mark.parametrize(
    "locale", ["en_US", "en_GB", "ko_KR", "es_ES", "es_US", "es_419", "ja_JP", "fr_FR", "fr_CA", "de_DE",
               "it_IT", "pt_BR", "pt_PT"],
)  # fmt: skip
def test_understood_locales_load(locale: str) -> None:
    assert locale in SUPPORTED_LOCALES
    assert locale_problem(locale) is None
    bot = parse_bot_definition(with_locale(locale))
    assert list(bot.locales) == [locale]


@pytest.mark.parametrize("locale", ["zh_CN", "nl_NL", "ar_AE", "hi_IN", "sv_SE"])
def test_a_lex_locale_the_emulator_cannot_understand_is_refused_at_load(locale: str) -> None:
    assert locale in LEX_V2_LOCALES
    with pytest.raises(BotDefinitionError) as raised:
        parse_bot_definition(with_locale(locale))
    assert raised.value.path == "BotLocales[0].LocaleId"
    assert "does not understand" in raised.value.problem
    assert LEX_V2_LOCALES[locale] in raised.value.problem


@pytest.mark.parametrize("locale", ["xx_XX", "en_CA", "ko_KP"])
def test_a_locale_lex_does_not_offer_is_refused_at_load(locale: str) -> None:
    with pytest.raises(BotDefinitionError) as raised:
        parse_bot_definition(with_locale(locale))
    assert raised.value.path == "BotLocales[0].LocaleId"
    assert "not a locale Amazon Lex V2 supports" in raised.value.problem


def test_regions_for_phone_numbers_and_places() -> None:
    assert region_of("ko_KR") == "KR"
    assert region_of("en_GB") == "GB"
    assert region_of("es_419") == "MX"
