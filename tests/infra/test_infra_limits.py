"""Fairness and cost limits in the template: the API answers only CloudFront (a secret origin header
a regional web ACL requires), a per-client rate rule on the viewer address CloudFront writes, the
budgets' table and its least-privilege grant, reserved concurrency, the optional cost budget; and
the cdk context rules that guard them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cfnlint.api import ManualArgs, lint

from cdk_chatbot.app_factory import PROJECT_ROOT
from cdk_chatbot.config import ChatbotConfig, ConfigError
from cdk_chatbot.limits import ORIGIN_VERIFY_HEADER, VIEWER_IP_HEADER
from tests.infra.cfn import (
    dynamically_referenced_secrets,
    function_by_handler,
    only,
    props,
    resources,
    role_of,
    role_statements,
    table_with_keys,
)
from tests.infra.conftest import Synth, _synth, cdk_context

CODE_HOOK_HANDLER = "lambda_codehook.handler.handler"
CHAT_HANDLER = "lambda_lex.handler.handler"
WORKER_HANDLER = "lambda_chatgpt.worker.handler"
CDK_JSON = json.loads((PROJECT_ROOT / "cdk.json").read_text())


@pytest.fixture(scope="session")
def options(tmp_path_factory: pytest.TempPathFactory) -> Synth:
    """A stack with a cost budget, no reserved concurrency and no token budgets."""
    context = {
        **cdk_context(),
        "stackName": "ChatbotLimitOptions",
        "budgetMonthlyUsd": "25",
        "budgetEmail": "ops@example.com",
        "codeHookReservedConcurrency": "none",
        "llmTokensPerConversation": 0,
        "llmTokensPerClientDay": "0",
        "clientRateLimit": "200",
        "clientRateWindowSeconds": "300",
    }
    return _synth(tmp_path_factory.mktemp("cdk-out-limits"), context)


def web_acl(synth: Synth) -> dict[str, Any]:
    return props(only(synth.template, "AWS::WAFv2::WebACL")[1])


def rule(synth: Synth, name: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [r for r in web_acl(synth)["Rules"] if r["Name"] == name]
    assert len(found) == 1, name
    return found[0]


def chat_behaviour(synth: Synth) -> tuple[dict[str, Any], dict[str, Any]]:
    """The distribution's /chat behaviour and its origin (read only: the template is shared)."""
    config = props(only(synth.template, "AWS::CloudFront::Distribution")[1])["DistributionConfig"]
    behaviours: list[dict[str, Any]] = [b for b in config["CacheBehaviors"] if b["PathPattern"] == "/chat"]
    assert len(behaviours) == 1
    origin = next(o for o in config["Origins"] if o["Id"] == behaviours[0]["TargetOriginId"])
    return behaviours[0], origin


def origin_secret_reference(synth: Synth) -> dict[str, Any]:
    [secret_id] = dynamically_referenced_secrets(synth.template)
    return {"Fn::Join": ["", ["{{resolve:secretsmanager:", {"Ref": secret_id}, ":SecretString:::}}"]]}


def test_the_web_acl_is_regional_and_guards_the_api_stage(synth: Synth) -> None:
    assert web_acl(synth)["Scope"] == "REGIONAL"
    assert web_acl(synth)["DefaultAction"] == {"Allow": {}}
    _, association = only(synth.template, "AWS::WAFv2::WebACLAssociation")
    acl_id, _ = only(synth.template, "AWS::WAFv2::WebACL")
    stage_id, _ = only(synth.template, "AWS::ApiGateway::Stage")
    assert props(association)["WebACLArn"] == {"Fn::GetAtt": [acl_id, "Arn"]}
    assert json.dumps({"Ref": stage_id}) in json.dumps(props(association)["ResourceArn"])


def test_the_origin_secret_is_generated_at_deploy_time_not_written_in_the_template(synth: Synth) -> None:
    [secret_id] = dynamically_referenced_secrets(synth.template)
    secret = props(synth.template["Resources"][secret_id])
    assert "SecretString" not in secret
    assert secret["GenerateSecretString"]["PasswordLength"] >= 32


