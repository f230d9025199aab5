"""The errors the answer routes answer with: `{"error": {"code", "message", ...}}` and a status.

An unknown answer, an expired one and a wrong or missing token are the same 404 with the same body:
whoever does not hold the token learns nothing, not even whether the answer exists.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class RouteError(Exception):
    """An error response; `details` are extra fields of the error object (such as `answerId`)."""

    def __init__(
        self, status: int, code: str, message: str, *, details: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details: dict[str, Any] = dict(details or {})

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, **self.details}}


class MethodNotAllowedError(RouteError):
    """405 for a method the path does not take; `allowed` goes into the `Allow` header."""

    def __init__(self, allowed: str) -> None:
        super().__init__(405, "method_not_allowed", f"Use {allowed} on this path.")
        self.allowed = allowed


def answer_not_found() -> RouteError:
    return RouteError(
        404,
        "answer_not_found",
        "No such answer, or it has expired, or the X-Answer-Token header does not open it.",
    )


def conversation_not_found() -> RouteError:
    return RouteError(
        404,
        "conversation_not_found",
        "No such conversation, or it has expired, or the X-Conversation-Token header does not open it.",
    )


def invalid_cursor() -> RouteError:
    return RouteError(
        400,
        "invalid_cursor",
        'The cursor ("after" or the Last-Event-ID header) must be a whole number from 0, the id of the '
        "last event read.",
    )


def session_busy(answer_id: str) -> RouteError:
    return RouteError(
        409,
        "session_busy",
        "This conversation is still writing an answer. Wait for it to finish, or stop it, and try again.",
        details={"answerId": answer_id},
    )


def cannot_regenerate() -> RouteError:
    return RouteError(
        409,
        "cannot_regenerate",
        "Only the conversation's last answer written by the language model can be regenerated.",
    )


def internal_error() -> RouteError:
    return RouteError(
        500, "internal_error", "The answer service failed unexpectedly. Please try again later."
    )
