"""The /chat Lambda's configuration: read once per container from the environment and validated.

Every problem is reported at once, in one message that names the variable and what it should be.
An unknown LOG_LEVEL is not one of them: it means INFO (and the handler logs a warning), since a
typo in a logging knob should not take the API down.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from container_setup import safe_log_level

# Lex V2 ids: botId and botAliasId are exactly 10 letters or digits (RecognizeText path limits).
_LEX_ID = re.compile(r"[0-9A-Za-z]{10}")
_LOCALE = re.compile(r"[a-z]{2}_[A-Z]{2}")
_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off", ""})

# API Gateway gives a REST integration 29 s. Lex may wait up to the fallback's deadline (20 s by
# default, 22 s at most) for the code hook, so the read timeout sits between the two.
DEFAULT_READ_TIMEOUT_SECONDS = 25.0
MAX_READ_TIMEOUT_SECONDS = 27.0
# Messages of conversation memory; the same value as the fallback's LLM_HISTORY_MESSAGES.
DEFAULT_HISTORY_MESSAGES = 10
MAX_HISTORY_MESSAGES = 50


class SettingsError(ValueError):
    """The environment does not describe a usable configuration; the message says what to fix."""


@dataclass(frozen=True, kw_only=True)
class Settings:
    """What the /chat handler needs to know about its bot, validated."""

    bot_id: str
    bot_alias_id: str
    locales: tuple[str, ...]
    default_locale: str
    log_user_text: bool
    log_level: str
    read_timeout_seconds: float
    history_messages: int = DEFAULT_HISTORY_MESSAGES

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Build from environment variables; raises SettingsError listing every problem found."""
        problems: list[str] = []

        def lex_id(name: str, what: str) -> str:
            value = environ.get(name, "").strip()
            if not value:
                problems.append(f"{name} is not set (the {what}: 10 letters or digits)")
            elif not _LEX_ID.fullmatch(value):
                problems.append(f"{name}={value!r} is not a Lex {what} (10 letters or digits)")
            return value

        bot_id = lex_id("BOT_ID", "bot id")
        bot_alias_id = lex_id("BOT_ALIAS_ID", "bot alias id")

        locales = tuple(part.strip() for part in environ.get("BOT_LOCALES", "").split(",") if part.strip())
        if not locales:
            problems.append("BOT_LOCALES is not set (comma-separated Lex locale ids, e.g. ko_KR,en_US)")
        for locale in locales:
            if not _LOCALE.fullmatch(locale):
                problems.append(f"BOT_LOCALES has {locale!r}, which is not a locale id like ko_KR")

        default_locale = environ.get("DEFAULT_LOCALE", "").strip() or (locales[0] if locales else "")
        if locales and default_locale not in locales:
            problems.append(
                f"DEFAULT_LOCALE={default_locale!r} is not one of BOT_LOCALES ({', '.join(locales)})"
            )

        raw_flag = environ.get("LOG_USER_TEXT", "false").strip().lower()
        if raw_flag not in _TRUE | _FALSE:
            problems.append(f"LOG_USER_TEXT={raw_flag!r} must be true or false")

        read_timeout = DEFAULT_READ_TIMEOUT_SECONDS
        raw_timeout = environ.get("LEX_READ_TIMEOUT_SECONDS", "").strip()
        if raw_timeout:
            try:
                read_timeout = float(raw_timeout)
            except ValueError:
                read_timeout = -1.0
            if not 0 < read_timeout <= MAX_READ_TIMEOUT_SECONDS:
                problems.append(
                    f"LEX_READ_TIMEOUT_SECONDS={raw_timeout!r} must be a number of seconds above 0 "
                    f"and at most {MAX_READ_TIMEOUT_SECONDS:g}"
                )

        history_messages = DEFAULT_HISTORY_MESSAGES
        raw_history = environ.get("CHAT_HISTORY_MESSAGES", "").strip()
        if raw_history:
            try:
                history_messages = int(raw_history)
            except ValueError:
                history_messages = -1
            if not 0 <= history_messages <= MAX_HISTORY_MESSAGES:
                problems.append(
                    f"CHAT_HISTORY_MESSAGES={raw_history!r} must be a whole number from 0 to "
                    f"{MAX_HISTORY_MESSAGES} (0 turns conversation memory off)"
                )

        if problems:
            raise SettingsError("invalid configuration: " + "; ".join(problems))
        return cls(
            bot_id=bot_id,
            bot_alias_id=bot_alias_id,
            locales=locales,
            default_locale=default_locale,
            log_user_text=raw_flag in _TRUE,
            log_level=safe_log_level(environ.get("LOG_LEVEL")),
            read_timeout_seconds=read_timeout,
            history_messages=history_messages,
        )
