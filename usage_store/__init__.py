"""Token counters that outlive one Lambda call: the LLM budgets' state.

A counter is a key (e.g. one conversation, or one client on one day) holding a number of tokens
and an expiry. `UsageStore` is the port; `DynamoDbUsageStore` keeps the counters in a DynamoDB
table (atomic ADD, a TTL attribute), `InMemoryUsageStore` in the process (local mode and tests).
`store_from_env` picks one: `USAGE_TABLE_NAME` set means DynamoDB. Bundled into the code-hook
Lambda; depends on nothing but the standard library and botocore (in the Lambda runtime).
"""

from .memory import InMemoryUsageStore
from .port import TABLE_VARIABLE, UsageStore, UsageStoreError, store_from_env

__all__ = ["TABLE_VARIABLE", "InMemoryUsageStore", "UsageStore", "UsageStoreError", "store_from_env"]
