"""The DynamoDB answer store's item layout: keys, attribute names, and items to and from records.

One table, partition key `pk` (S), sort key `sk` (S), TTL attribute `expiresAt` (N, epoch seconds)
on every item:

    pk                  sk                   attributes
    ANSWER#<id>         META                 session, status, tokenHash, stopRequested, pieces (N,
                                             pieces counted), createdAt, updatedAt, errorKind?,
                                             finishReason?, replaces?, supersededBy?
    ANSWER#<id>         JOB                  job (JSON text: what the worker needs)
    ANSWER#<id>         PIECE#<000000042>    text (one appended piece; the number is its cursor)
    SESSION#<id>        META                 activeAnswer?, tokenHash? (conversation token), version (N)
    SESSION#<id>        EXCHANGE#<ms>#<hex>  turns (L of S: the turns of one append_turns call, each
                                             as JSON text); <ms> the 13-digit epoch millisecond

The job (the LLM messages: often kilobytes) has an item of its own so that META stays small: a
reader polls META, and DynamoDB charges a read by the whole item's size, whatever it projects.
A conversation is one item per exchange (dynamodb_conversations), never rewritten: a turn costs the
write units of its own bytes, not of the whole conversation's.
"""

from __future__ import annotations

import json
from typing import Any

from . import records
from .protocol import STALE_AFTER_SECONDS, UNCLAIMED_AFTER_SECONDS, Answer

Item = dict[str, Any]  # a DynamoDB item in the low-level client's typed form ({"S": ...}, {"N": ...})

PK = "pk"
SK = "sk"
TTL_ATTRIBUTE = "expiresAt"
META = "META"
JOB = "JOB"
EXCHANGE_PREFIX = "EXCHANGE#"  # sorts before META: a newest-first Query of a session starts at META
EXCHANGE_MS_DIGITS = 13
PIECE_PREFIX = "PIECE#"
PIECE_DIGITS = 9
LAST_PIECE = PIECE_PREFIX + "9" * PIECE_DIGITS

# The answer is active (pending or running, neither stale nor unclaimed too long) and not expired;
# its values come from `active_values`.
ACTIVE_CONDITION = (
    "((#status = :running AND #updated >= :staleCut) OR (#status = :pending AND #created >= :unclaimedCut))"
    " AND #exp > :now"
)
ACTIVE_NAMES = ("#status", "#updated", "#created", "#exp")

# Every attribute an expression names goes through ExpressionAttributeNames (several are reserved words).
NAMES = {
    "#pk": PK,
    "#sk": SK,
    "#exp": TTL_ATTRIBUTE,
    "#session": "session",
    "#status": "status",
    "#job": "job",
    "#tokenHash": "tokenHash",
    "#stop": "stopRequested",
    "#pieces": "pieces",
    "#created": "createdAt",
    "#updated": "updatedAt",
    "#errorKind": "errorKind",
    "#finishReason": "finishReason",
    "#replaces": "replaces",
    "#supersededBy": "supersededBy",
    "#active": "activeAnswer",
    "#version": "version",
    "#text": "text",
    "#turns": "turns",
}


def names(*placeholders: str) -> dict[str, str]:
    """ExpressionAttributeNames for just the placeholders an expression uses (DynamoDB refuses unused)."""
    return {placeholder: NAMES[placeholder] for placeholder in placeholders}


def answer_key(answer_id: str, sk: str = META) -> Item:
    return {PK: {"S": f"ANSWER#{answer_id}"}, SK: {"S": sk}}


def session_key(session_id: str, sk: str = META) -> Item:
    return {PK: {"S": f"SESSION#{session_id}"}, SK: {"S": sk}}


def piece_sk(number: int) -> str:
    return f"{PIECE_PREFIX}{number:0{PIECE_DIGITS}d}"


def piece_number(sk: str) -> int:
    return int(sk[len(PIECE_PREFIX) :])


def exchange_sk(epoch_ms: int, suffix: str) -> str:
    return f"{EXCHANGE_PREFIX}{epoch_ms:0{EXCHANGE_MS_DIGITS}d}#{suffix}"


def number(value: float) -> Item:
    return {"N": str(value) if isinstance(value, int) else f"{value:.6f}"}


