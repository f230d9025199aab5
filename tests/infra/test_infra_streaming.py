"""Streamed answers in AWS (issue 11, docs/streaming-design.md): the answers' table, the answer worker
and what every Lambda may do with them; the cdk context that shapes them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cdk_chatbot.answer_table import ACTIONS
from cdk_chatbot.app_factory import PROJECT_ROOT
from cdk_chatbot.budgets import (
    LAMBDA_MAX_TIMEOUT_SECONDS,
    MAX_ANSWER_DEADLINE_SECONDS,
    BudgetError,
    answer_worker_timeout,
)
from cdk_chatbot.config import ChatbotConfig, ConfigError
from tests.infra.cfn import (
    as_list,
    function_by_handler,
    llm_key_secret,
    only,
    props,
    render,
    resources,
    role_of,
    role_statements,
    table_with_keys,
)
from tests.infra.conftest import VARIANT_MODEL, Synth

CHAT_HANDLER = "lambda_lex.handler.handler"
CODE_HOOK_HANDLER = "lambda_codehook.handler.handler"
WORKER_HANDLER = "lambda_chatgpt.worker.handler"
CDK_CONTEXT: dict[str, Any] = json.loads((PROJECT_ROOT / "cdk.json").read_text())["context"]
LOG_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents"]
ITEM_ACTIONS = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"]


def _answers_table(synth: Synth) -> str:
    return table_with_keys(synth.template, "pk", "sk")[0]


def _statements(synth: Synth, handler: str) -> list[dict[str, Any]]:
    """Every statement of the function's role, but the one writing its own log group."""
    _, function = function_by_handler(synth.template, handler)
    return [s for s in role_statements(synth.template, role_of(function)) if s["Action"] != LOG_ACTIONS]


def _env(synth: Synth, handler: str) -> dict[str, Any]:
    variables: dict[str, Any] = props(function_by_handler(synth.template, handler)[1])["Environment"][
        "Variables"
    ]
    return variables


def _arn(logical_id: str) -> dict[str, list[str]]:
    return {"Fn::GetAtt": [logical_id, "Arn"]}


# The table


