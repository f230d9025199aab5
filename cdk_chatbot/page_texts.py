"""What the page says about the bot it fronts, per locale: its title, welcome text and example chips.

Plain Python with no CDK import, shared by the stack (the deployed `config.json`) and the dev
server (the served one), so a bot brought with `BOT=...` gets a page about itself in both places.

Each locale's texts are derived from the bot definition:

- title: the bot's name (`bot_display_name`);
- welcome: the locale's `Description`, else the bot's, else a generic sentence in the page's
  language for that locale (Korean or English; other locales read English, as the page does);
- suggestions: the first sample utterance without a `{Slot}` reference of up to three intents of
  the locale other than FallbackIntent, then one generic question for the LLM.

An optional `page.json` beside the bot file replaces any of them, per locale::

    {"en_US": {"title": "Flower shop", "welcome": "Order a bouquet.", "suggestions": ["I want flowers"]}}

Every key is optional; a locale or field it leaves out keeps its derived text. It is checked
field by field (`PageTextsError` names the field), so a bad file stops the synth or the dev server
with a message, never a stack trace.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

PAGE_TEXTS_NAME = "page.json"
FIELDS = ("title", "welcome", "suggestions")
MAX_TITLE = 80
MAX_WELCOME = 500
MAX_SUGGESTION = 1024  # the page's message box takes no more (chat.html maxlength)
MAX_SUGGESTIONS = 6
DERIVED_INTENTS = 3
SHIPPED_BOT_NAME = "HelloWorldBot"
# Built-in intents whose sample utterances are not the bot's own (the Lex V2 developer guide,
# "AMAZON.FallbackIntent": it has none; it catches what no intent matches).
FALLBACK_INTENT = "FallbackIntent"
FALLBACK_SIGNATURE = "AMAZON.FallbackIntent"
# A slot reference in a sample utterance, as the Lex V2 guide's "Sample utterances" writes them.
_SLOT_REFERENCE = re.compile(r"\{[^{}]*\}")

# The page's own languages (html/i18n.js has the same two); any other locale reads English.
GENERIC_TEXTS: dict[str, dict[str, str]] = {
    "ko": {
        "welcome": (
            "이 봇이 할 수 있는 일을 말해 보거나 아래 예시를 눌러 보세요. 봇이 모르는 질문은 LLM이 답합니다."
        ),
        "question": "Lex에 대해 설명해줘",
    },
    "en": {
        "welcome": (
            "Tell this bot what you need, or try an example below. Questions it does not know go to an LLM."
        ),
        "question": "What is Amazon Lex?",
    },
}


class PageTextsError(ValueError):
    """The page texts file cannot be used; the message names the file and the field."""


def ui_language(locale_id: str) -> str:
    """The page's language for a bot locale: `ko` for ko_KR, `en` for en_US and every other one."""
    language = re.split(r"[_-]", locale_id, maxsplit=1)[0].lower()
    return language if language in GENERIC_TEXTS else "en"


def bot_display_name(definition_path: Path, *, shipped_bot: Path | None = None) -> str:
    """The bot's name for people: HelloWorldBot for the shipped bot file (`shipped_bot`), else the
    bot's folder name (a `bot.json` in a folder of its own) or its file name, in CamelCase plus
    "Bot" (`order_flowers.json`: OrderFlowersBot; `examples/coffee_shop/bot.json`: CoffeeShopBot)."""
    path = definition_path.resolve()
    if shipped_bot is not None and path == shipped_bot.resolve():
        return SHIPPED_BOT_NAME
    named = path.parent.name if path.stem.lower() == "bot" else path.stem
    words = [w for w in named.replace("-", "_").split("_") if w]
    name = "".join(word[:1].upper() + word[1:] for word in words if word.isalnum())
    return f"{name or 'Local'}Bot"