def string(item: Item | None, name: str) -> str | None:
    value = (item or {}).get(name)
    return None if value is None else str(value.get("S"))


def num(item: Item | None, name: str, default: float = 0.0) -> float:
    value = (item or {}).get(name)
    return default if value is None else float(value["N"])


def live(item: Item | None, now: float) -> Item | None:
    """The item unless it is missing or past its `expiresAt` (DynamoDB deletes expired items late)."""
    if not item or records.expired(num(item, TTL_ATTRIBUTE), now):
        return None
    return item


def answer_item(
    *,
    answer_id: str,
    session_id: str,
    token_hash: str,
    now: float,
    expires_at: int,
    replaces: str | None,
) -> Item:
    item: Item = {
        **answer_key(answer_id),
        "session": {"S": session_id},
        "status": {"S": "pending"},
        "tokenHash": {"S": token_hash},
        "stopRequested": {"BOOL": False},
        "pieces": {"N": "0"},
        "createdAt": number(now),
        "updatedAt": number(now),
        TTL_ATTRIBUTE: number(expires_at),
    }
    if replaces:
        item["replaces"] = {"S": replaces}
    return item


def effective(item: Item, now: float) -> tuple[str, str | None]:
    return records.effective_status(
        string(item, "status") or "failed",
        string(item, "errorKind"),
        num(item, "createdAt"),
        num(item, "updatedAt"),
        now,
    )


def job_item(answer_id: str, job: str, expires_at: int) -> Item:
    return {**answer_key(answer_id, JOB), "job": {"S": job}, TTL_ATTRIBUTE: number(expires_at)}


def to_answer(answer_id: str, item: Item, job: Item | None, text: str, pieces: int, now: float) -> Answer:
    status, error_kind = effective(item, now)
    return Answer(
        answer_id=answer_id,
        session_id=string(item, "session") or "",
        status=status,
        job=json.loads(string(job, "job") or "{}"),
        text=text,
        pieces=pieces,
        created_at=num(item, "createdAt"),
        updated_at=num(item, "updatedAt"),
        expires_at=num(item, TTL_ATTRIBUTE),
        stop_requested=bool(item.get("stopRequested", {}).get("BOOL", False)),
        error_kind=error_kind,
        finish_reason=string(item, "finishReason"),
        replaces=string(item, "replaces"),
        superseded_by=string(item, "supersededBy"),
    )


def turns_of(item: Item | None) -> list[str]:
    return [value["S"] for value in (item or {}).get("turns", {}).get("L", [])]


def active_values(now: float) -> Item:
    return {
        ":running": {"S": "running"},
        ":pending": {"S": "pending"},
        ":now": number(now),
        ":staleCut": number(now - STALE_AFTER_SECONDS),
        ":unclaimedCut": number(now - UNCLAIMED_AFTER_SECONDS),
    }


def session_meta(
    session_id: str,
    stored: Item | None,
    session: Item | None,
    expires_at: int,
    *,
    active_answer: str | None,
    token_hash: str | None = None,
) -> Item:
    """The session's next META item: `stored` is the item as read (expired or not: its version is
    the one to succeed), `session` the same when still live (its token and expiry carry over)."""
    item: Item = {
        **session_key(session_id),
        "version": {"N": str(int(num(stored, "version")) + 1)},
        TTL_ATTRIBUTE: number(max(expires_at, int(num(session, TTL_ATTRIBUTE)))),
    }
    if active_answer:
        item["activeAnswer"] = {"S": active_answer}
    token_hash = token_hash or string(session, "tokenHash")
    if token_hash:
        item["tokenHash"] = {"S": token_hash}
    return item


def supersede(table: str, old_id: str, new_id: str, session_id: str) -> Item:
    """The transaction's Update marking `old_id` (of the same session) superseded by `new_id`."""
    return {
        "Update": {
            "TableName": table,
            "Key": answer_key(old_id),
            "UpdateExpression": "SET #supersededBy = :new",
            "ConditionExpression": "attribute_exists(#pk) AND #session = :session",
            "ExpressionAttributeNames": names("#supersededBy", "#pk", "#session"),
            "ExpressionAttributeValues": {":new": {"S": new_id}, ":session": {"S": session_id}},
        }
    }
