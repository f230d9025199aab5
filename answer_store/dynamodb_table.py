"""The DynamoDB answer store's calls: one table, the low-level client built on first use, every
failure turned into an AnswerStoreError naming the operation and the table (never the data).

Only botocore is imported (it is in the Lambda runtime), and only when a call is made.
"""

from __future__ import annotations

from typing import Any

from .dynamodb_items import NAMES, Item, names
from .errors import AnswerStoreError

CONDITION_FAILED = "ConditionalCheckFailedException"
TRANSACTION_CANCELED = "TransactionCanceledException"


def dynamodb_client() -> Any:
    """A DynamoDB client (region and credentials from the standard environment)."""
    import botocore.session
    from botocore.config import Config

    config = Config(
        connect_timeout=2.0, read_timeout=5.0, retries={"total_max_attempts": 3, "mode": "standard"}
    )
    return botocore.session.get_session().create_client("dynamodb", config=config)


class Table:
    """Calls on `name`; strongly consistent reads (a reader must see what the worker just wrote)."""

    def __init__(self, name: str, client: Any = None) -> None:
        self.name = name
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = dynamodb_client()
        return self._client

    def call(self, operation: str, *, tolerate: str = "", **params: Any) -> dict[str, Any] | None:
        """One call (`operation` as DynamoDB names it); None when it failed with the `tolerate` code."""
        from botocore.exceptions import BotoCoreError, ClientError

        if operation != "TransactWriteItems":
            params["TableName"] = self.name
        method = getattr(self.client, _snake_case(operation))
        try:
            reply: dict[str, Any] = method(**params)
        except ClientError as error:
            code = str(error.response.get("Error", {}).get("Code") or "")
            if tolerate and code == tolerate:
                return None
            raise AnswerStoreError(f"{operation} on {self.name} failed: {code}") from None
        except BotoCoreError as error:
            raise AnswerStoreError(f"{operation} on {self.name} failed: {type(error).__name__}") from None
        return reply

    def get(self, key: Item, projection: str | None = None) -> Item | None:
        """The item at `key` (only the `projection` placeholders' attributes when given), or None."""
        params: dict[str, Any] = {"Key": key, "ConsistentRead": True}
        if projection:
            params["ProjectionExpression"] = projection
            params["ExpressionAttributeNames"] = {
                placeholder: NAMES[placeholder] for placeholder in projection.replace(",", " ").split()
            }
        item = (self.call("GetItem", **params) or {}).get("Item")
        return dict(item) if item else None

    def query(self, **params: Any) -> list[Item]:
        """Every item the Query matches, page after page."""
        found: list[Item] = []
        while True:
            page = self.call("Query", ConsistentRead=True, **params) or {}
            found.extend(page.get("Items", []))
            if not page.get("LastEvaluatedKey"):
                return found
            params["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def versioned_put(self, item: Item, stored: Item | None) -> Item:
        """A Put of `item` that succeeds only if the item is still as read: `stored`'s version, or
        still absent when `stored` is None (optimistic concurrency for the session items)."""
        put: Item = {"TableName": self.name, "Item": item}
        if stored is None:
            put["ConditionExpression"] = "attribute_not_exists(#pk)"
            put["ExpressionAttributeNames"] = names("#pk")
        elif "version" not in stored:
            put["ConditionExpression"] = "attribute_not_exists(#version)"
            put["ExpressionAttributeNames"] = names("#version")
        else:
            put["ConditionExpression"] = "#version = :version"
            put["ExpressionAttributeNames"] = names("#version")
            put["ExpressionAttributeValues"] = {":version": stored["version"]}
        return put


def _snake_case(operation: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in operation).lstrip("_")
