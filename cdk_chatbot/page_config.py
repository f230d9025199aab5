"""The page's `config.json` for one deployment: the checked-in file with the bot's locales and default.

Plain Python with no CDK import: the stack deploys it next to the page, and the dev server serves
the same thing locally, so the page starts in the configured locale in both places.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

PAGE_CONFIG_NAME = "config.json"


class PageConfigError(ValueError):
    """The checked-in page configuration cannot be read."""


def page_config(site_dir: Path, *, locale_ids: Sequence[str], default_locale: str) -> dict[str, Any]:
    """`site_dir/config.json` with `locales` and `defaultLocale` set from the bot and its settings."""
    path = site_dir / PAGE_CONFIG_NAME
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise PageConfigError(f"cannot read the page configuration {path}: {error}") from None
    if not isinstance(config, dict):
        raise PageConfigError(f"the page configuration {path} is not a JSON object")
    return {**config, "defaultLocale": default_locale, "locales": list(locale_ids)}
