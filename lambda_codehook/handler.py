"""Lambda entry point of the bot's one code hook (Lex V2 allows one Lambda per locale).

Thin: build the router once per container (the bot definition, the user's intent handlers, the
LLM fallback), then route each event. Where things come from:

| variable | default | meaning |
| --- | --- | --- |
| `BOT_DEFINITION_FILE` | `bot_definition.json` beside the packages (bundled by the stack) | the bot file |
| `INTENT_HANDLERS_DIR` | the bundled `intent_handlers/` folder, if any | the user's handlers |

It never raises: a handler folder that fails to load is logged and fails the intents it would
serve, while FallbackIntent keeps answering.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from aws_lambda_powertools.logging.logger import Logger

from container_setup import Lazy, safe_log_level
from lambda_chatgpt.deadline import Deadline

from .bot_model import BotModel, BotModelError
from .discovery import HandlerError, IntentHandlers, discover
from .router import Router

ASSET_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_DEFINITION = ASSET_ROOT / "bot_definition.json"
BUNDLED_HANDLERS = ASSET_ROOT / "intent_handlers"

logger = Logger(service="code-hook", level=safe_log_level(os.environ.get("LOG_LEVEL")))


class ChatgptLlm:
    """`IntentRequest.ask_llm` served by lambda_chatgpt (same provider, settings and memory)."""

    def deadline(self, remaining_millis: int | None) -> Deadline:
        from lambda_chatgpt.ask import turn_deadline

        return turn_deadline(remaining_millis)

    def ask(
        self,
        prompt: str,
        *,
        instructions: str | None,
        locale: str,
        attributes: Mapping[str, str],
        deadline: Deadline,
        session_id: str = "",
        client: str | None = None,
    ) -> str:
        from lambda_chatgpt.ask import ask_llm

        return ask_llm(
            prompt,
            locale=locale,
            attributes=attributes,
            deadline=deadline,
            instructions=instructions,
            session_id=session_id,
            client=client,
        )


def _fallback(event: Any, context: Any) -> dict[str, Any]:
    from lambda_chatgpt.handler import handler as llm_fallback

    return llm_fallback(event, context)


def paths(environ: Mapping[str, str]) -> tuple[Path, Path | None]:
    """The bot definition file and the handlers folder (None: no handlers) this container uses."""
    definition = environ.get("BOT_DEFINITION_FILE", "").strip()
    handlers = environ.get("INTENT_HANDLERS_DIR", "").strip()
    handlers_dir = Path(handlers) if handlers else (BUNDLED_HANDLERS if BUNDLED_HANDLERS.is_dir() else None)
    return (Path(definition) if definition else BUNDLED_DEFINITION), handlers_dir


def build_router(environ: Mapping[str, str]) -> Router:
    """The router for this environment; loading problems become `broken`, never an exception."""
    definition, handlers_dir = paths(environ)
    broken: str | None = None
    handlers: dict[str, IntentHandlers] = {}
    try:
        bot = BotModel.from_file(definition)
    except BotModelError as error:
        bot = BotModel(locales={}, source=str(definition))
        broken = str(error)
    else:
        try:
            handlers = discover(handlers_dir, bot)
        except HandlerError as error:
            broken = str(error)
    if broken is not None:
        logger.error("intent handlers could not be loaded", extra={"problem": broken})
    return Router(bot, handlers, fallback=_fallback, llm=ChatgptLlm(), log=logger, broken=broken)


_router: Lazy[Router] = Lazy(lambda: build_router(os.environ))


def router() -> Router:
    """This container's router, built from the environment on first use."""
    return _router.get()


def reset_router() -> None:
    """Forget the router (tests change the environment or the handlers)."""
    _router.reset()


def handler(event: Any, context: Any) -> dict[str, Any]:
    """Answer one Lex V2 code-hook event."""
    return router().route(event, context)
