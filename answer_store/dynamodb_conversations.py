"""The DynamoDB store's kept conversations: one item per `append_turns` call, read newest first.

    SESSION#<id>  EXCHANGE#<epoch ms>#<8 hex>  turns (L of S: each turn as JSON text), expiresAt

Adding turns is one PutItem of a new item: a /chat exchange (the user's turn and the bot's) costs
the write units of its own bytes (1 for a usual exchange), never a rewrite of the whole
conversation. The key orders exchanges by time: the epoch millisecond of the write, strictly
increasing within this process (two calls in one millisecond keep their order), then a random
suffix (two Lambdas writing in the same millisecond never overwrite each other; between them the
order is arbitrary). The turns of one call share an item, so their order is kept.

Expiry: each exchange carries the expiresAt of its own call, so a conversation keeps the turns of
its last TTL (the answers its bot turns point to expire as fast) and lives as long as its newest
turn. The session's META (conversation token, active answer) is kept alive as long: when a new turn
would outlive META, META's expiry moves to the turn's plus half a TTL (`records.session_expiry`),
one conditional UpdateItem per session every half TTL rather than one per turn. Whether META would
end first is known without a read: this process remembers the META expiry it last read or wrote
per session (lambda_lex reads META before every turn, for the active answer). That is a lower
bound, since META's expiry never decreases; when it is unknown, the conditional UpdateItem is tried.

Reading is one Query of `sk BETWEEN "EXCHANGE#" AND "META"`, newest first: META comes first (it
sorts after every exchange), then the exchanges, a page holding MAX_TURNS turns of two-turn
exchanges; another page only while the bounds are not filled yet (exchanges of one turn) and the
exchanges are still live. The kept turns are the newest run of unexpired ones, within the bounds.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator

from . import records
from .dynamodb_items import (
    EXCHANGE_PREFIX,
    META,
    PK,
    SK,
    TTL_ATTRIBUTE,
    Item,
    exchange_sk,
    live,
    names,
    num,
    number,
    session_key,
    string,
    turns_of,
)
from .dynamodb_table import CONDITION_FAILED, Table

# One Query page: META and enough two-turn exchanges for MAX_TURNS turns.
PAGE_ITEMS = 1 + records.MAX_TURNS // 2
# Sessions whose META expiry this process remembers (forgotten all at once past this many).
KNOWN_SESSIONS = 4_096


class Conversations:
    """Exchanges of `table`, and the META expiries this process has seen; thread-safe."""

    def __init__(self, table: Table) -> None:
        self._db = table
        self._lock = threading.Lock()
        self._last_ms = 0
        self._meta_expiry: dict[str, int] = {}

    def seen_meta(self, session_id: str, meta: Item | None) -> None:
        """Remember what a read of the session's META found (`meta`: live, or None)."""
        if meta is None or TTL_ATTRIBUTE not in meta:
            with self._lock:
                self._meta_expiry.pop(session_id, None)
            return
        self.wrote_meta(session_id, int(num(meta, TTL_ATTRIBUTE)))

    def wrote_meta(self, session_id: str, expires_at: int) -> None:
        """Remember that the session's META now expires at `expires_at` (or later)."""
        with self._lock:
            if len(self._meta_expiry) >= KNOWN_SESSIONS and session_id not in self._meta_expiry:
                self._meta_expiry.clear()
            self._meta_expiry[session_id] = expires_at

    def append(
        self, session_id: str, encoded: list[str], *, expires_at: int, ttl_seconds: int, now: float
    ) -> None:
        """Write the turns (JSON text, in order) as one exchange, then keep META alive as long."""
        self._db.call(
            "PutItem",
            Item={
                **session_key(session_id, self._next_sk(now)),
                "turns": {"L": [{"S": turn} for turn in encoded]},
                TTL_ATTRIBUTE: number(expires_at),
            },
        )
        with self._lock:
            known = self._meta_expiry.get(session_id)
        if known is not None and known >= expires_at:
            return
        target = records.session_expiry(expires_at, ttl_seconds)
        reply = self._db.call(
            "UpdateItem",
            Key=session_key(session_id),
            UpdateExpression="SET #exp = :exp ADD #version :one",
            ConditionExpression="attribute_exists(#pk) AND #exp > :now AND #exp < :turn",
            ExpressionAttributeNames=names("#pk", "#exp", "#version"),
            ExpressionAttributeValues={
                ":exp": number(target),
                ":turn": number(expires_at),
                ":now": number(now),
                ":one": {"N": "1"},
            },
            tolerate=CONDITION_FAILED,
        )
        if reply is not None:
            self.wrote_meta(session_id, target)
        else:  # no live META, or another writer moved it: the next read tells
            self.seen_meta(session_id, None)

    def read(self, session_id: str, now: float) -> tuple[Item | None, list[str], int]:
        """The session's META (None unless live), its kept turns (JSON text, in order) and the newest
        turn's expiry (0 without turns)."""
        meta: Item | None = None
        newest_first: list[str] = []
        size, newest_expiry = 0, 0
        for item in self._newest_first(session_id):
            if string(item, SK) == META:
                meta = live(item, now)
                continue
            if live(item, now) is None:
                break  # older exchanges expired before this one
            newest_expiry = newest_expiry or int(num(item, TTL_ATTRIBUTE))
            for turn in reversed(turns_of(item)):
                newest_first.append(turn)
                size += records.turn_size(turn)
            if records.past_bounds(len(newest_first), size):
                break
        self.seen_meta(session_id, meta)
        return meta, records.bound_turns(newest_first[::-1]), newest_expiry

    def _newest_first(self, session_id: str) -> Iterator[Item]:
        """META, then the exchanges newest first; a page is fetched only when the last is used up."""
        params: Item = {
            "KeyConditionExpression": "#pk = :pk AND #sk BETWEEN :first AND :meta",
            "ExpressionAttributeNames": names("#pk", "#sk"),
            "ExpressionAttributeValues": {
                ":pk": session_key(session_id)[PK],
                ":first": {"S": EXCHANGE_PREFIX},
                ":meta": {"S": META},
            },
            "ScanIndexForward": False,
            "Limit": PAGE_ITEMS,
            "ConsistentRead": True,
        }
        while True:
            page = self._db.call("Query", **params) or {}
            yield from page.get("Items", [])
            if not page.get("LastEvaluatedKey"):
                return
            params["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def _next_sk(self, now: float) -> str:
        with self._lock:
            self._last_ms = max(int(now * 1000), self._last_ms + 1)
            epoch_ms = self._last_ms
        return exchange_sk(epoch_ms, secrets.token_hex(4))