def test_the_answers_table_is_keyed_pk_sk_on_demand_with_ttl_pitr_and_encryption(synth: Synth) -> None:
    _, table = table_with_keys(synth.template, "pk", "sk")
    p = props(table)
    assert p["KeySchema"] == [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ]
    assert p["AttributeDefinitions"] == [
        {"AttributeName": "pk", "AttributeType": "S"},
        {"AttributeName": "sk", "AttributeType": "S"},
    ]
    assert p["BillingMode"] == "PAY_PER_REQUEST"
    assert p["TimeToLiveSpecification"] == {"AttributeName": "expiresAt", "Enabled": True}
    assert p["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert p["SSESpecification"] == {"SSEEnabled": True}
    assert "TableName" not in p  # two stacks in one account must not collide
    assert not {"GlobalSecondaryIndexes", "LocalSecondaryIndexes", "StreamSpecification"} & set(p)


def test_the_answers_table_goes_with_the_stack_like_the_budgets_table(synth: Synth) -> None:
    _, answers = table_with_keys(synth.template, "pk", "sk")
    _, usage = table_with_keys(synth.template, "pk")
    for table in (answers, usage):
        assert (table["DeletionPolicy"], table["UpdateReplacePolicy"]) == ("Delete", "Delete")


# The worker


def test_the_worker_runs_the_code_hooks_asset_with_its_own_handler(synth: Synth) -> None:
    _, worker = function_by_handler(synth.template, WORKER_HANDLER)
    _, hook = function_by_handler(synth.template, CODE_HOOK_HANDLER)
    assert props(worker)["Code"] == props(hook)["Code"]
    assert props(worker)["Handler"] == "lambda_chatgpt.worker.handler"
    assert (props(worker)["Runtime"], props(worker)["Architectures"]) == (
        props(hook)["Runtime"],
        props(hook)["Architectures"],
    )


def test_the_worker_timeout_is_the_answer_deadline_plus_a_margin_within_lambdas_900_s(synth: Synth) -> None:
    _, worker = function_by_handler(synth.template, WORKER_HANDLER)
    deadline = int(synth.context["answerDeadlineSeconds"])
    timeout = props(worker)["Timeout"]
    assert timeout == answer_worker_timeout(deadline)
    assert deadline + 30 <= timeout <= LAMBDA_MAX_TIMEOUT_SECONDS
    assert _env(synth, WORKER_HANDLER)["ANSWER_DEADLINE_SECONDS"] == str(deadline)
    assert _env(synth, WORKER_HANDLER)["ANSWER_IDLE_SECONDS"] == str(synth.context["answerIdleSeconds"])


def test_async_invocations_of_the_worker_are_never_retried_and_expire_after_a_minute(synth: Synth) -> None:
    worker_id, _ = function_by_handler(synth.template, WORKER_HANDLER)
    _, config = only(synth.template, "AWS::Lambda::EventInvokeConfig")
    assert props(config) == {
        "FunctionName": {"Ref": worker_id},
        "MaximumEventAgeInSeconds": 60,
        "MaximumRetryAttempts": 0,
        "Qualifier": "$LATEST",
    }


def test_the_worker_has_the_reserved_concurrency_from_context(synth: Synth) -> None:
    _, worker = function_by_handler(synth.template, WORKER_HANDLER)
    assert props(worker)["ReservedConcurrentExecutions"] == CDK_CONTEXT["answerWorkerReservedConcurrency"]


def test_the_worker_gets_the_fallbacks_llm_settings_and_the_answer_settings(synth: Synth) -> None:
    worker, hook = _env(synth, WORKER_HANDLER), _env(synth, CODE_HOOK_HANDLER)
    shared = [
        "LLM_PROVIDER",
        "LLM_MODEL",
        "LLM_BASE_URL",
        "LLM_MAX_TOKENS",
        "LLM_HISTORY_MESSAGES",
        "LLM_SECRET_NAME",
        "SECRET_TTL_SECONDS",
        "LOG_LEVEL",
        "METRICS_NAMESPACE",
        "USAGE_TABLE_NAME",
        "LLM_TOKENS_PER_CONVERSATION",
        "LLM_TOKENS_PER_CLIENT_DAY",
        "ANSWER_TABLE_NAME",
        "CONVERSATION_TTL_SECONDS",
    ]
    assert {name: worker[name] for name in shared} == {name: hook[name] for name in shared}
    assert worker["ANSWER_TABLE_NAME"] == {"Ref": _answers_table(synth)}
    assert worker["CONVERSATION_TTL_SECONDS"] == str(synth.context["conversationTtlSeconds"])
    assert worker["POWERTOOLS_SERVICE_NAME"] == "answer-worker"
    assert "ANSWER_WORKER_FUNCTION" not in worker  # it never starts another worker


# What each Lambda may do


def test_the_worker_may_read_its_secret_write_answers_and_charge_budgets_only(synth: Synth) -> None:
    secret_id, _ = llm_key_secret(synth.template)
    usage_id, _ = table_with_keys(synth.template, "pk")
    assert sorted(_statements(synth, WORKER_HANDLER), key=json.dumps) == sorted(
        [
            {"Action": "secretsmanager:GetSecretValue", "Effect": "Allow", "Resource": {"Ref": secret_id}},
            {"Action": ITEM_ACTIONS, "Effect": "Allow", "Resource": _arn(_answers_table(synth))},
            {
                "Action": ["dynamodb:GetItem", "dynamodb:UpdateItem"],
                "Effect": "Allow",
                "Resource": _arn(usage_id),
            },
        ],
        key=json.dumps,
    )


def test_with_bedrock_the_worker_may_only_stream_from_the_configured_model(variant: Synth) -> None:
    bedrock = [s for s in _statements(variant, WORKER_HANDLER) if str(s["Action"]).startswith("bedrock:")]
    assert len(bedrock) == 1
    assert bedrock[0]["Action"] == "bedrock:InvokeModelWithResponseStream"
    assert render(bedrock[0]["Resource"]) == (
        f"arn:${{AWS::Partition}}:bedrock:${{AWS::Region}}::foundation-model/{VARIANT_MODEL}"
    )
    assert not [s for s in _statements(variant, WORKER_HANDLER) if "secretsmanager:" in str(s["Action"])]
    hook = [s for s in _statements(variant, CODE_HOOK_HANDLER) if str(s["Action"]).startswith("bedrock:")]
    assert [s["Action"] for s in hook] == ["bedrock:InvokeModel"]


def test_the_code_hook_may_write_answers_and_invoke_only_the_worker(synth: Synth) -> None:
    worker_id, _ = function_by_handler(synth.template, WORKER_HANDLER)
    statements = _statements(synth, CODE_HOOK_HANDLER)
    assert [s for s in statements if s["Resource"] == _arn(_answers_table(synth))] == [
        {"Action": ITEM_ACTIONS, "Effect": "Allow", "Resource": _arn(_answers_table(synth))}
    ]
    # The unqualified ARN only: no version or alias wildcard (`:*`).
    assert [s for s in statements if "lambda:" in json.dumps(s["Action"])] == [
        {"Action": "lambda:InvokeFunction", "Effect": "Allow", "Resource": _arn(worker_id)}
    ]
    env = _env(synth, CODE_HOOK_HANDLER)
    assert env["ANSWER_WORKER_FUNCTION"] == {"Ref": worker_id}
    assert env["ANSWER_TABLE_NAME"] == {"Ref": _answers_table(synth)}
    assert env["CONVERSATION_TTL_SECONDS"] == str(synth.context["conversationTtlSeconds"])


def test_the_chat_lambda_may_use_the_answers_table_and_nothing_more(synth: Synth) -> None:
    alias_id, _ = only(synth.template, "AWS::Lex::BotAlias")
    assert _statements(synth, CHAT_HANDLER) == [
        {"Action": ["lex:PutSession", "lex:RecognizeText"], "Effect": "Allow", "Resource": _arn(alias_id)},
        {"Action": ITEM_ACTIONS, "Effect": "Allow", "Resource": _arn(_answers_table(synth))},
    ]
    env = _env(synth, CHAT_HANDLER)
    assert env["ANSWER_TABLE_NAME"] == {"Ref": _answers_table(synth)}
    assert env["CONVERSATION_TTL_SECONDS"] == str(synth.context["conversationTtlSeconds"])
    assert "ANSWER_WORKER_FUNCTION" not in env  # /chat never starts a worker itself


def test_each_lambda_gets_the_table_actions_its_store_use_needs() -> None:
    assert {role: sorted(actions) for role, actions in ACTIONS.items()} == {
        "code-hook": ITEM_ACTIONS,
        "worker": ITEM_ACTIONS,
        "answers": ITEM_ACTIONS,
        "chat": ITEM_ACTIONS,
    }


@pytest.mark.parametrize("fixture", ["synth", "variant"])
def test_no_dynamodb_or_lambda_statement_has_a_wildcard(fixture: str, request: pytest.FixtureRequest) -> None:
    synthesized: Synth = request.getfixturevalue(fixture)
    checked = 0
    for policy in resources(synthesized.template, "AWS::IAM::Policy").values():
        for statement in props(policy)["PolicyDocument"]["Statement"]:
            actions = as_list(statement["Action"])
            if any(a.split(":")[0] in ("dynamodb", "lambda") for a in actions):
                checked += 1
                assert all("*" not in a for a in actions), statement
                for resource in as_list(statement["Resource"]):
                    assert "*" not in render(resource), statement
    assert checked >= 6


# The cdk context


def _config(**overrides: Any) -> ChatbotConfig:
    return ChatbotConfig.from_mapping({**CDK_CONTEXT, **overrides})


def test_cdk_json_defaults_follow_the_design() -> None:
    streaming = _config().streaming
    assert streaming.answer_deadline_seconds == 300
    assert streaming.answer_idle_seconds == 60
    assert streaming.conversation_ttl_seconds == 86_400
    assert streaming.worker_timeout_seconds == answer_worker_timeout(300) <= LAMBDA_MAX_TIMEOUT_SECONDS


def test_the_largest_answer_deadline_fills_lambdas_900_s_exactly() -> None:
    assert MAX_ANSWER_DEADLINE_SECONDS == 840
    assert answer_worker_timeout(MAX_ANSWER_DEADLINE_SECONDS) == LAMBDA_MAX_TIMEOUT_SECONDS
    with pytest.raises(BudgetError, match="within Lambda's 900 s timeout"):
        answer_worker_timeout(MAX_ANSWER_DEADLINE_SECONDS + 1)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("answerDeadlineSeconds", 841, r"'answerDeadlineSeconds'.*between 10 and 840 s.*900 s"),
        ("answerDeadlineSeconds", "901", r"'answerDeadlineSeconds' must be between 1 and 900"),
        ("answerDeadlineSeconds", "soon", r"'answerDeadlineSeconds' must be an integer"),
        ("answerIdleSeconds", 301, r"'answerIdleSeconds' must be between 1 and 300"),
        ("conversationTtlSeconds", 10, r"'conversationTtlSeconds' must be between 60 and"),
        ("answerWorkerReservedConcurrency", 0, r"'answerWorkerReservedConcurrency' is 0.*answer worker"),
        ("answersThrottleRateLimit", 0, r"'answersThrottleRateLimit' must be greater than 0"),
        ("answersThrottleBurstLimit", "lots", r"'answersThrottleBurstLimit' must be an integer"),
    ],
)
def test_bad_streaming_values_name_their_key(key: str, value: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        _config(**{key: value})


def test_command_line_strings_and_none_are_accepted() -> None:
    streaming = _config(
        answerDeadlineSeconds="840", answerIdleSeconds="30", answerWorkerReservedConcurrency="none"
    ).streaming
    assert (streaming.answer_deadline_seconds, streaming.answer_idle_seconds) == (840, 30)
    assert streaming.worker_timeout_seconds == 900
    assert streaming.worker_reserved_concurrency is None


# The names the stack writes are the ones the Lambdas read


def test_the_stack_sets_the_variables_the_store_and_the_worker_read() -> None:
    from answer_store import factory
    from cdk_chatbot import answer_table, answer_worker
    from lambda_chatgpt import worker, worker_invoke

    assert (answer_table.TABLE_VARIABLE, answer_table.TTL_VARIABLE) == (
        factory.TABLE_VARIABLE,
        factory.TTL_VARIABLE,
    )
    assert answer_worker.WORKER_VARIABLE == worker_invoke.FUNCTION_VARIABLE
    assert (answer_worker.DEADLINE_VARIABLE, answer_worker.IDLE_VARIABLE) == (
        worker.DEADLINE_VARIABLE,
        worker.IDLE_VARIABLE,
    )
    # The largest deadline the stack allows is the largest the worker accepts.
    assert MAX_ANSWER_DEADLINE_SECONDS == worker.MAX_DEADLINE_SECONDS
    assert CDK_CONTEXT["conversationTtlSeconds"] == factory.DEFAULT_TTL_SECONDS


def test_the_table_has_the_keys_and_ttl_attribute_the_store_writes(synth: Synth) -> None:
    from answer_store import dynamodb_items
    from cdk_chatbot import answer_table

    assert (answer_table.PARTITION_KEY, answer_table.SORT_KEY, answer_table.TTL_ATTRIBUTE) == (
        dynamodb_items.PK,
        dynamodb_items.SK,
        dynamodb_items.TTL_ATTRIBUTE,
    )
    _, table = table_with_keys(synth.template, dynamodb_items.PK, dynamodb_items.SK)
    assert props(table)["TimeToLiveSpecification"]["AttributeName"] == dynamodb_items.TTL_ATTRIBUTE


def test_the_worker_handler_is_a_function_of_the_shipped_asset(synth: Synth) -> None:
    from lambda_chatgpt import worker

    module, _, name = WORKER_HANDLER.rpartition(".")
    assert module == worker.__name__
    assert callable(getattr(worker, name))
    _, function = function_by_handler(synth.template, WORKER_HANDLER)
    asset = synth.outdir / f"asset.{props(function)['Code']['S3Key'].removesuffix('.zip')}"
    assert (asset / "lambda_chatgpt" / "worker.py").read_bytes() == (
        PROJECT_ROOT / "lambda_chatgpt" / "worker.py"
    ).read_bytes()
    assert (asset / "answer_store" / "dynamodb.py").is_file()


# DynamoDB operations -> the IAM action each needs. Inside TransactWriteItems, Put/Update/Delete are
# governed by PutItem/UpdateItem/DeleteItem and ConditionCheck by ConditionCheckItem (DynamoDB
# Developer Guide, "Using IAM with DynamoDB transactions"); TransactWriteItems has no action of its own.
OPERATION_ACTIONS = {
    "GetItem": "dynamodb:GetItem",
    "Query": "dynamodb:Query",
    "PutItem": "dynamodb:PutItem",
    "UpdateItem": "dynamodb:UpdateItem",
    "DeleteItem": "dynamodb:DeleteItem",
    "Scan": "dynamodb:Scan",
    "BatchGetItem": "dynamodb:BatchGetItem",
    "BatchWriteItem": "dynamodb:BatchWriteItem",
    "TransactGetItems": "dynamodb:GetItem",
}
TRANSACTION_ITEM_ACTIONS = {
    "Put": "dynamodb:PutItem",
    "Update": "dynamodb:UpdateItem",
    "Delete": "dynamodb:DeleteItem",
    "ConditionCheck": "dynamodb:ConditionCheckItem",
}


def _store_actions() -> set[str]:
    """The IAM actions the DynamoDB store's calls need, read from its source: operation names passed
    to a call helper (`_call("PutItem", ...)`), boto3 client methods (`.put_item(...)`), and the
    kinds of TransactWriteItems entries (`{"Put": ...}`)."""
    import ast
    import re

    snake = {re.sub(r"(?<!^)(?=[A-Z])", "_", op).lower(): op for op in OPERATION_ACTIONS}
    found: set[str] = set()
    for path in sorted((PROJECT_ROOT / "answer_store").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and first.value in OPERATION_ACTIONS:
                    found.add(OPERATION_ACTIONS[first.value])
                if name in snake:
                    found.add(OPERATION_ACTIONS[snake[name]])
            if isinstance(node, ast.Dict):
                for key in node.keys:
                    if isinstance(key, ast.Constant) and key.value in TRANSACTION_ITEM_ACTIONS:
                        found.add(TRANSACTION_ITEM_ACTIONS[key.value])
    return found


def test_the_granted_table_actions_are_the_ones_the_dynamodb_store_calls() -> None:
    """Every Lambda uses reads and writes of the store (ACTIONS' comments), so each gets what the
    store calls: a new kind of call (a DeleteItem, a ConditionCheck) fails here until it is granted."""
    needed = _store_actions()
    assert needed == set(ITEM_ACTIONS)
    for role, actions in ACTIONS.items():
        assert set(actions) == needed, role


def test_the_shared_asset_holds_every_project_package_the_worker_reaches(synth: Synth) -> None:
    from cdk_chatbot.imports import import_closure

    _, function = function_by_handler(synth.template, WORKER_HANDLER)
    asset = synth.outdir / f"asset.{props(function)['Code']['S3Key'].removesuffix('.zip')}"
    shipped = {p.name for p in asset.iterdir() if p.is_dir()}
    reached = import_closure(PROJECT_ROOT, "lambda_chatgpt").packages
    assert {"answer_store", "conversation_memory", "usage_store", "chat_metrics"} <= reached
    assert reached <= shipped
