"""The answer store in one DynamoDB table (AWS): table partition key `pk` (S), sort key `sk` (S), and
the TTL attribute `expiresAt` (N, epoch seconds) on every item; the item layout is in
`dynamodb_items`. TTL deletes expired items only eventually, so every read also checks `expiresAt`.

Correctness under concurrency rests on conditional writes, never on read-then-write alone:
- claim is one UpdateItem conditioned on `status = pending` (and not unclaimed too long);
- create reads the session (and its active answer, to tell a live one from an ended or stale one),
  then writes the answer and the session in one TransactWriteItems conditioned on the session's
  `version` it read (any concurrent change of the session cancels it, and it is retried);
- append, finish and stop are UpdateItems conditioned on the answer still being active;
- kept turns are an item per append_turns call, never rewritten (dynamodb_conversations).
Only the answer's worker appends, so a piece's number comes from an atomic `ADD pieces 1`, and the
piece is written after it; a reader Queries `PIECE#` items after its cursor (a number taken by a
worker that died before writing it is skipped). Reads are strongly consistent. `read` polls with a
short backoff (100 ms growing to 500 ms) until new text, the end, or its wait is over.

Imports only botocore (in the Lambda runtime), built on first use: cold starts stay small.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from . import dynamodb_items as items
from . import records
from .dynamodb_conversations import Conversations
from .dynamodb_items import Item, names
from .dynamodb_table import CONDITION_FAILED, TRANSACTION_CANCELED, Table
from .errors import AnswerStoreError
from .protocol import (
    ACTIVE_STATUSES,
    STALE_AFTER_SECONDS,
    UNCLAIMED_AFTER_SECONDS,
    Answer,
    Conversation,
    ReadResult,
    SessionBusyError,
)

FIRST_POLL_SECONDS = 0.1
LONGEST_POLL_SECONDS = 0.5
# A piece is one item (400 KB at most): longer text is written as several pieces.
MAX_PIECE_CHARS = 80_000
# Optimistic writes of a session item give up after this many conflicting writers in a row.
SESSION_ATTEMPTS = 6


class DynamoDbAnswerStore:
    """Answers and conversations in `table_name`; the client is built on first use unless one is given."""

    def __init__(
        self, table_name: str, *, client: Any = None, clock: Callable[[], float] = time.time
    ) -> None:
        self._db = Table(table_name, client)
        self._clock = clock
        self._expiry_of: dict[str, int] = {}  # answer id -> expiresAt, for its pieces (set once)
        self._conversations = Conversations(self._db)

    # --- answers -------------------------------------------------------------------------------

    def create(
        self,
        *,
        session_id: str,
        token: str,
        job: Mapping[str, Any],
        ttl_seconds: int,
        replaces: str | None = None,
    ) -> str:
        records.check_id("session_id", session_id)
        records.check_id("token", token)
        job_text = records.job_json(job)
        for _ in range(SESSION_ATTEMPTS):
            now = self._clock()
            expires_at = records.expiry(now, ttl_seconds)
            stored = self._db.get(items.session_key(session_id))
            session = items.live(stored, now)
            active = items.string(session, "activeAnswer")
            if active and self._is_active(self._db.get(items.answer_key(active)), now):
                raise SessionBusyError(active)
            answer_id = records.new_answer_id()
            meta = items.session_meta(session_id, stored, session, expires_at, active_answer=answer_id)
            writes: list[Item] = [
                {
                    "Put": {
                        "TableName": self._db.name,
                        "Item": items.answer_item(
                            answer_id=answer_id,
                            session_id=session_id,
                            token_hash=records.hash_token(token),
                            now=now,
                            expires_at=expires_at,
                            replaces=replaces,
                        ),
                        "ConditionExpression": "attribute_not_exists(#pk)",
                        "ExpressionAttributeNames": names("#pk"),
                    }
                },
                {
                    "Put": {
                        "TableName": self._db.name,
                        "Item": items.job_item(answer_id, job_text, expires_at),
                    }
                },
                {"Put": self._db.versioned_put(meta, stored)},
            ]
            if replaces:
                old = items.live(self._db.get(items.answer_key(replaces)), now)
                if old is not None and items.string(old, "session") != session_id:
                    raise ValueError(f"replaces: answer {replaces} belongs to another session")
                if old is not None:
                    writes.append(items.supersede(self._db.name, replaces, answer_id, session_id))
            done = self._db.call("TransactWriteItems", TransactItems=writes, tolerate=TRANSACTION_CANCELED)
            if done is not None:
                self._expiry_of[answer_id] = expires_at
                self._conversations.wrote_meta(session_id, int(items.num(meta, items.TTL_ATTRIBUTE)))
                return answer_id
        raise AnswerStoreError(f"TransactWriteItems on {self._db.name}: the session kept changing")

    def claim(self, answer_id: str) -> Answer | None:
        now = self._clock()
        reply = self._db.call(
            "UpdateItem",
            Key=items.answer_key(answer_id),
            UpdateExpression="SET #status = :running, #updated = :now",
            ConditionExpression="#status = :pending AND #created >= :unclaimedCut AND #exp > :now",
            ExpressionAttributeNames=names("#status", "#updated", "#created", "#exp"),
            ExpressionAttributeValues={
                ":running": {"S": "running"},
                ":pending": {"S": "pending"},
                ":now": items.number(now),
                ":unclaimedCut": items.number(now - UNCLAIMED_AFTER_SECONDS),
            },
            ReturnValues="ALL_NEW",
            tolerate=CONDITION_FAILED,
        )
        if reply is None:
            return None
        item = reply["Attributes"]
        self._expiry_of[answer_id] = int(items.num(item, items.TTL_ATTRIBUTE))
        job = self._db.get(items.answer_key(answer_id, items.JOB))
        return items.to_answer(answer_id, item, job, "", 0, now)

    def append(self, answer_id: str, text: str) -> int:
        if not isinstance(text, str):
            raise ValueError(f"text must be a string, got {type(text).__name__}")
        if not text:
            return self._advance(answer_id, 0)[0]
        cursor = 0
        for start in range(0, len(text), MAX_PIECE_CHARS):
            cursor, running = self._advance(answer_id, 1)
            if not running:  # ended, stale or expired: nothing more is kept
                return cursor
            self._db.call(
                "PutItem",
                Item={
                    **items.answer_key(answer_id, items.piece_sk(cursor)),
                    "text": {"S": text[start : start + MAX_PIECE_CHARS]},
                    items.TTL_ATTRIBUTE: items.number(self._expiry(answer_id)),
                },
            )
        return cursor

    def finish(
        self, answer_id: str, status: str, *, error_kind: str | None = None, finish_reason: str | None = None
    ) -> None:
        records.terminal_status(status)
        now = self._clock()
        item = items.live(self._db.get(items.answer_key(answer_id)), now)
        if item is None:
            return
        sets = ["#status = :status", "#updated = :now"]
        removes = []
        values = {":status": {"S": status}, **items.active_values(now)}
        for placeholder, value in (("#errorKind", error_kind), ("#finishReason", finish_reason)):
            if value is None:
                removes.append(placeholder)
            else:
                sets.append(f"{placeholder} = :{placeholder[1:]}")
                values[f":{placeholder[1:]}"] = {"S": value}
        expression = "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else "")
        self._db.call(
            "UpdateItem",
            Key=items.answer_key(answer_id),
            UpdateExpression=expression,
            ConditionExpression=items.ACTIVE_CONDITION,
            ExpressionAttributeNames=names(*items.ACTIVE_NAMES, "#errorKind", "#finishReason"),
            ExpressionAttributeValues=values,
            tolerate=CONDITION_FAILED,
        )
        self._clear_active(items.string(item, "session") or "", answer_id)

    def request_stop(self, answer_id: str) -> bool:
        reply = self._db.call(
            "UpdateItem",
            Key=items.answer_key(answer_id),
            UpdateExpression="SET #stop = :true",
            ConditionExpression=items.ACTIVE_CONDITION,
            ExpressionAttributeNames=names(*items.ACTIVE_NAMES, "#stop"),
            ExpressionAttributeValues={":true": {"BOOL": True}, **items.active_values(self._clock())},
            tolerate=CONDITION_FAILED,
        )
        return reply is not None

    def get(self, answer_id: str, *, include_text: bool = True) -> Answer | None:
        now = self._clock()
        if not include_text:  # the worker's check for a stop, at every flush: one small GetItem
            meta = items.live(self._db.get(items.answer_key(answer_id)), now)
            count = int(items.num(meta, "pieces"))
            return None if meta is None else items.to_answer(answer_id, meta, None, "", count, now)
        found = self._db.query(  # JOB, META, then every PIECE# in order
            KeyConditionExpression="#pk = :pk",
            ExpressionAttributeNames=names("#pk"),
            ExpressionAttributeValues={":pk": items.answer_key(answer_id)[items.PK]},
        )
        by_sk = {items.string(item, items.SK) or "": item for item in found}
        meta = items.live(by_sk.get(items.META), now)
        if meta is None:
            return None
        pieces = [item for sk, item in by_sk.items() if sk.startswith(items.PIECE_PREFIX)]
        text = "".join(items.string(piece, "text") or "" for piece in pieces)
        last = items.piece_number(items.string(pieces[-1], items.SK) or "") if pieces else 0
        return items.to_answer(answer_id, meta, by_sk.get(items.JOB), text, last, now)

    def read(self, answer_id: str, after: int, wait_seconds: float) -> ReadResult | None:
        records.check_cursor(after)
        give_up = time.monotonic() + max(0.0, wait_seconds)
        delay = FIRST_POLL_SECONDS
        while True:
            now = self._clock()
            item = items.live(self._db.get(items.answer_key(answer_id)), now)
            if item is None:
                return None
            status, error_kind = items.effective(item, now)
            ended = status not in ACTIVE_STATUSES
            text, last = "", after
            if ended or items.num(item, "pieces") > after:
                text, last = self._pieces_after(answer_id, after)
            left = give_up - time.monotonic()
            if text or ended or left <= 0:
                return ReadResult(
                    text=text,
                    cursor=max(after, last),
                    status=status,
                    error_kind=error_kind,
                    finish_reason=items.string(item, "finishReason"),
                )
            time.sleep(min(delay, left))
            delay = min(delay * 1.6, LONGEST_POLL_SECONDS)

    def check_token(self, answer_id: str, token: str) -> bool:
        if not token:
            return False
        now = self._clock()
        item = items.live(self._db.get(items.answer_key(answer_id), "#tokenHash, #session, #exp"), now)
        if item is None:
            return False
        if records.token_matches(token, items.string(item, "tokenHash")):
            return True
        return self.check_conversation_token(items.string(item, "session") or "", token)

    def active_answer(self, session_id: str) -> str | None:
        now = self._clock()
        session = items.live(self._db.get(items.session_key(session_id)), now)
        self._conversations.seen_meta(session_id, session)
        active = items.string(session, "activeAnswer")  # set from create until finish
        if not active:
            return None  # the usual turn: one GetItem
        if self._is_active(self._db.get(items.answer_key(active)), now):
            return active
        # Its worker died before finish (stale, never claimed, expired): drop the pointer once, so
        # later turns read META alone. A dead answer cannot become active again (claim and append
        # are conditioned on it), so this is safe against its worker.
        self._clear_active(session_id, active)
        return None

    # --- conversations -------------------------------------------------------------------------

    def open_conversation(self, session_id: str, token: str, ttl_seconds: int) -> bool:
        records.check_id("session_id", session_id)
        records.check_id("token", token)
        for _ in range(SESSION_ATTEMPTS):
            now = self._clock()
            expires_at = records.expiry(now, ttl_seconds)
            stored = self._db.get(items.session_key(session_id))
            session = items.live(stored, now)
            if items.string(session, "tokenHash"):
                return False
            item = items.session_meta(
                session_id,
                stored,
                session,
                expires_at,
                active_answer=items.string(session, "activeAnswer"),
                token_hash=records.hash_token(token),
            )
            put = self._db.versioned_put(item, stored)
            if self._db.call("PutItem", **put, tolerate=CONDITION_FAILED) is not None:
                self._conversations.wrote_meta(session_id, int(items.num(item, items.TTL_ATTRIBUTE)))
                return True
        raise AnswerStoreError(f"PutItem on {self._db.name}: the session kept changing")

    def check_conversation_token(self, session_id: str, token: str) -> bool:
        if not token or not session_id:
            return False
        session = items.live(self._db.get(items.session_key(session_id), "#tokenHash, #exp"), self._clock())
        self._conversations.seen_meta(session_id, session)
        return records.token_matches(token, items.string(session, "tokenHash"))

    def append_turns(self, session_id: str, turns: Sequence[Mapping[str, Any]], ttl_seconds: int) -> None:
        records.check_id("session_id", session_id)
        encoded = records.bound_turns(records.turns_json(turns))
        now = self._clock()
        expires_at = records.expiry(now, ttl_seconds)
        if encoded:  # one PutItem (and, once every half TTL, META's expiry: dynamodb_conversations)
            self._conversations.append(
                session_id, encoded, expires_at=expires_at, ttl_seconds=ttl_seconds, now=now
            )

    def conversation(self, session_id: str) -> Conversation | None:
        now = self._clock()
        meta, turns, turns_expire_at = self._conversations.read(session_id, now)  # one Query
        if meta is None and not turns:
            return None
        active = items.string(meta, "activeAnswer")
        if active and not self._is_active(self._db.get(items.answer_key(active)), now):
            active = None
        return Conversation(
            session_id=session_id,
            turns=records.decoded_turns(turns),
            active_answer=active,
            expires_at=max(items.num(meta, items.TTL_ATTRIBUTE), float(turns_expire_at)),
        )

    # --- helpers -------------------------------------------------------------------------------

    def _advance(self, answer_id: str, by: int) -> tuple[int, bool]:
        """Count `by` more pieces on a running answer (a heartbeat too): the new count and True, or the
        current count (0 when unknown or expired) and False when the answer is no longer running."""
        now = self._clock()
        reply = self._db.call(
            "UpdateItem",
            Key=items.answer_key(answer_id),
            UpdateExpression="SET #updated = :now ADD #pieces :by",
            ConditionExpression="#status = :running AND #updated >= :staleCut AND #exp > :now",
            ExpressionAttributeNames=names("#status", "#updated", "#exp", "#pieces"),
            ExpressionAttributeValues={
                ":running": {"S": "running"},
                ":now": items.number(now),
                ":staleCut": items.number(now - STALE_AFTER_SECONDS),
                ":by": {"N": str(by)},
            },
            ReturnValues="ALL_NEW",  # META is small (the job has its own item); UPDATED_NEW may omit ADD 0
            tolerate=CONDITION_FAILED,
        )
        if reply is not None:
            return int(items.num(reply["Attributes"], "pieces")), True
        item = items.live(self._db.get(items.answer_key(answer_id), "#pieces, #exp"), now)
        return int(items.num(item, "pieces")), reply is not None

    def _expiry(self, answer_id: str) -> int:
        if answer_id not in self._expiry_of:
            item = self._db.get(items.answer_key(answer_id), "#exp")
            if len(self._expiry_of) > 1_000:
                self._expiry_of.clear()
            self._expiry_of[answer_id] = int(items.num(item, items.TTL_ATTRIBUTE))
        return self._expiry_of[answer_id]

    def _pieces_after(self, answer_id: str, after: int) -> tuple[str, int]:
        """The text of the pieces numbered above `after`, and the last number found (`after` if none)."""
        parts, last = [], after
        for item in self._db.query(
            KeyConditionExpression="#pk = :pk AND #sk BETWEEN :first AND :last",
            ProjectionExpression="#sk, #text",
            ExpressionAttributeNames=names("#pk", "#sk", "#text"),
            ExpressionAttributeValues={
                ":pk": items.answer_key(answer_id)[items.PK],
                ":first": {"S": items.piece_sk(after + 1)},
                ":last": {"S": items.LAST_PIECE},
            },
        ):
            parts.append(items.string(item, "text") or "")
            last = items.piece_number(items.string(item, items.SK) or "")
        return "".join(parts), last

    def _clear_active(self, session_id: str, answer_id: str) -> None:
        """Remove the session's active answer pointer if it is still `answer_id`."""
        self._db.call(
            "UpdateItem",
            Key=items.session_key(session_id),
            UpdateExpression="REMOVE #active ADD #version :one",
            ConditionExpression="#active = :id",
            ExpressionAttributeNames=names("#active", "#version"),
            ExpressionAttributeValues={":id": {"S": answer_id}, ":one": {"N": "1"}},
            tolerate=CONDITION_FAILED,
        )

    def _is_active(self, item: Item | None, now: float) -> bool:
        live = items.live(item, now)
        return live is not None and items.effective(live, now)[0] in ACTIVE_STATUSES
