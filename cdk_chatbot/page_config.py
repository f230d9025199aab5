"""The page's `config.json` for one deployment: the checked-in file with the bot's locales, default
and texts.

Plain Python with no CDK import: the stack deploys it next to the page, and the dev server serves
the same thing locally, so the page starts in the configured locale and speaks for the bot it
fronts (its title, welcome text and example chips per locale, `page_texts`) in both places.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .page_texts import PageTextsError, page_texts

PAGE_CONFIG_NAME = "config.json"
PAGE_TEXTS_KEY = "page"  # config.json's per-locale {title, welcome, suggestions}


class PageConfigError(ValueError):
    """The checked-in page configuration or the bot's page texts cannot be read."""


def page_config(
    site_dir: Path,
    *,
    locale_ids: Sequence[str],
    default_locale: str,
    bot_properties: Mapping[str, Any],
    bot_name: str,
    bot_file: Path | None,
) -> dict[str, Any]:
    """`site_dir/config.json` with `locales` and `defaultLocale` set from the bot and its settings,
    and `page`: each locale's texts, derived from the bot's Properties, with the page.json beside
    `bot_file` (None: a bot given as data, no file) laid over."""
    path = site_dir / PAGE_CONFIG_NAME
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise PageConfigError(f"cannot read the page configuration {path}: {error}") from None
    if not isinstance(config, dict):
        raise PageConfigError(f"the page configuration {path} is not a JSON object")
    try:
        texts = page_texts(bot_properties, bot_name=bot_name, bot_file=bot_file)
    except PageTextsError as error:
        raise PageConfigError(str(error)) from None
    return {
        **config,
        "defaultLocale": default_locale,
        "locales": list(locale_ids),
        PAGE_TEXTS_KEY: {locale_id: texts[locale_id] for locale_id in locale_ids if locale_id in texts},
    }
