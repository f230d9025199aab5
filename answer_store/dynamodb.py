"""The answer store in a DynamoDB table (AWS): being written; `from_env` refuses it until then."""

from __future__ import annotations

from typing import Any


class DynamoDbAnswerStore:
    """Placeholder until the DynamoDB implementation lands on this branch."""

    def __init__(self, table_name: str, **_: Any) -> None:
        raise NotImplementedError(f"the DynamoDB answer store (table {table_name}) is not built yet")
