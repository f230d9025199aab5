"""The store streamed answers and kept conversations live in (DynamoDB in AWS, embedded locally)."""

from .protocol import (
    ACTIVE_STATUSES,
    STALE_AFTER_SECONDS,
    TERMINAL_STATUSES,
    UNCLAIMED_AFTER_SECONDS,
    Answer,
    AnswerStore,
    Conversation,
    ReadResult,
    SessionBusyError,
)

__all__ = [
    "ACTIVE_STATUSES",
    "STALE_AFTER_SECONDS",
    "TERMINAL_STATUSES",
    "UNCLAIMED_AFTER_SECONDS",
    "Answer",
    "AnswerStore",
    "Conversation",
    "ReadResult",
    "SessionBusyError",
]
