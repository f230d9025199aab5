"""Rules both answer stores apply the same way: token hashes, effective status, JSON checks, bounds.

Keeping them in one place is what makes the embedded store (local mode) and the DynamoDB store
(AWS) answer the contract tests identically.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from .protocol import STALE_AFTER_SECONDS, TERMINAL_STATUSES, UNCLAIMED_AFTER_SECONDS

# A conversation shows its newest turns only: at most this many, and at most this much JSON (one
# append_turns call is one DynamoDB item, which stops at 400 KB; the answers' own text lives in their
# pieces, not in the turns). Each turn is kept the TTL it was added with, then expires on its own.
MAX_TURNS = 200
MAX_TURNS_BYTES = 256_000
# The error kind a reader sees for an answer whose worker went silent or never started.
UNAVAILABLE = "unavailable"


def new_answer_id() -> str:
    return str(uuid.uuid4())


def hash_token(token: str) -> str:
    """The SHA-256 (hex) the stores keep instead of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(token: str, stored_hash: str | None) -> bool:
    """Whether `token` hashes to `stored_hash`, compared in constant time; never for an empty one."""
    if not token or not stored_hash:
        return False
    return hmac.compare_digest(hash_token(token), stored_hash)


def expiry(now: float, ttl_seconds: int) -> int:
    """The epoch second a record written at `now` expires (DynamoDB's TTL attribute is whole seconds)."""
    if isinstance(ttl_seconds, bool) or not isinstance(ttl_seconds, int) or ttl_seconds <= 0:
        raise ValueError(f"ttl_seconds must be a whole number of seconds > 0, got {ttl_seconds!r}")
    return math.ceil(now + ttl_seconds)


def expired(expires_at: float, now: float) -> bool:
    return expires_at <= now


def session_expiry(turn_expires_at: int, ttl_seconds: int) -> int:
    """How long a session's record (its conversation token, its active answer) is kept once a turn
    expiring at `turn_expires_at` would outlive it: that long plus half a TTL, so a session with
    turns every few seconds moves its record's expiry once every half TTL, not on every turn."""
    return turn_expires_at + ttl_seconds // 2


def effective_status(
    status: str, error_kind: str | None, created_at: float, updated_at: float, now: float
) -> tuple[str, str | None]:
    """The status a reader sees: a running answer silent past STALE_AFTER_SECONDS, or a pending one
    unclaimed past UNCLAIMED_AFTER_SECONDS, is failed("unavailable")."""
    if status == "running" and now - updated_at > STALE_AFTER_SECONDS:
        return "failed", UNAVAILABLE
    if status == "pending" and now - created_at > UNCLAIMED_AFTER_SECONDS:
        return "failed", UNAVAILABLE
    return status, error_kind


def terminal_status(status: str) -> str:
    """`status` when it ends an answer, else a ValueError naming the allowed values."""
    if status not in TERMINAL_STATUSES:
        allowed = ", ".join(sorted(TERMINAL_STATUSES))
        raise ValueError(f"status must be one of {allowed}, got {status!r}")
    return status


def check_cursor(after: int) -> int:
    if isinstance(after, bool) or not isinstance(after, int) or after < 0:
        raise ValueError(f"cursor (after) must be an integer >= 0, got {after!r}")
    return after


def check_id(name: str, value: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    return value


def job_json(job: Mapping[str, Any]) -> str:
    """The job as the JSON text both stores keep (so a reader gets a copy, never the caller's dict)."""
    if not isinstance(job, Mapping):
        raise ValueError(f"job must be a JSON object, got {type(job).__name__}")
    try:
        return json.dumps(dict(job), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise ValueError(f"job must be JSON-serializable: {error}") from None


def turns_json(turns: Sequence[Mapping[str, Any]]) -> list[str]:
    """Each turn as JSON text (checked: a JSON object), in order."""
    if isinstance(turns, str | bytes | Mapping):
        raise ValueError("turns must be a list of JSON objects")
    encoded = []
    for index, turn in enumerate(turns):
        if not isinstance(turn, Mapping):
            raise ValueError(f"turns[{index}] must be a JSON object, got {type(turn).__name__}")
        try:
            encoded.append(json.dumps(dict(turn), ensure_ascii=False, allow_nan=False))
        except (TypeError, ValueError) as error:
            raise ValueError(f"turns[{index}] must be JSON-serializable: {error}") from None
    return encoded


def bound_turns(encoded: Sequence[str]) -> list[str]:
    """The newest turns within MAX_TURNS and MAX_TURNS_BYTES (the oldest dropped first)."""
    kept = list(encoded[-MAX_TURNS:])
    size = sum(turn_size(turn) for turn in kept)
    start = 0
    while start < len(kept) and size > MAX_TURNS_BYTES:
        size -= turn_size(kept[start])
        start += 1
    return kept[start:]


def turn_size(encoded: str) -> int:
    """What a turn counts against MAX_TURNS_BYTES."""
    return len(encoded.encode("utf-8")) + 1


def past_bounds(count: int, size: int) -> bool:
    """Whether `count` turns of `size` bytes (the newest ones) already fill the bounds: older turns
    would all be dropped by `bound_turns`."""
    return count >= MAX_TURNS or size > MAX_TURNS_BYTES


def decoded_turns(encoded: Sequence[str]) -> tuple[dict[str, Any], ...]:
    return tuple(json.loads(turn) for turn in encoded)
