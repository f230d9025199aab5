"""Lambda entry point for the answer routes (API Gateway REST proxy integration):

    GET  /chat/answers/{id}?after=N          X-Answer-Token        text/event-stream (a long poll)
    POST /chat/answers/{id}/stop             X-Answer-Token        {"stopped", "status"}
    POST /chat/answers/{id}/regenerate       X-Answer-Token        {"answer": {"id", "token", "url"}}
    GET  /chat/conversations/{sessionId}     X-Conversation-Token  {"sessionId", "turns", "activeAnswer"}

API Gateway buffers a REST integration's response, so a read is a long poll (reading.long_poll):
it answers within 20 s and within the Lambda's remaining time, and the client asks again from the
last event's id. Thin like /chat's handler: find the route, call `routes`, map RouteError to the
JSON error in one place, log one line. The store is built once per container
(`answer_store.from_env`); a container without one answers 500 and logs why.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools.logging.logger import Logger

import answer_store
import apigw_proxy
from answer_store import AnswerStore
from apigw_proxy import (
    JSON_HEADERS,
    header,
    json_response,
    latency_fields,
    query,
    start_request,
    time_left,
)
from container_setup import Lazy, quiet_botocore, safe_log_level

from . import routes
from .errors import MethodNotAllowedError, RouteError, internal_error

quiet_botocore()  # its DEBUG output would print stored answers and conversations

logger = Logger(service="chat-answers", level=safe_log_level(os.environ.get("LOG_LEVEL")))

SSE_HEADERS = {**JSON_HEADERS, "Content-Type": "text/event-stream; charset=utf-8"}
# Matched at the end of the path: a stage or base path in front of /chat changes nothing.
_ANSWER = re.compile(r"/chat/answers/([^/]+)(/stop|/regenerate)?/?$")
_CONVERSATION = re.compile(r"/chat/conversations/([^/]+)/?$")


@dataclass(frozen=True)
class Container:
    """What one Lambda container builds once: the store and how long answers are kept."""

    store: AnswerStore
    ttl_seconds: int


def _build_container() -> Container:
    store = answer_store.from_env(os.environ)
    if store is None:
        raise ValueError("no answer store: set ANSWER_TABLE_NAME (or ANSWER_STORE=embedded locally)")
    return Container(store, answer_store.ttl_seconds(os.environ))


_container: Lazy[Container] = Lazy(_build_container)


def container() -> Container:
    """The store of this container, built from the environment on first use (ValueError if none)."""
    return _container.get()


def reset_container() -> None:
    """Forget the cached store (tests change the environment between cases)."""
    _container.reset()


def handler(event: Mapping[str, Any], context: Any) -> dict[str, Any]:
    """Answer one request on an answer route; always returns a proxy response, never raises."""
    started = time.perf_counter()
    event = start_request(event, logger)
    method = str(event.get("httpMethod") or "").upper()
    path = str(event.get("path") or "")
    try:
        response = dispatch(event, method, path, time_left(context))
    except RouteError as error:
        logger.info(
            "answer request refused",
            extra={"status": error.status, "code": error.code, **latency_fields(started)},
        )
        return error_response(error)
    except ValueError as problem:
        logger.error(
            "the answers Lambda is misconfigured", extra={"problem": str(problem), **latency_fields(started)}
        )
        return error_response(internal_error())
    except Exception:
        logger.exception("unexpected failure", extra=latency_fields(started))
        return error_response(internal_error())
    logger.info(
        "answer request",
        extra={"status": response["statusCode"], "method": method, **latency_fields(started)},
    )
    return response


def dispatch(
    event: Mapping[str, Any], method: str, path: str, time_left: Callable[[], float] | None
) -> dict[str, Any]:
    """Find the route for the method and path and run it."""
    answer = _ANSWER.search(path)
    conversation = _CONVERSATION.search(path)
    if answer is not None:
        answer_id, action = answer.group(1), answer.group(2)
        if action is None:
            _allow(method, "GET")
            app = container()
            body = routes.read_long_poll(
                app.store,
                answer_id,
                header(event, "x-answer-token"),
                query(event, "after"),
                header(event, "last-event-id"),
                time_left=time_left,
            )
            return sse_response(body)
        _allow(method, "POST")
        app = container()
        token = header(event, "x-answer-token")
        if action == "/stop":
            return json_response(200, routes.stop(app.store, answer_id, token))
        return json_response(200, routes.regenerate(app.store, answer_id, token, ttl_seconds=app.ttl_seconds))
    if conversation is not None:
        _allow(method, "GET")
        app = container()
        token = header(event, "x-conversation-token")
        return json_response(200, routes.conversation(app.store, conversation.group(1), token))
    raise RouteError(404, "not_found", "There is nothing at this path.")


def _allow(method: str, allowed: str) -> None:
    if method != allowed:
        raise MethodNotAllowedError(allowed)


def sse_response(body: bytes) -> dict[str, Any]:
    return {
        "statusCode": 200,
        "headers": dict(SSE_HEADERS),
        "body": body.decode("utf-8"),
        "isBase64Encoded": False,
    }


def error_response(error: RouteError) -> dict[str, Any]:
    """The error as `{"error": {...}}` with its status (and, for 405, the Allow header)."""
    allow = {"Allow": error.allowed} if isinstance(error, MethodNotAllowedError) else None
    return apigw_proxy.error_response(
        error.status, error.code, error.message, details=error.details, extra_headers=allow
    )
