"""/chat's error responses: an ApiError as the proxy response (the shape is `apigw_proxy`'s)."""

from __future__ import annotations

from typing import Any

import apigw_proxy

from .errors import ApiError


def error_response(error: ApiError) -> dict[str, Any]:
    """`{"error": {"code", "message", ...details}}` with the error's status (and Retry-After when it
    has one)."""
    headers = {"Retry-After": str(error.retry_after)} if error.retry_after is not None else None
    return apigw_proxy.error_response(
        error.status, error.code, error.message, details=error.details, extra_headers=headers
    )
