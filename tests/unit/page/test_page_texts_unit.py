"""The page's texts per bot locale (cdk_chatbot/page_texts.py, via page_config): derived from the
bot definition, overridden by a page.json beside the bot file, and a bad page.json refused with a
message naming the field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cdk_chatbot.page_config import PageConfigError, page_config
from cdk_chatbot.page_texts import (
    GENERIC_TEXTS,
    MAX_SUGGESTIONS,
    PageTextsError,
    bot_display_name,
    check_overrides,
    page_texts,
    ui_language,
)
from tests.bots import HELLO_WORLD, REPO_ROOT, definition


def intent(name: str, *utterances: str, **extra: Any) -> dict[str, Any]:
    return {"Name": name, "SampleUtterances": [{"Utterance": u} for u in utterances], **extra}


def bot(*locales: dict[str, Any], description: str | None = None) -> dict[str, Any]:
    properties: dict[str, Any] = {"BotLocales": list(locales)}
    if description is not None:
        properties["Description"] = description
    return properties


def a_locale(locale_id: str, *intents: dict[str, Any], description: str | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"LocaleId": locale_id, "Intents": list(intents)}
    if description is not None:
        entry["Description"] = description
    return entry


GARDEN = bot(
    a_locale(
        "en_US",
        intent("WaterPlants", "water the {Plant} now", "water my plants", "irrigate"),
        intent("FallbackIntent", "should never be offered", ParentIntentSignature="AMAZON.FallbackIntent"),
        intent("OnlySlots", "{Plant}", "move the {Plant} to {Place}"),
        intent("Prune", "trim the hedge"),
        intent("Harvest", "pick the tomatoes"),
        intent("Compost", "start a compost heap"),
    ),
    a_locale("ko_KR", intent("WaterPlants", "{Plant}에 물 줘", "화분에 물 줘"), description="정원 도우미"),
    a_locale("de_DE", intent("WaterPlants", "gieß die Pflanzen")),
    description="A garden helper bot",
)


def write_page_json(folder: Path, data: Any) -> Path:
    bot_file = folder / "bot.json"
    bot_file.write_text("{}", encoding="utf-8")
    (folder / "page.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return bot_file


# --- derived from the definition ------------------------------------------------------------------


def test_suggestions_are_the_first_slot_free_utterance_of_up_to_three_intents_then_a_question() -> None:
    texts = page_texts(GARDEN, bot_name="GardenBot")

    # WaterPlants' first utterance names a slot: its next one is taken; FallbackIntent is never
    # offered, an intent whose utterances all name slots is left out, and Compost is a fourth.
    assert texts["en_US"]["suggestions"] == [
        "water my plants",
        "trim the hedge",
        "pick the tomatoes",
        GENERIC_TEXTS["en"]["question"],
    ]
    assert texts["ko_KR"]["suggestions"] == ["화분에 물 줘", GENERIC_TEXTS["ko"]["question"]]


def test_a_bot_that_knows_the_llm_question_does_not_get_it_twice() -> None:
    question = GENERIC_TEXTS["en"]["question"]
    quiz = bot(a_locale("en_US", intent("AboutLex", question, "tell me about Lex"), intent("Hi", "hi")))

    assert page_texts(quiz, bot_name="QuizBot")["en_US"]["suggestions"] == [question, "hi"]


def test_the_title_is_the_bots_name_in_every_locale() -> None:
    texts = page_texts(GARDEN, bot_name="GardenBot")

    assert {texts[locale]["title"] for locale in texts} == {"GardenBot"}
    assert list(texts) == ["en_US", "ko_KR", "de_DE"]


def test_the_welcome_is_the_locales_description_else_the_bots_else_a_generic_sentence() -> None:
    texts = page_texts(GARDEN, bot_name="GardenBot")
    assert texts["ko_KR"]["welcome"] == "정원 도우미"  # the locale's own Description comes first
    assert texts["en_US"]["welcome"] == "A garden helper bot"

    undescribed = bot(a_locale("ko_KR"), a_locale("en_US"), a_locale("es_ES"))
    texts = page_texts(undescribed, bot_name="QuietBot")
    assert texts["ko_KR"]["welcome"] == GENERIC_TEXTS["ko"]["welcome"]
    assert texts["en_US"]["welcome"] == GENERIC_TEXTS["en"]["welcome"]
    # A locale the page has no words for reads English, as the page itself does (html/i18n.js).
    assert texts["es_ES"]["welcome"] == GENERIC_TEXTS["en"]["welcome"]
    assert texts["es_ES"]["suggestions"] == [GENERIC_TEXTS["en"]["question"]]


def test_ui_language_follows_the_pages_two_languages() -> None:
    assert [ui_language(x) for x in ("ko_KR", "en_US", "en_GB", "ja_JP", "")] == [
        "ko",
        "en",
        "en",
        "en",
        "en",
    ]


def test_a_malformed_definition_gives_what_it_can_not_a_crash() -> None:
    # The dev server builds config.json before the emulator checks the file (which then names the fault).
    odd: dict[str, Any] = {
        "BotLocales": [
            "not a locale",
            {"LocaleId": "en_US", "Intents": [3, {"Name": "A", "SampleUtterances": "hi"}, intent("B", "yo")]},
            {"Intents": []},
        ],
        "Description": 7,
    }
    texts = page_texts(odd, bot_name="OddBot")
    assert list(texts) == ["en_US"]
    assert texts["en_US"]["suggestions"] == ["yo", GENERIC_TEXTS["en"]["question"]]
    assert texts["en_US"]["welcome"] == GENERIC_TEXTS["en"]["welcome"]


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("tests/corpus/bots/order_flowers.json", "OrderFlowersBot"),
        ("examples/coffee_shop/bot.json", "CoffeeShopBot"),
        ("somewhere/my-help_desk.json", "MyHelpDeskBot"),
        ("bot/bot.json", "HelloWorldBot"),
    ],
)
def test_the_bots_name_comes_from_its_file_or_folder(path: str, name: str) -> None:
    assert bot_display_name(REPO_ROOT / path, shipped_bot=REPO_ROOT / "bot" / "bot.json") == name


# --- page.json --------------------------------------------------------------------------------------


def test_page_json_replaces_only_the_fields_it_sets(tmp_path: Path) -> None:
    bot_file = write_page_json(
        tmp_path,
        {
            "en_US": {"title": "Green Thumb", "suggestions": ["  water my roses  "]},
            "ko_KR": {"welcome": "안녕!"},
        },
    )

    texts = page_texts(GARDEN, bot_name="GardenBot", bot_file=bot_file)

    assert texts["en_US"] == {
        "title": "Green Thumb",
        "welcome": "A garden helper bot",
        "suggestions": ["water my roses"],
    }
    assert texts["ko_KR"]["welcome"] == "안녕!"
    assert texts["ko_KR"]["title"] == "GardenBot"
    assert texts["de_DE"] == page_texts(GARDEN, bot_name="GardenBot")["de_DE"]


def test_no_page_json_means_the_derived_texts(tmp_path: Path) -> None:
    bot_file = tmp_path / "bot.json"
    assert page_texts(GARDEN, bot_name="GardenBot", bot_file=bot_file) == page_texts(
        GARDEN, bot_name="GardenBot"
    )


def test_an_empty_suggestions_list_offers_no_chips(tmp_path: Path) -> None:
    bot_file = write_page_json(tmp_path, {"en_US": {"suggestions": []}})
    assert page_texts(GARDEN, bot_name="GardenBot", bot_file=bot_file)["en_US"]["suggestions"] == []


@pytest.mark.parametrize(
    ("data", "names"),
    [
        (["en_US"], "must be a JSON object keyed by locale"),
        ({"fr_FR": {}}, "fr_FR: the bot has no such locale; it has en_US, ko_KR, de_DE"),
        ({"en_US": "hello"}, "en_US must be an object"),
        ({"en_US": {"heading": "x"}}, "en_US.heading is not a page text; use title, welcome, suggestions"),
        ({"en_US": {"title": ""}}, "en_US.title must be a non-empty string"),
        ({"en_US": {"title": "x" * 81}}, "en_US.title is 81 characters long; at most 80"),
        ({"ko_KR": {"welcome": 5}}, "ko_KR.welcome must be a non-empty string"),
        (
            {"en_US": {"suggestions": "hello"}},
            f"en_US.suggestions must be a list of at most {MAX_SUGGESTIONS}",
        ),
        ({"en_US": {"suggestions": ["a"] * (MAX_SUGGESTIONS + 1)}}, "en_US.suggestions must be a list"),
        ({"en_US": {"suggestions": ["fine", "   "]}}, "en_US.suggestions[1] must be a non-empty string"),
        (
            {"en_US": {"suggestions": ["x" * 1025]}},
            "en_US.suggestions[0] is 1025 characters long; at most 1024",
        ),
    ],
)
def test_a_bad_page_json_is_refused_naming_the_field(data: Any, names: str) -> None:
    with pytest.raises(PageTextsError) as raised:
        check_overrides(data, locale_ids=["en_US", "ko_KR", "de_DE"], source="garden/page.json")

    assert names in str(raised.value)
    assert str(raised.value).startswith("garden/page.json")


def test_page_config_reports_an_unreadable_page_json_as_a_page_config_error(tmp_path: Path) -> None:
    bot_file = tmp_path / "bot.json"
    (tmp_path / "page.json").write_text('{"en_US": {"title": "Garden",}}', encoding="utf-8")

    with pytest.raises(PageConfigError, match=r"page\.json are not valid JSON"):
        page_config(
            REPO_ROOT / "html",
            locale_ids=["en_US"],
            default_locale="en_US",
            bot_properties=GARDEN,
            bot_name="GardenBot",
            bot_file=bot_file,
        )


def test_page_config_carries_the_texts_of_the_served_locales(tmp_path: Path) -> None:
    config = page_config(
        REPO_ROOT / "html",
        locale_ids=["ko_KR", "en_US"],
        default_locale="en_US",
        bot_properties=definition(HELLO_WORLD),
        bot_name="HelloWorldBot",
        bot_file=HELLO_WORLD,
    )

    assert list(config["page"]) == ["ko_KR", "en_US"]
    # The frozen HelloWorld (with its page.json) reads as the page always did.
    assert config["page"]["en_US"] == {
        "title": "HelloWorldBot",
        "welcome": "Say hello and Lex will ask your name. Anything else is answered by an LLM.",
        "suggestions": ["Hello", "What is Amazon Lex?"],
    }
    assert config["defaultLocale"] == "en_US"
