"""API Gateway REST proxy responses: compact UTF-8 JSON with the same headers on every answer."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

JSON_HEADERS = {
    "Content-Type": "application/json; charset=utf-8",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}


def json_response(
    status: int, body: Mapping[str, Any], extra_headers: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """A proxy integration response with `body` as compact UTF-8 JSON (non-ASCII kept as is)."""
    return {
        "statusCode": status,
        "headers": {**JSON_HEADERS, **(extra_headers or {})},
        "body": json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        "isBase64Encoded": False,
    }


def error_response(
    status: int,
    code: str,
    message: str,
    *,
    details: Mapping[str, Any] | None = None,
    extra_headers: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """`{"error": {"code", "message", ...details}}` with `status` (`details` are extra fields a
    client may act on, such as the answer that keeps a session busy)."""
    return json_response(
        status, {"error": {"code": code, "message": message, **(details or {})}}, extra_headers
    )
