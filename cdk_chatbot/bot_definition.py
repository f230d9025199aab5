"""The bot definition (bot/bot.json) as data: loading, shape checks and a content digest.

The file holds a subset of `AWS::Lex::Bot` properties in CloudFormation's own shape. The stack adds
what depends on the deployment (Name, RoleArn, DataPrivacy, AutoBuildBotLocales), so the file must
not set those. The digest names the published bot version: a changed definition publishes anew.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Top-level keys the definition may carry; everything else is the stack's business.
ALLOWED_KEYS = frozenset({"Description", "IdleSessionTTLInSeconds", "BotLocales", "BotTags"})
DEPLOYMENT_KEYS = frozenset({"Name", "RoleArn", "DataPrivacy", "AutoBuildBotLocales", "TestBotAliasSettings"})


class BotDefinitionError(ValueError):
    """The bot definition cannot be used; the message says where and why."""


@dataclass(frozen=True)
class BotDefinition:
    """A validated bot definition; `properties` is a private deep copy of the data."""

    properties: Mapping[str, Any]
    source: str = "<dict>"

    @classmethod
    def from_file(cls, path: Path) -> BotDefinition:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise BotDefinitionError(f"cannot read bot definition {path}: {exc.strerror}") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BotDefinitionError(
                f"bot definition {path} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
            ) from None
        return cls.from_dict(data, source=str(path))

    @classmethod
    def from_dict(cls, data: Any, *, source: str = "<dict>") -> BotDefinition:
        if not isinstance(data, dict):
            raise BotDefinitionError(f"bot definition {source} must be a JSON object")
        deployment = sorted(DEPLOYMENT_KEYS & data.keys())
        if deployment:
            raise BotDefinitionError(
                f"bot definition {source} must not set {', '.join(deployment)}: the stack sets them"
            )
        unknown = sorted(data.keys() - ALLOWED_KEYS)
        if unknown:
            raise BotDefinitionError(
                f"bot definition {source} has unsupported keys {', '.join(unknown)}; "
                f"allowed: {', '.join(sorted(ALLOWED_KEYS))}"
            )
        locales = data.get("BotLocales")
        if not isinstance(locales, list) or not locales:
            raise BotDefinitionError(f"bot definition {source} needs a non-empty BotLocales list")
        for index, locale in enumerate(locales):
            if not isinstance(locale, dict) or not isinstance(locale.get("LocaleId"), str):
                raise BotDefinitionError(f"bot definition {source}: BotLocales[{index}] needs a LocaleId")
            if not isinstance(locale.get("Intents"), list):
                raise BotDefinitionError(
                    f"bot definition {source}: locale {locale['LocaleId']} needs an Intents list"
                )
        ids = [locale["LocaleId"] for locale in locales]
        if len(set(ids)) != len(ids):
            raise BotDefinitionError(f"bot definition {source} lists a locale twice: {', '.join(ids)}")
        if not isinstance(data.get("IdleSessionTTLInSeconds"), int):
            raise BotDefinitionError(f"bot definition {source} needs an integer IdleSessionTTLInSeconds")
        return cls(properties=copy.deepcopy(data), source=source)

    @property
    def locale_ids(self) -> tuple[str, ...]:
        """Locale ids in definition order (the first is not special; see defaultLocale)."""
        return tuple(locale["LocaleId"] for locale in self.properties["BotLocales"])

    @property
    def digest(self) -> str:
        """SHA-256 of the canonical JSON form: key order and whitespace do not matter."""
        canonical = json.dumps(self.properties, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def to_cfn(self) -> dict[str, Any]:
        """A fresh deep copy of the properties, safe to hand to a CfnBot."""
        return copy.deepcopy(dict(self.properties))
