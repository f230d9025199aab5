"""Which answer store this process uses, from its environment (the CDK stack or the dev server sets it).

- `ANSWER_TABLE_NAME` set: the DynamoDB store on that table (AWS). botocore is imported only then.
- `ANSWER_STORE=embedded`: one embedded store shared by the whole process (local mode runs the dev
  server, lambda_lex, the code hook and the worker threads in one process, so they must share it).
- neither: None, and streaming is off (`"stream": true` is ignored, /chat answers as before).

`ttl_seconds` reads how long answers and conversations are kept (`CONVERSATION_TTL_SECONDS`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping

from .protocol import AnswerStore

TABLE_VARIABLE = "ANSWER_TABLE_NAME"
MODE_VARIABLE = "ANSWER_STORE"
TTL_VARIABLE = "CONVERSATION_TTL_SECONDS"
DEFAULT_TTL_SECONDS = 86_400

_lock = threading.Lock()
_shared_embedded: AnswerStore | None = None
_dynamodb_by_table: dict[str, AnswerStore] = {}


def from_env(environ: Mapping[str, str] = os.environ) -> AnswerStore | None:
    """The store the environment names, or None when streaming is off. The same object is returned
    on every call for the same configuration (a Lambda keeps its client between invocations)."""
    global _shared_embedded
    table = environ.get(TABLE_VARIABLE, "").strip()
    mode = environ.get(MODE_VARIABLE, "").strip().lower()
    if table:
        with _lock:
            store = _dynamodb_by_table.get(table)
            if store is None:
                from .dynamodb import DynamoDbAnswerStore

                store = _dynamodb_by_table[table] = DynamoDbAnswerStore(table)
            return store
    if mode == "embedded":
        with _lock:
            if _shared_embedded is None:
                from .embedded import EmbeddedAnswerStore

                _shared_embedded = EmbeddedAnswerStore()
            return _shared_embedded
    if mode:
        raise ValueError(
            f"{MODE_VARIABLE} must be 'embedded' or unset (set {TABLE_VARIABLE} for DynamoDB), got {mode!r}"
        )
    return None


def reset_shared_store() -> None:
    """Forget the process-wide stores (tests that need a fresh embedded store between cases)."""
    global _shared_embedded
    with _lock:
        _shared_embedded = None
        _dynamodb_by_table.clear()


def ttl_seconds(environ: Mapping[str, str] = os.environ) -> int:
    """How long answers and conversations are kept, in seconds (default one day)."""
    raw = environ.get(TTL_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_TTL_SECONDS
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise ValueError(f"{TTL_VARIABLE} must be a whole number of seconds > 0, got {raw!r}")
    return value
