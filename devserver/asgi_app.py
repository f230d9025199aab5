"""The dev server's ASGI app (Starlette): the page, `/chat`, the answers routes, `/metrics`.

- ``POST /chat``: lambda_lex's handler through the API Gateway proxy event (`lambda_proxy`).
- ``GET /chat/answers/{id}``: the answer as one real SSE stream until its end (`answer_stream`).
- ``POST /chat/answers/{id}/stop`` and ``/regenerate``, ``GET /chat/conversations/{sessionId}``:
  lambda_answers' handler through the same proxy event, with the stack's resource and path parameters.
- ``GET /metrics``: the handlers' metrics; any other path: a file of the site folder or a generated
  one (the page's config.json), GET/HEAD only.

Every answer is JSON on error ``{"error": {"code", "message"}}`` and carries the security headers
CloudFront adds in AWS (they win over a handler's). The per-client rate limits (the stack's web ACL)
apply to `/chat` and the answers routes (GETs have their own). One access-log line per request when asked.
"""

from __future__ import annotations

import json
import sys
import threading
import time
import traceback
from collections.abc import Awaitable, Callable, Mapping
from email.utils import formatdate
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs

from starlette.routing import Route, Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import static_files
from .answer_stream import AnswerStreams, StreamRefused, StreamRequest, event_stream_response
from .handler_threads import AbandonedError, HandlerThreads
from .lambda_proxy import GATEWAY_5XX_CODE, GATEWAY_5XX_MESSAGE, ChatHandler, ProxyRequest, run_handler
from .limits import THROTTLED_CODE, THROTTLED_MESSAGE, ClientRateLimiter
from .metrics import MetricsStore
from .request_body import BodyRefusedError, error_body, read_body
from .settings import ANSWER_READS_LONG_POLL

CHAT_PATH = "/chat"
METRICS_PATH = "/metrics"
ANSWER_TOKEN_HEADER = b"x-answer-token"
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"})
_SECURITY_HEADER_NAMES = {name.lower().encode() for name, _ in static_files.SECURITY_HEADERS}
_SECURITY_HEADERS = [(name.encode(), value.encode()) for name, value in static_files.SECURITY_HEADERS]

Endpoint = Callable[[Scope, Receive, Send], Awaitable[None]]


class ServedSite(Protocol):
    """What the app reads from its server at each request (tests and app.py change it after binding)."""

    site_dir: Path
    generated_files: dict[str, bytes]
    chat_handler: ChatHandler | None
    answers_handler: ChatHandler | None
    answer_streams: AnswerStreams | None
    answer_reads: str
    rate_limiter: ClientRateLimiter | None
    read_rate_limiter: ClientRateLimiter | None
    metrics: MetricsStore | None
    body_timeout_seconds: float
    keep_alive_seconds: float
    closing: threading.Event

    @property
    def port(self) -> int: ...


# --- responses -------------------------------------------------------------------------------------


async def respond(
    send: Send, status: int, headers: list[tuple[str, str]], body: bytes, *, length: int | None = None
) -> None:
    """One whole response; header names as given (uvicorn drops the body of a HEAD answer itself)."""
    raw = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers]
    if status != 304:
        raw.append((b"Content-Length", str(len(body) if length is None else length).encode()))
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body, "more_body": False})


async def respond_error(
    send: Send, status: int, code: str, message: str, headers: list[tuple[str, str]] | None = None
) -> None:
    await respond(
        send, status, [("Content-Type", "application/json"), *(headers or [])], error_body(code, message)
    )


async def method_not_allowed(scope: Scope, send: Send, allow: str) -> None:
    await respond_error(
        send,
        405,
        "method_not_allowed",
        f"{scope['method']} is not allowed here; use {allow}.",
        [("Allow", allow)],
    )


def raw_path(scope: Scope) -> str:
    """The path as sent (still percent-encoded), as API Gateway and the static resolver want it."""
    raw = scope.get("raw_path")
    return raw.decode("latin-1") if isinstance(raw, bytes) else str(scope["path"])


