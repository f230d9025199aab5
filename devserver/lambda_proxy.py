"""A Lambda proxy integration as the dev server runs it: request -> API Gateway event -> handler -> response.

`/chat` (lambda_lex) and the answers routes (lambda_answers) are both Lambda proxy integrations in
the stack; locally each request becomes the event API Gateway would send (`apigw.proxy_event`), the
handler runs on one of the dev server's handler threads (`handler_threads`: a slow turn never holds
up the event loop or another request), and its result becomes the HTTP response. A handler crash
or an invalid result gets what the stack's API Gateway answers then (its DEFAULT_5XX gateway
response: 502 ``upstream_failed``), and the traceback goes to the dev server's stderr.
"""

from __future__ import annotations

import base64
import binascii
import sys
import threading
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .apigw import LambdaContext, proxy_event
from .handler_threads import HandlerThreads

ChatHandler = Callable[[dict[str, Any], Any], Any]

# As cdk_chatbot.limits.VIEWER_IP_HEADER (lambda_lex.client_key reads it).
VIEWER_IP_HEADER = "x-chatbot-viewer-ip"
# As cdk_chatbot.chat_api.GATEWAY_ERRORS["DEFAULT_5XX"] (a test compares them).
GATEWAY_5XX_CODE = "upstream_failed"
GATEWAY_5XX_MESSAGE = "The chat service failed. Please try again later."
_HOP_BY_HOP = {"content-length", "transfer-encoding", "connection", "keep-alive"}


@dataclass(frozen=True)
class ProxyRequest:
    """What one HTTP request gives the event: the raw path, its query, headers as sent, the body."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: Sequence[tuple[str, str]]
    body: bytes
    client_ip: str
    host: str
    port: int
    resource: str | None = None
    path_parameters: Mapping[str, str] | None = None


@dataclass(frozen=True)
class ProxyResult:
    """The HTTP response: status, headers (names as the handler wrote them), body."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes


def build_event(request: ProxyRequest) -> dict[str, Any]:
    """The API Gateway event; the viewer-IP header is always the client's address, as CloudFront's
    viewer-request function writes it whatever the client sent."""
    headers = [(n, v) for n, v in request.headers if n.lower() != VIEWER_IP_HEADER]
    headers.append((VIEWER_IP_HEADER, request.client_ip))
    names = {name.lower() for name, _ in headers}
    for name, value in (
        ("X-Forwarded-For", request.client_ip),
        ("X-Forwarded-Proto", "http"),
        ("X-Forwarded-Port", str(request.port)),
    ):
        if name.lower() not in names:
            headers.append((name, value))
    event = proxy_event(
        method=request.method,
        path=request.path,
        query=request.query,
        headers=headers,
        body=request.body,
        source_ip=request.client_ip,
        host=request.host,
    )
    if request.resource is not None:
        event["resource"] = request.resource
        event["requestContext"]["resourcePath"] = request.resource
    if request.path_parameters:
        event["pathParameters"] = dict(request.path_parameters)
    return event


def lambda_response(result: Any) -> ProxyResult | None:
    """A proxy integration result as a response, or None when API Gateway would reject it."""
    if not isinstance(result, dict):
        return None
    status = result.get("statusCode")
    if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
        return None
    headers: list[tuple[str, str]] = []
    single = result.get("headers") or {}
    multi = result.get("multiValueHeaders") or {}
    if not isinstance(single, dict) or not isinstance(multi, dict):
        return None
    for name, value in single.items():
        if name not in multi:
            headers.append((str(name), str(value)))
    for name, values in multi.items():
        if not isinstance(values, list):
            return None
        headers.extend((str(name), str(value)) for value in values)
    body = result.get("body")
    if body is None:
        payload = b""
    elif isinstance(body, str):
        if result.get("isBase64Encoded"):
            try:
                payload = base64.b64decode(body, validate=True)
            except (binascii.Error, ValueError):
                return None
        else:
            payload = body.encode("utf-8")
    else:
        return None
    return ProxyResult(status, headers, payload)


def _invoke(handler: ChatHandler, event: dict[str, Any], label: str) -> ProxyResult | None:
    try:
        result = handler(event, LambdaContext())
    except Exception:
        sys.stderr.write(f"devserver: the {label} handler raised (API Gateway answers 502 then):\n")
        sys.stderr.write(traceback.format_exc())
        return None
    response = lambda_response(result)
    if response is None:
        sys.stderr.write(f"devserver: the {label} handler returned no valid proxy response\n")
    return response


async def run_handler(
    handler: ChatHandler,
    request: ProxyRequest,
    *,
    threads: HandlerThreads,
    label: str,
    give_up: threading.Event | None = None,
) -> ProxyResult | None:
    """Run the handler on one of `threads`; its response (hop-by-hop headers dropped, the request id
    added as API Gateway does), or None for the gateway's 502. Raises AbandonedError when
    `give_up` is set first (the server is stopping)."""
    event = build_event(request)
    response = await threads.run(lambda: _invoke(handler, event, label), give_up=give_up)
    if response is None:
        return None
    kept = [(n, v) for n, v in response.headers if n.lower() not in _HOP_BY_HOP]
    kept.append(("x-amzn-RequestId", event["requestContext"]["requestId"]))
    return ProxyResult(response.status, kept, response.body)