def test_cloudfront_sends_the_secret_header_the_web_acl_requires(synth: Synth) -> None:
    headers = chat_behaviour(synth)[1]["OriginCustomHeaders"]
    assert headers == [{"HeaderName": ORIGIN_VERIFY_HEADER, "HeaderValue": origin_secret_reference(synth)}]
    only_cloudfront = rule(synth, "OnlyThroughCloudFront")
    match = only_cloudfront["Statement"]["NotStatement"]["Statement"]["ByteMatchStatement"]
    assert match["FieldToMatch"] == {"SingleHeader": {"Name": ORIGIN_VERIFY_HEADER}}
    assert (match["PositionalConstraint"], match["SearchString"]) == (
        "EXACTLY",
        origin_secret_reference(synth),
    )
    assert only_cloudfront["Action"]["Block"]["CustomResponse"]["ResponseCode"] == 403


def test_the_origin_check_runs_before_the_rate_rules(synth: Synth) -> None:
    priorities = {r["Name"]: r["Priority"] for r in web_acl(synth)["Rules"]}
    assert priorities["OnlyThroughCloudFront"] < priorities["PerClientRate"]
    assert priorities["OnlyThroughCloudFront"] < priorities["PerClientReadRate"]
    assert len(set(priorities.values())) == len(priorities) == 3


GET_MATCH = {
    "ByteMatchStatement": {
        "FieldToMatch": {"Method": {}},
        "PositionalConstraint": "EXACTLY",
        "SearchString": "GET",
        "TextTransformations": [{"Priority": 0, "Type": "NONE"}],
    }
}


def test_reads_and_the_rest_are_counted_apart(synth: Synth) -> None:
    """A page long-polls a streaming answer a few times a second (GET /chat/answers/...): those
    reads have their own, higher limit, so the turns' limit does not cut an answer off; turns, Stop
    and Regenerate (POSTs) count against the turns' limit, and no request escapes both."""
    turns = rule(synth, "PerClientRate")["Statement"]["RateBasedStatement"]
    reads = rule(synth, "PerClientReadRate")["Statement"]["RateBasedStatement"]
    assert turns["ScopeDownStatement"] == {"NotStatement": {"Statement": GET_MATCH}}
    assert reads["ScopeDownStatement"] == GET_MATCH
    assert reads["Limit"] == CDK_JSON["context"]["clientReadRateLimit"] > turns["Limit"]
    assert reads["EvaluationWindowSec"] == turns["EvaluationWindowSec"]
    assert reads["AggregateKeyType"] == "FORWARDED_IP"
    assert reads["ForwardedIPConfig"]["HeaderName"] == VIEWER_IP_HEADER


def test_the_rate_rule_counts_per_viewer_address_with_the_context_limits(synth: Synth) -> None:
    statement = rule(synth, "PerClientRate")["Statement"]["RateBasedStatement"]
    assert statement["Limit"] == CDK_JSON["context"]["clientRateLimit"]
    assert statement["EvaluationWindowSec"] == CDK_JSON["context"]["clientRateWindowSeconds"]
    assert statement["AggregateKeyType"] == "FORWARDED_IP"
    # Not X-Forwarded-For: WAF reads its first address, which the client writes.
    assert statement["ForwardedIPConfig"]["HeaderName"] == VIEWER_IP_HEADER


@pytest.mark.parametrize("name", ["PerClientRate", "PerClientReadRate"])
def test_a_limited_client_gets_429_with_retry_after_in_the_chat_error_shape(synth: Synth, name: str) -> None:
    response = rule(synth, name)["Action"]["Block"]["CustomResponse"]
    assert response["ResponseCode"] == 429
    assert response["ResponseHeaders"] == [
        {"Name": "Retry-After", "Value": str(CDK_JSON["context"]["clientRateWindowSeconds"])}
    ]
    body = web_acl(synth)["CustomResponseBodies"][response["CustomResponseBodyKey"]]
    assert body["ContentType"] == "APPLICATION_JSON"
    assert json.loads(body["Content"])["error"]["code"] == "throttled"


