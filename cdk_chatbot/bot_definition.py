"""The bot definition (bot/bot.json, or a Lex console export .zip) as data: loading, checks, digest.

A definition is the Properties of CloudFormation's ``AWS::Lex::Bot``. It is checked by
`lex_emulator.cfn_schema.validate_bot_definition`, the very function the emulator's loader calls,
against the schema cfn-lint ships (and Lex's build rules), so the stack and local mode accept the
same files. The stack then adds what depends on the deployment (Name, RoleArn, DataPrivacy,
AutoBuildBotLocales), so the file must not set those. A console export is converted to Properties
by `lex_emulator.console_export` and deployed as such (no S3 upload). The digest names the published
bot version: a changed definition publishes anew.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lex_emulator import console_export
from lex_emulator.cfn_schema import validate_bot_definition
from lex_emulator.errors import BotDefinitionError as _SchemaError

# Top-level properties the stack deploys from the file; the stack sets DEPLOYMENT_KEYS itself.
ALLOWED_KEYS = frozenset({"Description", "IdleSessionTTLInSeconds", "BotLocales", "BotTags"})
DEPLOYMENT_KEYS = frozenset({"Name", "RoleArn", "DataPrivacy", "AutoBuildBotLocales"})


class BotDefinitionError(ValueError):
    """The bot definition cannot be used; the message says where and why.

    ``path`` and ``problem`` are the field and reason when a field is at fault (as the emulator's
    `lex_emulator.errors.BotDefinitionError` has them), else empty.
    """

    def __init__(self, message: str, *, path: str = "", problem: str = "") -> None:
        super().__init__(message)
        self.path = path
        self.problem = problem


@dataclass(frozen=True)
class BotDefinition:
    """A validated bot definition; `properties` is a private, normalised deep copy of the data."""

    properties: Mapping[str, Any]
    source: str = "<dict>"

    @classmethod
    def from_file(cls, path: Path) -> BotDefinition:
        """Read a ``.json`` Properties file or a Lex V2 console export ``.zip``."""
        if console_export.is_console_export(path):
            try:
                data: Any = console_export.read_console_export(path)
            except _SchemaError as exc:
                raise BotDefinitionError(
                    f"bot definition {path}: {exc}", path=exc.path, problem=exc.problem
                ) from None
            return cls.from_dict(data, source=str(path))
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
        try:
            properties = validate_bot_definition(data)
        except _SchemaError as exc:
            raise BotDefinitionError(
                f"bot definition {source}: {exc}", path=exc.path, problem=exc.problem
            ) from None
        deployment = sorted(DEPLOYMENT_KEYS & properties.keys())
        if deployment:
            raise BotDefinitionError(
                f"bot definition {source} must not set {', '.join(deployment)}: the stack sets them",
                path=deployment[0],
                problem="is set by the stack",
            )
        unknown = sorted(properties.keys() - ALLOWED_KEYS)
        if unknown:
            raise BotDefinitionError(
                f"bot definition {source} sets {', '.join(unknown)}: valid for AWS::Lex::Bot, but this "
                f"stack does not deploy it; it deploys {', '.join(sorted(ALLOWED_KEYS))}",
                path=unknown[0],
                problem="is not deployed by this stack",
            )
        if not properties.get("BotLocales"):
            raise BotDefinitionError(
                f"bot definition {source} needs at least one locale in BotLocales",
                path="BotLocales",
                problem="needs at least one locale",
            )
        return cls(properties=properties, source=source)

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
