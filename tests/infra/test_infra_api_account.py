"""API Gateway's CloudWatch role (AWS::ApiGateway::Account, one per account and region): set by the
stack by default, left alone with `-c apiGatewayCloudWatchRole=false`; set late enough for IAM."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import ManualArgs, lint

from cdk_chatbot.app_factory import PROJECT_ROOT
from cdk_chatbot.config import ChatbotConfig, ConfigError
from tests.infra.cfn import function_by_handler, only, props, render, resources
from tests.infra.conftest import Synth, _synth, cdk_context

CHAT_HANDLER = "lambda_lex.handler.handler"
PUSH_POLICY = "AmazonAPIGatewayPushToCloudWatchLogs"


@pytest.fixture(scope="module")
def without_role(tmp_path_factory: pytest.TempPathFactory) -> Synth:
    """`make deploy CDK_ARGS="-c apiGatewayCloudWatchRole=false"` (a command-line string)."""
    context = {**cdk_context(), "apiGatewayCloudWatchRole": "false"}
    return _synth(tmp_path_factory.mktemp("cdk-out-no-apigw-role"), context)


def _api_gateway_roles(template: dict[str, Any]) -> list[str]:
    found = []
    for role_id, role in resources(template, "AWS::IAM::Role").items():
        principals = [s["Principal"] for s in props(role)["AssumeRolePolicyDocument"]["Statement"]]
        if {"Service": "apigateway.amazonaws.com"} in principals:
            found.append(role_id)
    return found


def test_by_default_the_stack_sets_the_accounts_cloudwatch_role(synth: Synth) -> None:
    _, account = only(synth.template, "AWS::ApiGateway::Account")
    (role_id,) = _api_gateway_roles(synth.template)
    assert props(account)["CloudWatchRoleArn"] == {"Fn::GetAtt": [role_id, "Arn"]}
    managed = [render(arn) for arn in props(synth.template["Resources"][role_id])["ManagedPolicyArns"]]
    assert managed == [f"arn:${{AWS::Partition}}:iam::aws:policy/service-role/{PUSH_POLICY}"]


def test_the_account_setting_waits_for_the_chat_lambda_which_waits_for_the_bot(synth: Synth) -> None:
    """aws-cdk #2194: the role must have propagated in IAM before API Gateway is given it."""
    _, account = only(synth.template, "AWS::ApiGateway::Account")
    chat_id, chat = function_by_handler(synth.template, CHAT_HANDLER)
    assert chat_id in account["DependsOn"]
    alias_id, _ = only(synth.template, "AWS::Lex::BotAlias")
    assert props(chat)["Environment"]["Variables"]["BOT_ALIAS_ID"] == {"Fn::GetAtt": [alias_id, "BotAliasId"]}


def test_the_stage_is_access_logged_either_way(synth: Synth, without_role: Synth) -> None:
    for synthesized in (synth, without_role):
        _, stage = only(synthesized.template, "AWS::ApiGateway::Stage")
        assert "DestinationArn" in props(stage)["AccessLogSetting"]


def test_opted_out_the_account_setting_and_its_role_are_left_alone(without_role: Synth) -> None:
    assert resources(without_role.template, "AWS::ApiGateway::Account") == {}
    assert _api_gateway_roles(without_role.template) == []
    _, stage = only(without_role.template, "AWS::ApiGateway::Stage")
    assert "DependsOn" not in stage or not any("Account" in d for d in stage["DependsOn"])


def test_opted_out_the_stack_is_still_cfn_lint_clean(without_role: Synth) -> None:
    # The fixture's synth already ran cdk-nag (an unacknowledged finding would have raised).
    config = ManualArgs(regions=["us-east-1"], ignore_checks=["W3005", "I"])
    matches = lint(json.dumps(without_role.template), config=config)
    assert not matches, "\n".join(str(m) for m in matches)


def test_the_setting_is_true_or_false() -> None:
    context = json.loads((PROJECT_ROOT / "cdk.json").read_text())["context"]
    assert ChatbotConfig.from_mapping(context).api_gateway_cloud_watch_role is True
    with pytest.raises(ConfigError, match="'apiGatewayCloudWatchRole' must be true or false"):
        ChatbotConfig.from_mapping({**context, "apiGatewayCloudWatchRole": "maybe"})


def test_the_readme_documents_the_setting() -> None:
    readme = Path(PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `apiGatewayCloudWatchRole`"))
    assert "one per account and region" in row
