"""The DynamoDB table streamed answers and kept conversations live in (`answer_store.dynamodb`).

One table, keys `pk`/`sk` (strings): an answer's record and its pieces under `ANSWER#<id>`, a
session's record and kept turns under `SESSION#<id>` (answer_store/dynamodb_items.py). Every item
carries `expiresAt` (epoch seconds), DynamoDB's TTL deletes it some time after (reads check the
time themselves). On demand, encrypted with the AWS-managed key, point-in-time recovery on
(conversations are what users read back), and, like the token budgets' table, deleted with the
stack: what it holds expires within `conversationTtlSeconds` anyway.

Each Lambda gets only item actions, on this table's ARN alone (no index, no stream): the store
(answer_store/dynamodb.py) reads with GetItem and Query (an answer's pieces, a conversation) and
writes with PutItem and UpdateItem, `create` as one TransactWriteItems of Puts and an Update
(governed by PutItem and UpdateItem: DynamoDB Developer Guide, "Using IAM with DynamoDB
transactions"). Every Lambda both reads and writes (see ACTIONS), so each gets those four;
tests/infra/test_infra_streaming.py reads the store's calls from its source and fails on a new one.
"""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

# As answer_store.from_env and the Lambdas read them.
TABLE_VARIABLE = "ANSWER_TABLE_NAME"
TTL_VARIABLE = "CONVERSATION_TTL_SECONDS"
PARTITION_KEY = "pk"
SORT_KEY = "sk"
TTL_ATTRIBUTE = "expiresAt"

_READ = ("dynamodb:GetItem", "dynamodb:Query")
_WRITE = ("dynamodb:PutItem", "dynamodb:UpdateItem")
# What each Lambda does with the store, and so the actions it may call (all on the table only).
ACTIONS: Mapping[str, tuple[str, ...]] = {
    # create (a conditional transaction), get (the memory fold of a finished answer, its pieces).
    "code-hook": (*_READ, *_WRITE),
    # claim, append (a piece item and the record), finish, get (the stop flag, the memory fold).
    "worker": (*_READ, *_WRITE),
    # read (the pieces), get, check_token, request_stop, finish, create (regenerate), conversation.
    "answers": (*_READ, *_WRITE),
    # active_answer (409), append_turns and open_conversation (versioned puts), the memory fold.
    "chat": (*_READ, *_WRITE),
}


class AnswerTable(Construct):
    """The table; `grant(function, role)` gives a Lambda its actions and the table's name."""

    def __init__(self, scope: Construct, id: str, *, ttl_seconds: int) -> None:
        super().__init__(scope, id)
        self.ttl_seconds = ttl_seconds
        self.table = dynamodb.Table(
            self,
            "Table",
            partition_key=dynamodb.Attribute(name=PARTITION_KEY, type=dynamodb.AttributeType.STRING),
            sort_key=dynamodb.Attribute(name=SORT_KEY, type=dynamodb.AttributeType.STRING),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            time_to_live_attribute=TTL_ATTRIBUTE,
            encryption=dynamodb.TableEncryption.AWS_MANAGED,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            removal_policy=RemovalPolicy.DESTROY,
        )

    def grant(self, function: lambda_.Function, role: str) -> None:
        """`ACTIONS[role]` on the table for `function`, plus ANSWER_TABLE_NAME and
        CONVERSATION_TTL_SECONDS in its environment."""
        function.add_to_role_policy(
            iam.PolicyStatement(actions=list(ACTIONS[role]), resources=[self.table.table_arn])
        )
        function.add_environment(TABLE_VARIABLE, self.table.table_name)
        function.add_environment(TTL_VARIABLE, str(self.ttl_seconds))