def header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def client_ip(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "127.0.0.1"


# --- the app ---------------------------------------------------------------------------------------


class DevApp:
    """Routes and answers; `site` is the server whose settings apply."""

    def __init__(self, site: ServedSite, *, access_log: bool) -> None:
        self.site = site
        self.access_log = access_log
        # The Lambda handlers' (and the answer store's) blocking calls: a bounded pool of threads.
        self.threads = HandlerThreads()
        # Long-poll reads (ANSWER_READS=long-poll) hold a thread for up to 20 s each: their own pool,
        # as the stack's answers Lambda has its own concurrency, so readers never queue a /chat turn.
        self.read_threads = HandlerThreads()
        answers = "/chat/answers/{id}"
        self._long_poll_read = self.answers_proxy(answers, "GET", threads=self.read_threads)
        self.router = Router(
            routes=[
                Route(CHAT_PATH, _Asgi(self.chat)),
                Route(answers, _Asgi(self.answer_stream)),
                Route(answers + "/stop", _Asgi(self.answers_proxy(answers + "/stop", "POST"))),
                Route(answers + "/regenerate", _Asgi(self.answers_proxy(answers + "/regenerate", "POST"))),
                Route(
                    "/chat/conversations/{sessionId}",
                    _Asgi(self.answers_proxy("/chat/conversations/{sessionId}", "GET")),
                ),
                Route(METRICS_PATH, _Asgi(self.metrics)),
            ],
            default=self.static,
            redirect_slashes=False,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return  # no lifespan, no websockets
        started = time.perf_counter()
        status = 0

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                # Like CloudFront's response headers policy (override=True): these always win.
                kept = [
                    (n, v) for n, v in message.get("headers", []) if n.lower() not in _SECURITY_HEADER_NAMES
                ]
                message = {**message, "headers": [*kept, *_SECURITY_HEADERS]}
            await send(message)

        try:
            if scope["method"] not in KNOWN_METHODS:
                await respond_error(
                    send_with_headers,
                    501,
                    "not_implemented",
                    f"Unsupported method ({scope['method']!r}).",
                    [("Connection", "close")],
                )
            else:
                await self.router(scope, receive, send_with_headers)
        except Exception:
            sys.stderr.write(
                f"devserver: {scope['method']} {raw_path(scope)} failed:\n{traceback.format_exc()}"
            )
            if not status:
                await respond_error(send_with_headers, 500, "internal_error", "The dev server failed.")
        finally:
            if self.access_log and status:
                elapsed = (time.perf_counter() - started) * 1000
                sys.stderr.write(f"{scope['method']} {raw_path(scope)} {status} {elapsed:.1f} ms\n")

    # --- helpers ----------------------------------------------------------------------------------

    async def _throttled(self, scope: Scope, send: Send) -> bool:
        """Over the client's limit: answers 429. Like the stack's web ACL, reads (GETs) count against
        a limit of their own, everything else against the turns' limit."""
        limiter = self.site.read_rate_limiter if scope["method"] == "GET" else self.site.rate_limiter
        wait = limiter.acquire(client_ip(scope)) if limiter is not None else None
        if wait is None:
            return False
        await respond_error(send, 429, THROTTLED_CODE, THROTTLED_MESSAGE, [("Retry-After", str(wait))])
        return True

    async def _body(self, scope: Scope, receive: Receive, send: Send) -> bytes | None:
        """The request body, or None after answering (or losing the client)."""
        try:
            return await read_body(scope, receive, self.site.body_timeout_seconds)
        except BodyRefusedError as refused:
            await refused.response(scope, receive, send)
            return None

    def _proxy_request(
        self,
        scope: Scope,
        body: bytes,
        resource: str | None = None,
        parameters: Mapping[str, str] | None = None,
    ) -> ProxyRequest:
        query = scope.get("query_string", b"").decode("latin-1")
        return ProxyRequest(
            method=scope["method"],
            path=raw_path(scope),
            query=parse_qs(query, keep_blank_values=True),
            headers=[(bytes(n).decode("latin-1"), bytes(v).decode("latin-1")) for n, v in scope["headers"]],
            body=body,
            client_ip=client_ip(scope),
            host=header(scope, b"host") or f"127.0.0.1:{self.site.port}",
            port=self.site.port,
            resource=resource,
            path_parameters=parameters,
        )

    async def _proxy(
        self,
        send: Send,
        handler: ChatHandler,
        request: ProxyRequest,
        label: str,
        threads: HandlerThreads | None = None,
    ) -> None:
        try:
            result = await run_handler(
                handler, request, threads=threads or self.threads, label=label, give_up=self.site.closing
            )
        except AbandonedError:
            await respond_error(
                send, 503, "stopping", "The dev server is stopping.", [("Connection", "close")]
            )
            return
        if result is None:
            await respond_error(
                send,
                502,
                GATEWAY_5XX_CODE,
                GATEWAY_5XX_MESSAGE,
                [("x-amzn-ErrorType", "InternalServerErrorException")],
            )
            return
        await respond(send, result.status, result.headers, result.body)

    # --- routes -----------------------------------------------------------------------------------

    async def chat(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] != "POST":
            await method_not_allowed(scope, send, "POST")
            return
        body = await self._body(scope, receive, send)
        if body is None:
            return
        handler = self.site.chat_handler
        if handler is None:
            await respond_error(send, 503, "starting", "The chatbot is still starting.")
            return
        if await self._throttled(scope, send):
            return
        await self._proxy(send, handler, self._proxy_request(scope, body), "/chat")

    def answers_proxy(self, resource: str, method: str, *, threads: HandlerThreads | None = None) -> Endpoint:
        """A lambda_answers route: `method` only, the event with the stack's resource and parameters
        (its handler on `threads`, by default the pool /chat uses)."""

        async def endpoint(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["method"] != method:
                await method_not_allowed(scope, send, method)
                return
            body = await self._body(scope, receive, send)
            if body is None:
                return
            handler = self.site.answers_handler
            if handler is None:
                await respond_error(send, 404, "not_found", "Streamed answers are off in this dev server.")
                return
            if await self._throttled(scope, send):
                return
            parameters = {str(k): str(v) for k, v in scope.get("path_params", {}).items()}
            request = self._proxy_request(scope, body, resource, parameters)
            await self._proxy(send, handler, request, resource, threads)

        return endpoint

    async def answer_stream(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.site.answer_reads == ANSWER_READS_LONG_POLL:
            await self._long_poll_read(scope, receive, send)
            return
        if scope["method"] != "GET":
            await method_not_allowed(scope, send, "GET")
            return
        if await self._throttled(scope, send):
            return
        streams = self.site.answer_streams
        if streams is None:
            await respond_error(send, 404, "answer_not_found", "Streamed answers are off in this dev server.")
            return
        after = parse_qs(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True).get(
            "after"
        )
        request = StreamRequest(
            answer_id=str(scope["path_params"]["id"]),
            token=header(scope, ANSWER_TOKEN_HEADER),
            after=after[-1] if after else None,
            last_event_id=header(scope, b"last-event-id"),
        )
        opened = await self.threads.run(lambda: streams(request))
        if isinstance(opened, StreamRefused):
            await respond_error(send, opened.status, opened.code, opened.message)
            return
        response = event_stream_response(
            opened, keep_alive_seconds=self.site.keep_alive_seconds, closing=self.site.closing
        )
        await response(scope, receive, send)

    async def metrics(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The figures the handlers' metrics add up to: JSON, or text with `?format=text`."""
        store = self.site.metrics
        if store is None:
            await self.static(scope, receive, send)
            return
        if scope["method"] not in {"GET", "HEAD"}:
            await method_not_allowed(scope, send, "GET, HEAD")
            return
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if query.get("format") == ["text"]:
            body, content_type = store.text().encode("utf-8"), "text/plain; charset=utf-8"
        else:
            body, content_type = json.dumps(store.snapshot()).encode("utf-8"), "application/json"
        await respond(send, 200, [("Content-Type", content_type), ("Cache-Control", "no-store")], body)

    async def static(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = raw_path(scope)
        generated = self.site.generated_files.get(path)
        if generated is not None and scope["method"] in {"GET", "HEAD"}:
            content_type = static_files.content_type(Path(path))
            await respond(
                send, 200, [("Content-Type", content_type), ("Cache-Control", "no-cache")], generated
            )
            return
        file = static_files.resolve(self.site.site_dir, path)
        if file is None:
            await respond_error(send, 404, "not_found", f"Nothing is served at {path}.")
        elif scope["method"] in {"GET", "HEAD"}:
            await self._file(scope, send, file)
        else:
            await method_not_allowed(scope, send, "GET, HEAD")

    async def _file(self, scope: Scope, send: Send, file: Path) -> None:
        try:
            stat = file.stat()
            data = b"" if scope["method"] == "HEAD" else file.read_bytes()
        except OSError:
            await respond_error(send, 404, "not_found", "Nothing is served here.")
            return
        etag = f'W/"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
        headers = [
            ("Content-Type", static_files.content_type(file)),
            ("Cache-Control", "no-cache"),
            ("ETag", etag),
            ("Last-Modified", formatdate(stat.st_mtime, usegmt=True)),
        ]
        if header(scope, b"if-none-match") == etag:
            await respond(send, 304, headers, b"")
            return
        await respond(send, 200, headers, data, length=stat.st_size)


class _Asgi:
    """A plain ASGI endpoint for a Starlette Route (a bound method would be taken for a request handler)."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.endpoint(scope, receive, send)


def build_app(site: ServedSite, *, access_log: bool) -> ASGIApp:
    return DevApp(site, access_log=access_log)
