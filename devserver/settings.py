"""What the dev server is configured to do, read once from the environment and checked.

Everything here is plain data: the environment of the Lambda handlers is derived from it in
`lambda_env`, and the startup banner describes it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BOT_PATH = REPO_ROOT / "bot" / "bot.json"
DEFAULT_SITE_DIR = REPO_ROOT / "html"
DEFAULT_PORT = 8080
HOST = "127.0.0.1"

BOT_ID = "LOCALBOT01"
BOT_ALIAS_ID = "LOCALALIAS"
BOT_ALIAS_NAME = "live"
BOT_NAME = "HelloWorldBot"
# The bot's one code hook: routes FallbackIntent to the LLM and other intents to their handlers.
CODE_HOOK = "lambda_codehook.handler:handler"
# Which bot file to run (`make serve BOT=path/to/bot.json` sets it); its handlers are beside it.
BOT_VARIABLE = "BOT_DEFINITION"
HANDLERS_FOLDER = "handlers"
OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1"
# How GET /chat/answers/{id} is served: one SSE response until the answer ends (local mode's
# default), or lambda_answers' buffered long poll, as the stack's API Gateway runs it.
ANSWER_READS_VARIABLE = "ANSWER_READS"
ANSWER_READS_STREAM = "stream"
ANSWER_READS_LONG_POLL = "long-poll"
# Streamed answers in a DynamoDB table instead of the embedded store: the table's name, and the
# endpoint of a local DynamoDB (DynamoDB Local, moto's server) it lives on; local mode never calls AWS.
ANSWER_TABLE_VARIABLE = "ANSWER_TABLE_NAME"
DYNAMODB_ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL_DYNAMODB"
_TABLE_NAME = re.compile(r"^[A-Za-z0-9_.-]{3,255}$")


class ConfigError(Exception):
    """The environment asks for something the dev server cannot do; the message says what to change."""


@dataclass(frozen=True)
class LlmChoice:
    """Which LLM the fallback will use, as far as the environment says."""

    configured: bool
    base_url: str | None  # None: lambda_chatgpt's default (OpenAI)
    model: str | None  # None: lambda_chatgpt's default model
    has_key: bool

    def describe(self, default_model: str | None = None) -> str:
        """One line for the banner; never contains the key."""
        if not self.configured:
            return (
                "none configured: fallback turns will say how to set one "
                "(OPENAI_API_KEY, or OPENAI_BASE_URL for a compatible server such as Ollama or vLLM)"
            )
        where = self.base_url or OPENAI_DEFAULT_BASE_URL
        model = self.model or (
            f"{default_model} (the default; LLM_MODEL changes it)" if default_model else "the default"
        )
        key = "API key from OPENAI_API_KEY" if self.has_key else "no API key"
        return f"OpenAI-compatible chat completions at {where}, model {model}, {key}"


@dataclass(frozen=True)
class BotInfo:
    """The bot as the emulator will load it."""

    definition_path: Path
    locales: tuple[str, ...]
    default_locale: str
    properties: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """The definition's `AWS::Lex::Bot` Properties (a console export already converted)."""

    @property
    def handlers_dir(self) -> Path:
        """The intent handlers' folder: `handlers/` beside the bot file (it may not exist)."""
        return self.definition_path.parent / HANDLERS_FOLDER

    @property
    def name(self) -> str:
        """HelloWorldBot for the shipped bot, else, in CamelCase plus "Bot", the bot folder's name
        (a `bot.json` in a folder of its own) or the file's (`order_flowers.json`: OrderFlowersBot)."""
        if self.definition_path.resolve() == DEFAULT_BOT_PATH.resolve():
            return BOT_NAME
        path = self.definition_path.resolve()
        named = path.parent.name if path.stem.lower() == "bot" else path.stem
        words = [w for w in named.replace("-", "_").split("_") if w]
        name = "".join(word[:1].upper() + word[1:] for word in words if word.isalnum())
        return f"{name or 'Local'}Bot"


@dataclass(frozen=True)
class AnswerTable:
    """A DynamoDB table on a local endpoint holding the streamed answers (as the stack's table does)."""

    name: str
    endpoint: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> AnswerTable | None:
        """From ANSWER_TABLE_NAME and AWS_ENDPOINT_URL_DYNAMODB; None when no table is named."""
        name = environ.get(ANSWER_TABLE_VARIABLE, "").strip()
        if not name:
            return None
        if not _TABLE_NAME.match(name):
            raise ConfigError(
                f"{ANSWER_TABLE_VARIABLE} must be a DynamoDB table name (3 to 255 of A-Z a-z 0-9 _ . -), "
                f"not {name!r}"
            )
        endpoint = environ.get(DYNAMODB_ENDPOINT_VARIABLE, "").strip()
        if not endpoint.startswith(("http://", "https://")):
            raise ConfigError(
                f"{ANSWER_TABLE_VARIABLE} in local mode needs {DYNAMODB_ENDPOINT_VARIABLE}, the http(s) URL "
                "of a local DynamoDB (DynamoDB Local, moto's server) holding the table: the dev server "
                "never calls AWS"
            )
        return cls(name, endpoint)


