"""The errors /chat answers with: HTTP status, a stable machine code and a message safe to show."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class ApiError(Exception):
    """An error response: `{"error": {"code": code, "message": message, **details}}` with `status`
    (`details` are extra fields a client may act on, such as the answer that keeps a session busy)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        retry_after: int | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after
        self.details: dict[str, Any] = dict(details or {})


def bad_request(code: str, message: str) -> ApiError:
    return ApiError(400, code, message)


def internal_error() -> ApiError:
    return ApiError(500, "internal_error", "The chat service failed unexpectedly. Please try again later.")
