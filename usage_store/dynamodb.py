"""The usage store in a DynamoDB table: partition key `pk` (string), `tokens` (number), and
`expiresAt` (epoch seconds, the table's TTL attribute).

Additions are one atomic `UpdateItem` with `ADD`, so concurrent Lambdas never lose a count. DynamoDB
deletes expired items only eventually (typically within a few days), so an expired item still
present counts as 0 when read, and the first addition after expiry starts it again from `n`
(a conditional update; the rare lost race just retries once).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import botocore.session
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from .port import UsageStoreError

KEY_ATTRIBUTE = "pk"
TOKENS_ATTRIBUTE = "tokens"
TTL_ATTRIBUTE = "expiresAt"
# The budget check sits before an LLM call the user waits for: fail fast rather than retry long.
CLIENT_CONFIG = Config(
    connect_timeout=1.0, read_timeout=2.0, retries={"total_max_attempts": 2, "mode": "standard"}
)


def dynamodb_client() -> Any:
    """A DynamoDB client (region and credentials from the standard environment)."""
    return botocore.session.get_session().create_client("dynamodb", config=CLIENT_CONFIG)


class DynamoDbUsageStore:
    """Counters in `table_name`; the client is built on first use unless one is given."""

    def __init__(
        self, table_name: str, *, client: Any = None, clock: Callable[[], float] = time.time
    ) -> None:
        self._table = table_name
        self._client = client
        self._clock = clock

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = dynamodb_client()
        return self._client

    def add_tokens(self, key: str, n: int, ttl_seconds: int) -> int:
        if n < 0:
            raise ValueError(f"tokens to add must be >= 0, got {n}")
        now = int(self._clock())
        values = {":n": {"N": str(n)}, ":now": {"N": str(now)}, ":exp": {"N": str(now + ttl_seconds)}}
        try:
            try:
                answer = self.client.update_item(
                    TableName=self._table,
                    Key={KEY_ATTRIBUTE: {"S": key}},
                    UpdateExpression=f"ADD {TOKENS_ATTRIBUTE} :n SET {TTL_ATTRIBUTE} = :exp",
                    ConditionExpression=f"attribute_not_exists({TTL_ATTRIBUTE}) OR {TTL_ATTRIBUTE} > :now",
                    ExpressionAttributeValues=values,
                    ReturnValues="UPDATED_NEW",
                )
            except ClientError as error:
                if _code(error) != "ConditionalCheckFailedException":
                    raise
                # Expired but not yet deleted by DynamoDB: start the counter again.
                answer = self.client.update_item(
                    TableName=self._table,
                    Key={KEY_ATTRIBUTE: {"S": key}},
                    UpdateExpression=f"SET {TOKENS_ATTRIBUTE} = :n, {TTL_ATTRIBUTE} = :exp",
                    ExpressionAttributeValues={":n": values[":n"], ":exp": values[":exp"]},
                    ReturnValues="UPDATED_NEW",
                )
        except (ClientError, BotoCoreError) as error:
            raise UsageStoreError(f"UpdateItem on {self._table} failed: {_described(error)}") from None
        return int(answer["Attributes"][TOKENS_ATTRIBUTE]["N"])

    def get(self, key: str) -> int:
        try:
            answer = self.client.get_item(
                TableName=self._table,
                Key={KEY_ATTRIBUTE: {"S": key}},
                ProjectionExpression=f"{TOKENS_ATTRIBUTE}, {TTL_ATTRIBUTE}",
                ConsistentRead=True,
            )
        except (ClientError, BotoCoreError) as error:
            raise UsageStoreError(f"GetItem on {self._table} failed: {_described(error)}") from None
        item = answer.get("Item")
        if not item:
            return 0
        expires = int(item.get(TTL_ATTRIBUTE, {}).get("N", "0"))
        if expires <= int(self._clock()):
            return 0
        return int(item.get(TOKENS_ATTRIBUTE, {}).get("N", "0"))


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code") or "")


def _described(error: Exception) -> str:
    return _code(error) if isinstance(error, ClientError) else type(error).__name__