def _items(value: Any) -> list[Mapping[str, Any]]:
    """The objects of a list in the definition (the dev server reads it before the emulator checks
    it: anything else is left out here, and the emulator's check names it)."""
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _string(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _first_plain_utterance(intent: Mapping[str, Any]) -> str | None:
    for sample in _items(intent.get("SampleUtterances")):
        text = _string(sample.get("Utterance"))
        if text and not _SLOT_REFERENCE.search(text) and len(text) <= MAX_SUGGESTION:
            return text
    return None


def _is_fallback(intent: Mapping[str, Any]) -> bool:
    return intent.get("Name") == FALLBACK_INTENT or intent.get("ParentIntentSignature") == FALLBACK_SIGNATURE


def derived_texts(bot_locale: Mapping[str, Any], *, bot_name: str, bot_description: str) -> dict[str, Any]:
    """One locale's texts from the definition alone (no page.json)."""
    generic = GENERIC_TEXTS[ui_language(_string(bot_locale.get("LocaleId")))]
    welcome = _string(bot_locale.get("Description")) or bot_description.strip() or generic["welcome"]
    examples: list[str] = []
    for intent in _items(bot_locale.get("Intents")):
        if len(examples) == DERIVED_INTENTS:
            break
        if _is_fallback(intent):
            continue
        text = _first_plain_utterance(intent)
        if text is not None and text not in examples:
            examples.append(text)
    if generic["question"] not in examples:  # one message the bot leaves to the LLM
        examples.append(generic["question"])
    return {
        "title": bot_name[:MAX_TITLE],
        "welcome": welcome[:MAX_WELCOME],
        "suggestions": examples,
    }


def _text(value: Any, where: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise PageTextsError(f"{where} must be a non-empty string")
    if len(value) > limit:
        raise PageTextsError(f"{where} is {len(value)} characters long; at most {limit}")
    return value.strip()


def check_overrides(data: Any, *, locale_ids: Sequence[str], source: str) -> dict[str, dict[str, Any]]:
    """`data` (a parsed page.json) checked against the bot's locales; every field it sets, cleaned."""
    if not isinstance(data, dict):
        raise PageTextsError(
            f"{source} must be a JSON object keyed by locale, e.g. "
            '{"en_US": {"title": "...", "welcome": "...", "suggestions": ["..."]}}'
        )
    checked: dict[str, dict[str, Any]] = {}
    for locale_id, texts in data.items():
        where = f"{source}: {locale_id}"
        if locale_id not in locale_ids:
            raise PageTextsError(f"{where}: the bot has no such locale; it has {', '.join(locale_ids)}")
        if not isinstance(texts, dict):
            raise PageTextsError(f"{where} must be an object with title, welcome and/or suggestions")
        unknown = sorted(set(texts) - set(FIELDS))
        if unknown:
            raise PageTextsError(f"{where}.{unknown[0]} is not a page text; use {', '.join(FIELDS)}")
        fields: dict[str, Any] = {}
        if "title" in texts:
            fields["title"] = _text(texts["title"], f"{where}.title", MAX_TITLE)
        if "welcome" in texts:
            fields["welcome"] = _text(texts["welcome"], f"{where}.welcome", MAX_WELCOME)
        if "suggestions" in texts:
            suggestions = texts["suggestions"]
            if not isinstance(suggestions, list) or len(suggestions) > MAX_SUGGESTIONS:
                raise PageTextsError(
                    f"{where}.suggestions must be a list of at most {MAX_SUGGESTIONS} messages"
                )
            fields["suggestions"] = [
                _text(text, f"{where}.suggestions[{index}]", MAX_SUGGESTION)
                for index, text in enumerate(suggestions)
            ]
        checked[locale_id] = fields
    return checked


def read_overrides(path: Path, *, locale_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The checked page.json at `path`, or no overrides when there is no such file."""
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise PageTextsError(f"cannot read the page texts {path}: {error.strerror}") from None
    except ValueError as error:
        raise PageTextsError(f"the page texts {path} are not valid JSON: {error}") from None
    return check_overrides(data, locale_ids=locale_ids, source=str(path))


def page_texts(
    properties: Mapping[str, Any], *, bot_name: str, bot_file: Path | None = None
) -> dict[str, dict[str, Any]]:
    """Each locale's {title, welcome, suggestions} for the bot whose `AWS::Lex::Bot` Properties are
    `properties`: derived from them, with `page.json` beside `bot_file` (if any) laid over."""
    bot_locales = [entry for entry in _items(properties.get("BotLocales")) if _string(entry.get("LocaleId"))]
    locale_ids = [_string(bot_locale.get("LocaleId")) for bot_locale in bot_locales]
    overrides = read_overrides(bot_file.parent / PAGE_TEXTS_NAME, locale_ids=locale_ids) if bot_file else {}
    description = _string(properties.get("Description"))
    return {
        locale_id: {
            **derived_texts(bot_locale, bot_name=bot_name, bot_description=description),
            **overrides.get(locale_id, {}),
        }
        for locale_id, bot_locale in zip(locale_ids, bot_locales, strict=True)
    }