@dataclass(frozen=True)
class DevServerSettings:
    """Everything `python -m devserver` needs to start."""

    host: str
    port: int
    site_dir: Path
    bot: BotInfo
    llm: LlmChoice
    answer_reads: str = ANSWER_READS_STREAM
    answer_table: AnswerTable | None = None

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str],
        *,
        port: int | None = None,
        bot_path: Path | None = None,
        site_dir: Path = DEFAULT_SITE_DIR,
    ) -> DevServerSettings:
        if bot_path is None:
            bot_path = bot_path_from(environ)
        return cls(
            host=HOST,
            port=port if port is not None else parse_port(environ.get("PORT")),
            site_dir=site_dir,
            bot=read_bot_info(bot_path, environ.get("DEFAULT_LOCALE")),
            llm=llm_choice(environ),
            answer_reads=parse_answer_reads(environ.get(ANSWER_READS_VARIABLE)),
            answer_table=AnswerTable.from_env(environ),
        )


def parse_answer_reads(raw: str | None) -> str:
    """ANSWER_READS: `stream` (unset or empty) or `long-poll` (the read route as in AWS)."""
    value = (raw or "").strip().lower() or ANSWER_READS_STREAM
    if value not in {ANSWER_READS_STREAM, ANSWER_READS_LONG_POLL}:
        raise ConfigError(
            f"{ANSWER_READS_VARIABLE} must be {ANSWER_READS_STREAM!r} (one SSE response per answer) or "
            f"{ANSWER_READS_LONG_POLL!r} (buffered long polls, as in AWS), not {raw!r}"
        )
    return value


def parse_port(raw: str | None) -> int:
    """PORT as an int in 0..65535 (0 asks the OS for a free port); unset or empty means 8080."""
    if raw is None or not raw.strip():
        return DEFAULT_PORT
    try:
        port = int(raw.strip())
    except ValueError:
        raise ConfigError(f"PORT must be a number from 0 to 65535, not {raw!r}") from None
    if not 0 <= port <= 65535:
        raise ConfigError(f"PORT must be a number from 0 to 65535, not {port}")
    return port


def bot_path_from(environ: Mapping[str, str]) -> Path:
    """BOT_DEFINITION (relative to the current folder, as typed) or the shipped bot/bot.json."""
    raw = environ.get(BOT_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_BOT_PATH
    path = Path(raw).expanduser()
    if not path.is_absolute():
        path = Path.cwd() / path
    if path.is_dir():
        raise ConfigError(
            f"{BOT_VARIABLE}={raw!r} is a folder; name the bot file, e.g. {raw.rstrip('/')}/bot.json"
        )
    return path


def read_bot_info(path: Path, default_locale: str | None) -> BotInfo:
    """The locales of the bot definition (a Properties `.json` or a console export `.zip`); the
    default locale is DEFAULT_LOCALE or the first one."""
    if path.suffix.lower() == ".zip":
        from lex_emulator.console_export import read_console_export
        from lex_emulator.errors import BotDefinitionError

        try:
            definition: object = read_console_export(path)
        except OSError as error:
            raise ConfigError(f"cannot read the bot definition {path}: {error.strerror}") from None
        except (BotDefinitionError, ValueError) as error:
            raise ConfigError(f"the bot definition {path} cannot be used: {error}") from None
        return _bot_info(path, definition, default_locale)
    try:
        definition = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"cannot read the bot definition {path}: {error.strerror}") from None
    except ValueError as error:
        raise ConfigError(f"the bot definition {path} is not valid JSON: {error}") from None
    return _bot_info(path, definition, default_locale)


def _bot_info(path: Path, definition: object, default_locale: str | None) -> BotInfo:
    bot_locales = definition.get("BotLocales") if isinstance(definition, dict) else None
    if not isinstance(bot_locales, list) or not bot_locales:
        raise ConfigError(f"the bot definition {path} has no BotLocales")
    locales: list[str] = []
    for entry in bot_locales:
        locale = entry.get("LocaleId") if isinstance(entry, dict) else None
        if not isinstance(locale, str) or not locale:
            raise ConfigError(f"the bot definition {path} has a BotLocales entry without LocaleId")
        locales.append(locale)
    chosen = (default_locale or "").strip() or locales[0]
    if chosen not in locales:
        raise ConfigError(f"DEFAULT_LOCALE={chosen!r} is not one of the bot's locales: {', '.join(locales)}")
    properties = dict(definition) if isinstance(definition, dict) else {}
    return BotInfo(definition_path=path, locales=tuple(locales), default_locale=chosen, properties=properties)


def llm_choice(environ: Mapping[str, str]) -> LlmChoice:
    """OPENAI_API_KEY / OPENAI_BASE_URL (or LLM_BASE_URL) / LLM_MODEL, as the fallback will see them."""
    key = bool(environ.get("OPENAI_API_KEY", "").strip())
    base_url = (environ.get("OPENAI_BASE_URL") or environ.get("LLM_BASE_URL") or "").strip() or None
    if base_url is not None and not base_url.startswith(("http://", "https://")):
        raise ConfigError(f"OPENAI_BASE_URL must start with http:// or https://, not {base_url!r}")
    model = environ.get("LLM_MODEL", "").strip() or None
    return LlmChoice(configured=key or base_url is not None, base_url=base_url, model=model, has_key=key)
