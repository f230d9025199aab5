"""Lambda entry point for `POST /chat` (API Gateway REST proxy integration).

Thin on purpose: read the event, call the core (`chat.converse`), map every failure to the API's
error shape in one place, log one structured line per request. Settings and the Lex client are
built once per container, on the first request, so a configuration error is answered as JSON (500
`internal_error`, with the exact problem in the log) instead of failing the import.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools.logging.logger import Logger

import answer_store
import conversation_memory
from apigw_proxy import (
    json_response,
    latency_fields,
    start_request,
    time_left,
)
from container_setup import Lazy, quiet_botocore, safe_log_level

from . import metrics
from .chat import converse
from .client_key import SALT_VARIABLE, client_key
from .errors import ApiError, internal_error
from .lex_gateway import (
    SESSION_WRITE_READ_TIMEOUT_SECONDS,
    LexCallError,
    LexFailure,
    LexGateway,
    make_client,
)
from .request import parse_chat_request
from .responses import error_response
from .settings import Settings, SettingsError
from .streaming import AnswerBusyError, Streaming

quiet_botocore()  # its DEBUG output would print the user's text in RecognizeText

logger = Logger(service="chat-api", level=safe_log_level(os.environ.get("LOG_LEVEL")))


@dataclass(frozen=True)
class Container:
    """What one Lambda container builds once and reuses for every request."""

    settings: Settings
    gateway: LexGateway
    # The answer store's side of /chat (streamed answers, kept conversations); None when off.
    streaming: Streaming | None = None


def _build_container() -> Container:
    settings = Settings.from_env(os.environ)
    client = make_client(settings.read_timeout_seconds)
    gateway = LexGateway(
        client,
        read_timeout=settings.read_timeout_seconds,
        # PutSession's client, built on the first memory write (see lex_gateway).
        session_client_factory=lambda: make_client(
            min(settings.read_timeout_seconds, SESSION_WRITE_READ_TIMEOUT_SECONDS)
        ),
    )
    built = Container(settings, gateway, _streaming())
    logger.setLevel(settings.log_level)
    raw_level = os.environ.get("LOG_LEVEL", "").strip()
    if raw_level and raw_level.upper() != settings.log_level:
        logger.warning("LOG_LEVEL is not a log level; using INFO", extra={"log_level": raw_level})
    return built


def _streaming() -> Streaming | None:
    """The answer store's side of /chat, when the environment names a store (issue 11)."""
    try:
        store = answer_store.from_env(os.environ)
        ttl = answer_store.ttl_seconds(os.environ)
    except ValueError as error:
        raise SettingsError(f"invalid configuration: {error}") from None
    if store is None:
        return None
    return Streaming(store, ttl_seconds=ttl, fold_function=conversation_memory.fold_pending)


# Built on the first request (once, even under local mode's threads), then reused.
_container: Lazy[Container] = Lazy(_build_container)


def container() -> Container:
    """The settings and Lex gateway of this container, built from the environment on first use."""
    return _container.get()


def reset_container() -> None:
    """Forget the cached settings and client (tests change the environment between cases)."""
    _container.reset()


def handler(event: Mapping[str, Any], context: Any) -> dict[str, Any]:
    """Answer one `POST /chat` request; always returns a proxy response, never raises."""
    started = time.perf_counter()
    event = start_request(event, logger)
    try:
        return _handle(event, context, started)
    except Exception:
        logger.exception("unexpected failure", extra=latency_fields(started))
        metrics.record_error("internal_error")
        return error_response(internal_error())