def test_cloudfront_writes_the_viewer_address_into_the_header_on_chat(synth: Synth) -> None:
    [association] = chat_behaviour(synth)[0]["FunctionAssociations"]
    assert association["EventType"] == "viewer-request"
    function_id, function = only(synth.template, "AWS::CloudFront::Function")
    assert association["FunctionARN"] == {"Fn::GetAtt": [function_id, "FunctionARN"]}
    code = props(function)["FunctionCode"]
    assert f"request.headers['{VIEWER_IP_HEADER}'] = {{ value: event.viewer.ip }}" in code
    assert props(function)["FunctionConfig"]["Runtime"] == "cloudfront-js-2.0"


def test_the_budgets_table_is_on_demand_with_a_ttl(synth: Synth) -> None:
    _, table = table_with_keys(synth.template, "pk")
    assert props(table)["BillingMode"] == "PAY_PER_REQUEST"
    assert props(table)["TimeToLiveSpecification"] == {"AttributeName": "expiresAt", "Enabled": True}
    assert props(table)["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]


@pytest.mark.parametrize("handler", [CODE_HOOK_HANDLER, WORKER_HANDLER])
def test_the_llm_callers_may_only_get_and_update_items_of_that_table(synth: Synth, handler: str) -> None:
    """The code hook and the answer worker both call the LLM, so both charge the budgets."""
    table_id, _ = table_with_keys(synth.template, "pk")
    _, function = function_by_handler(synth.template, handler)
    on_table = [
        s
        for s in role_statements(synth.template, role_of(function))
        if json.dumps({"Fn::GetAtt": [table_id, "Arn"]}) in json.dumps(s["Resource"])
    ]
    assert on_table == [
        {
            "Action": ["dynamodb:GetItem", "dynamodb:UpdateItem"],
            "Effect": "Allow",
            "Resource": {"Fn::GetAtt": [table_id, "Arn"]},
        }
    ]


@pytest.mark.parametrize("handler", [CODE_HOOK_HANDLER, WORKER_HANDLER])
def test_the_llm_callers_get_the_table_and_the_limits_from_context(synth: Synth, handler: str) -> None:
    table_id, _ = table_with_keys(synth.template, "pk")
    env = props(function_by_handler(synth.template, handler)[1])["Environment"]["Variables"]
    assert env["USAGE_TABLE_NAME"] == {"Ref": table_id}
    assert env["LLM_TOKENS_PER_CONVERSATION"] == str(CDK_JSON["context"]["llmTokensPerConversation"])
    assert env["LLM_TOKENS_PER_CLIENT_DAY"] == str(CDK_JSON["context"]["llmTokensPerClientDay"])


def test_the_chat_lambda_hashes_addresses_with_a_per_stack_salt(synth: Synth) -> None:
    env = props(function_by_handler(synth.template, CHAT_HANDLER)[1])["Environment"]["Variables"]
    assert env["CLIENT_KEY_SALT"] == {"Ref": "AWS::StackId"}


def test_the_code_hook_has_the_reserved_concurrency_from_context(synth: Synth) -> None:
    _, function = function_by_handler(synth.template, CODE_HOOK_HANDLER)
    assert (
        props(function)["ReservedConcurrentExecutions"] == CDK_JSON["context"]["codeHookReservedConcurrency"]
    )


def test_no_cost_budget_unless_asked_for(synth: Synth) -> None:
    assert not resources(synth.template, "AWS::Budgets::Budget")


def test_a_cost_budget_from_context_alerts_by_email(options: Synth) -> None:
    _, budget = only(options.template, "AWS::Budgets::Budget")
    data = props(budget)["Budget"]
    assert (data["BudgetType"], data["TimeUnit"]) == ("COST", "MONTHLY")
    assert data["BudgetLimit"] == {"Amount": 25, "Unit": "USD"}
    notifications = props(budget)["NotificationsWithSubscribers"]
    assert {n["Notification"]["NotificationType"] for n in notifications} == {"ACTUAL", "FORECASTED"}
    assert all(
        n["Subscribers"] == [{"Address": "ops@example.com", "SubscriptionType": "EMAIL"}]
        for n in notifications
    )
    assert "BudgetName" not in data  # account-wide names: let CloudFormation generate one


def test_none_means_no_reserved_concurrency(options: Synth) -> None:
    _, function = function_by_handler(options.template, CODE_HOOK_HANDLER)
    assert "ReservedConcurrentExecutions" not in props(function)


@pytest.mark.parametrize("handler", [CODE_HOOK_HANDLER, WORKER_HANDLER])
def test_without_token_budgets_there_is_no_table_and_no_grant(options: Synth, handler: str) -> None:
    # Only the answers' table (pk, sk) is left.
    assert len(resources(options.template, "AWS::DynamoDB::Table")) == 1
    answers_id, _ = table_with_keys(options.template, "pk", "sk")
    _, function = function_by_handler(options.template, handler)
    env = props(function)["Environment"]["Variables"]
    assert "USAGE_TABLE_NAME" not in env
    assert env["LLM_TOKENS_PER_CONVERSATION"] == "0"
    resources_granted = [s["Resource"] for s in role_statements(options.template, role_of(function))]
    tables = [r for r in resources_granted if "DynamoDB" in json.dumps(r) or "Table" in json.dumps(r)]
    assert tables == [{"Fn::GetAtt": [answers_id, "Arn"]}]


def test_command_line_strings_set_the_rate_rule(options: Synth) -> None:
    statement = rule(options, "PerClientRate")["Statement"]["RateBasedStatement"]
    assert (statement["Limit"], statement["EvaluationWindowSec"]) == (200, 300)


def _context(**overrides: Any) -> dict[str, Any]:
    return {**CDK_JSON["context"], **overrides}


@pytest.mark.parametrize("zero", [0, "0"])
def test_zero_reserved_concurrency_is_refused_with_the_way_out(zero: object) -> None:
    with pytest.raises(ConfigError, match=r"codeHookReservedConcurrency.*'none'"):
        ChatbotConfig.from_mapping(_context(codeHookReservedConcurrency=zero))


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("clientRateLimit", 5, "clientRateLimit' must be between 10"),
        ("clientReadRateLimit", "9", "clientReadRateLimit' must be between 10"),
        ("clientRateWindowSeconds", 90, "clientRateWindowSeconds' must be one of 60, 120, 300, 600"),
        ("llmTokensPerConversation", -1, "llmTokensPerConversation' must be between 0"),
        ("llmTokensPerClientDay", "many", "llmTokensPerClientDay' must be an integer"),
        ("codeHookReservedConcurrency", -3, "codeHookReservedConcurrency' must be between 1"),
    ],
)
def test_bad_limits_name_their_key(key: str, value: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        ChatbotConfig.from_mapping(_context(**{key: value}))


def test_a_budget_amount_needs_an_email() -> None:
    with pytest.raises(ConfigError, match="'budgetEmail' must name who is alerted"):
        ChatbotConfig.from_mapping(_context(budgetMonthlyUsd=10))


def test_a_budget_email_needs_an_amount() -> None:
    with pytest.raises(ConfigError, match="'budgetMonthlyUsd' must give the monthly amount"):
        ChatbotConfig.from_mapping(_context(budgetEmail="ops@example.com"))


def test_a_budget_email_must_be_an_address() -> None:
    with pytest.raises(ConfigError, match="'budgetEmail' must be an e-mail address"):
        ChatbotConfig.from_mapping(_context(budgetMonthlyUsd=10, budgetEmail="ops"))


def test_cdk_json_has_no_budget_so_none_is_created_by_default() -> None:
    limits = ChatbotConfig.from_mapping(_context()).limits
    assert (limits.budget_monthly_usd, limits.budget_email) == (None, None)


def test_cfn_lint_is_clean_with_a_cost_budget_and_no_budgets_table(options: Synth) -> None:
    config = ManualArgs(regions=["us-east-1", "ap-northeast-2"], ignore_checks=["W3005", "I"])
    matches = lint(json.dumps(options.template), config=config)
    assert not matches, "\n".join(str(m) for m in matches)
