"""API Gateway proxy responses for /chat: JSON bodies with the same headers on every answer."""

from __future__ import annotations

import json
from typing import Any

from .errors import ApiError

BASE_HEADERS = {
    "Content-Type": "application/json; charset=utf-8",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}


def json_response(
    status: int, body: dict[str, Any], extra_headers: dict[str, str] | None = None
) -> dict[str, Any]:
    """A REST proxy integration response with a compact UTF-8 JSON body."""
    return {
        "statusCode": status,
        "headers": {**BASE_HEADERS, **(extra_headers or {})},
        "body": json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        "isBase64Encoded": False,
    }


def error_response(error: ApiError) -> dict[str, Any]:
    """`{"error": {"code", "message", ...details}}` with the error's status (and Retry-After when it
    has one)."""
    headers = {"Retry-After": str(error.retry_after)} if error.retry_after is not None else None
    body = {"error": {"code": error.code, "message": error.message, **error.details}}
    return json_response(error.status, body, headers)
