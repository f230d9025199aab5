"""The store streamed answers and kept conversations live in (DynamoDB in AWS, embedded locally).

`from_env()` picks the one this process uses (None: streaming off); `ttl_seconds()` is how long
answers and conversations are kept. The protocol and records are in `protocol`.
"""

from .embedded import EmbeddedAnswerStore
from .errors import AnswerStoreError
from .factory import from_env, reset_shared_store, ttl_seconds
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
    "AnswerStoreError",
    "Conversation",
    "EmbeddedAnswerStore",
    "ReadResult",
    "SessionBusyError",
    "from_env",
    "reset_shared_store",
    "ttl_seconds",
]