def _handle(event: Mapping[str, Any], context: Any, started: float) -> dict[str, Any]:
    try:
        app = container()
    except SettingsError as error:
        logger.error(
            "the /chat Lambda is misconfigured", extra={"problem": str(error), **latency_fields(started)}
        )
        metrics.record_error("internal_error")
        return error_response(internal_error())
    settings = app.settings
    try:
        request = parse_chat_request(event, locales=settings.locales, default_locale=settings.default_locale)
    except ApiError as error:
        logger.info(
            "request rejected", extra={"status": error.status, "code": error.code, **latency_fields(started)}
        )
        metrics.record_error(error.code)
        return error_response(error)

    client = client_key(event, os.environ.get(SALT_VARIABLE, ""))
    fields: dict[str, Any] = {"session_id": request.session_id, "locale": request.locale, "client": client}
    if settings.log_user_text:
        fields["user_text"] = request.text
    try:
        reply = converse(
            request,
            app.gateway,
            bot_id=settings.bot_id,
            bot_alias_id=settings.bot_alias_id,
            history_messages=settings.history_messages,
            time_left=time_left(context),
            client=client,
            streaming=app.streaming,
        )
    except AnswerBusyError as busy:
        api_error = answer_busy_error(busy.answer_id)
        logger.info(
            "turn refused: the session's answer is still being written",
            extra={**fields, "status": api_error.status, "code": api_error.code, **latency_fields(started)},
        )
        metrics.record_error(api_error.code)
        return error_response(api_error)
    except LexCallError as failure:
        api_error = api_error_for(failure)
        extra = {**fields, "status": api_error.status, "code": api_error.code, "lex_error": failure.detail}
        _log_lex_failure(failure, {**extra, **latency_fields(started)})
        metrics.record_error(api_error.code)
        return error_response(api_error)

    if reply.memory_error is not None:
        # Best effort: the answer stands; only the LLM's view of this turn is lost.
        hint = (
            ": check the role's lex:PutSession permission on the alias"
            if reply.memory_error.failure is LexFailure.MISCONFIGURED
            else ""
        )
        logger.warning(
            "could not write the conversation memory back with PutSession" + hint,
            extra={
                **fields,
                "lex_error": reply.memory_error.detail,
                "failure": reply.memory_error.failure.value,
            },
        )
    if reply.store_error is not None:
        logger.warning(
            "could not keep the turn in the conversation store",
            extra={**fields, "problem": reply.store_error},
        )
    logger.info(
        "chat turn",
        extra={
            **fields,
            "session_generated": request.session_generated,
            "intent": reply.intent,
            "intent_state": reply.intent_state,
            "dialog_action": reply.dialog_action,
            "source": reply.source,
            "memory": reply.memory,
            "message_count": len(reply.messages),
            **({"answer_id": reply.answer["id"]} if reply.answer is not None else {}),
            "status": 200,
            **latency_fields(started),
        },
    )
    metrics.record_turn(locale=request.locale, source=reply.source, intent=reply.intent)
    return json_response(200, reply.to_body())


_LEX_ERRORS: dict[LexFailure, tuple[int, str, str]] = {
    LexFailure.THROTTLED: (
        429,
        "throttled",
        "Too many requests right now. Please wait a moment and try again.",
    ),
    LexFailure.SESSION_BUSY: (
        409,
        "session_busy",
        "This conversation is still busy with the previous message. Try again when it has answered.",
    ),
    LexFailure.REJECTED: (
        400,
        "invalid_request",
        "The bot could not accept this message. Try a shorter one.",
    ),
    LexFailure.TIMEOUT: (504, "upstream_timeout", "The bot took too long to answer. Please try again."),
    LexFailure.UNREACHABLE: (
        502,
        "upstream_failed",
        "The bot could not answer right now. Please try again later.",
    ),
    LexFailure.UPSTREAM: (
        502,
        "upstream_failed",
        "The bot could not answer right now. Please try again later.",
    ),
    LexFailure.MISCONFIGURED: (
        502,
        "upstream_failed",
        "The bot could not answer right now. Please try again later.",
    ),
}


def api_error_for(failure: LexCallError) -> ApiError:
    """The one mapping from a failed Lex call to the API's error (status, code, safe message)."""
    status, code, message = _LEX_ERRORS[failure.failure]
    return ApiError(status, code, message, retry_after=failure.retry_after if status == 429 else None)


def answer_busy_error(answer_id: str) -> ApiError:
    """409 while the session's streamed answer is being written (one answer at a time per session)."""
    return ApiError(
        409,
        "session_busy",
        "This conversation is still writing its previous answer. Wait for it to finish, or stop it, "
        "then send the message again.",
        details={"answerId": answer_id},
    )


def _log_lex_failure(failure: LexCallError, extra: dict[str, Any]) -> None:
    if failure.failure is LexFailure.MISCONFIGURED:
        logger.error(
            "Lex refused the call: check BOT_ID, BOT_ALIAS_ID, BOT_LOCALES and the role's lex:RecognizeText "
            "permission on the alias",
            extra=extra,
        )
    elif failure.failure in (LexFailure.UPSTREAM, LexFailure.UNREACHABLE):
        logger.error("Lex call failed", extra=extra)
    else:
        logger.warning("Lex call failed", extra=extra)
