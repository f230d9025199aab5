"""Stack-wide rules: names, log retention, outputs, no secrets, cdk-nag and cfn-lint clean, any account."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from aws_cdk import App, Validations
from cdk_nag import AwsSolutionsChecks
from cfnlint.api import ManualArgs, lint

from cdk_chatbot.app_factory import add_chatbot
from tests.infra.cfn import llm_key_secret, only, props, render, resources
from tests.infra.conftest import Synth, cdk_context

# Properties that would pin a physical name; two stacks in one account would then collide.
NAME_PROPERTIES = {
    "AWS::S3::Bucket": "BucketName",
    "AWS::Lambda::Function": "FunctionName",
    "AWS::Lambda::LayerVersion": "LayerName",
    "AWS::IAM::Role": "RoleName",
    "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
    "AWS::Logs::LogGroup": "LogGroupName",
    "AWS::SecretsManager::Secret": "Name",
}
# Resource types whose name CloudFormation requires: the stack derives it instead.
REQUIRED_NAMES: dict[str, Callable[[dict[str, Any]], Any]] = {
    "AWS::Lex::Bot": lambda p: p["Name"],
    "AWS::CloudFront::OriginAccessControl": lambda p: p["OriginAccessControlConfig"]["Name"],
    "AWS::CloudFront::ResponseHeadersPolicy": lambda p: p["ResponseHeadersPolicyConfig"]["Name"],
}
LINT_REGIONS = ["us-east-1", "ap-northeast-2"]
EXPECTED_ACKNOWLEDGED_RULES = {
    "AwsSolutions-S1", "AwsSolutions-SMG4", "AwsSolutions-IAM4", "AwsSolutions-IAM5", "AwsSolutions-L1",
    "AwsSolutions-APIG4", "AwsSolutions-APIG6", "AwsSolutions-COG4",
    "AwsSolutions-CFR1", "AwsSolutions-CFR2", "AwsSolutions-CFR4",
    "AwsSolutions-DDB3",
}  # fmt: skip


def test_no_fixed_physical_names(synth: Synth) -> None:
    for logical_id, resource in synth.template["Resources"].items():
        name_property = NAME_PROPERTIES.get(resource["Type"])
        assert name_property not in props(resource), f"{logical_id} fixes its {name_property}"


def test_required_names_are_derived_from_the_stack_so_two_stacks_differ(synth: Synth, variant: Synth) -> None:
    for type_, name_of in REQUIRED_NAMES.items():
        names = []
        for synthesized in (synth, variant):
            _, resource = only(synthesized.template, type_)
            name = render(name_of(props(resource)))
            assert synthesized.stack_name in name, (type_, name)
            if type_.startswith("AWS::CloudFront::"):  # account-wide: the region keeps regions apart
                assert "${AWS::Region}" in name, name
            names.append(name)
        assert names[0] != names[1], type_


def test_every_log_group_has_the_configured_retention(synth: Synth) -> None:
    groups = resources(synth.template, "AWS::Logs::LogGroup")
    assert len(groups) >= 4  # two Lambdas, API access logs, page deployment
    for logical_id, group in groups.items():
        assert props(group).get("RetentionInDays") == synth.context["logRetentionDays"], logical_id


def test_every_function_logs_to_a_log_group_of_this_template(synth: Synth) -> None:
    """A function without LoggingConfig would log to an implicit group that never expires."""
    groups = set(resources(synth.template, "AWS::Logs::LogGroup"))
    functions = resources(synth.template, "AWS::Lambda::Function")
    assert len(functions) == 5  # /chat, code hook, answer worker, answers' reads, page deployment
    for logical_id, function in functions.items():
        assert props(function)["LoggingConfig"]["LogGroup"]["Ref"] in groups, logical_id


def test_outputs(synth: Synth) -> None:
    outputs = synth.template["Outputs"]
    assert set(outputs) == {"WebUrl", "ChatApiUrl", "BotId", "BotAliasId", "LlmSecretName"}
    distribution_id, _ = only(synth.template, "AWS::CloudFront::Distribution")
    assert render(outputs["WebUrl"]["Value"]) == f"https://${{{distribution_id}.DomainName}}/chat.html"
    api_id, _ = only(synth.template, "AWS::ApiGateway::RestApi")
    chat_url = render(outputs["ChatApiUrl"]["Value"])
    assert chat_url.startswith(f"https://${{{api_id}}}.execute-api.")
    assert chat_url.endswith("/chat")
    bot_id, _ = only(synth.template, "AWS::Lex::Bot")
    alias_id, _ = only(synth.template, "AWS::Lex::BotAlias")
    assert outputs["BotId"]["Value"] == {"Fn::GetAtt": [bot_id, "Id"]}
    assert outputs["BotAliasId"]["Value"] == {"Fn::GetAtt": [alias_id, "BotAliasId"]}
    secret_id, _ = llm_key_secret(synth.template)
    assert json.dumps({"Ref": secret_id}) in json.dumps(outputs["LlmSecretName"]["Value"])


def test_secret_is_created_without_any_value(synth: Synth) -> None:
    _, secret = llm_key_secret(synth.template)
    assert not {"SecretString", "GenerateSecretString"} & set(props(secret))
    text = json.dumps(synth.template)
    # The one secret resolved in the template is the origin-verify header's (test_infra_limits.py).
    assert text.count("{{resolve:secretsmanager") == 2
    assert not re.search(r"sk-[A-Za-z0-9_-]{8,}", text)
    assert "REPLACE_WITH_YOUR_API_KEY" not in text
    for function in resources(synth.template, "AWS::Lambda::Function").values():
        variables = props(function).get("Environment", {}).get("Variables", {})
        for name in variables:
            assert not re.search(r"(KEY|TOKEN|PASSWORD|SECRET)$", name), name


def test_stack_is_environment_agnostic(synth: Synth) -> None:
    text = json.dumps(synth.template)
    assert not re.search(r"\b\d{12}\b", text), "an account id is baked in"
    # Conditions may compare AWS::Region with a region name (decided at deploy time); nothing else may.
    text = json.dumps({key: value for key, value in synth.template.items() if key != "Conditions"})
    assert not re.search(
        r"\b(us|eu|ap|sa|ca|me|af|il|mx)-(east|west|north|south|central|northeast|southeast)-\d\b", text
    )


def test_cdk_nag_ran_and_every_acknowledgment_has_a_reason(synth: Synth, variant: Synth) -> None:
    """The synth itself fails on an unacknowledged finding; these are the findings we accepted.

    CDK's validation report lists a plugin only when it reports violations, so a clean synth writes
    an empty list: that alone cannot tell "cdk-nag passed" from "cdk-nag never ran". Two checks give
    it meaning. Here, cdk-nag's AwsSolutions pack is run over each synth's construct tree and gives a
    report of its own, clean; `test_cdk_nag_checks_this_stack_and_finds_what_we_acknowledge` shows
    the same pack finds every acknowledged rule once the acknowledgments are gone. And the control
    that add_chatbot's registration does fail the synth on a new finding (and puts it in this report)
    is tests/robustness/security/test_security_template.py::
    test_cdk_nag_is_active_an_unacknowledged_finding_fails_the_synth.
    """
    for synthesized in (synth, variant):
        report = json.loads((synthesized.outdir / "validation-report.json").read_text())
        assert report["title"] == "Validation Report"
        assert report["pluginReports"] == []
        pack = AwsSolutionsChecks()
        result = pack.validate_scope(synthesized.app)
        assert pack.read_pack_name == "AwsSolutions"
        assert [violation.rule_name for violation in result.violations] == [], synthesized.stack_name
        assert result.success
    acknowledged = {}
    for resource in synth.template["Resources"].values():
        for rule in resource.get("Metadata", {}).get("cdk_nag", {}).get("rules_to_suppress", []):
            acknowledged[rule["id"]] = rule["reason"]
    assert {rule.split("[")[0] for rule in acknowledged} == EXPECTED_ACKNOWLEDGED_RULES
    for rule, reason in acknowledged.items():
        assert 30 <= len(reason) <= 160, (rule, reason)
        assert "\n" not in reason, rule


def test_cdk_nag_checks_this_stack_and_finds_what_we_acknowledge(monkeypatch: pytest.MonkeyPatch) -> None:
    """With every acknowledgment dropped, the pack reports exactly the acknowledged rules, so the
    clean result above comes from the acknowledgments, not from a pack that checked nothing (and no
    acknowledgment is left over from a finding that no longer exists)."""
    monkeypatch.setattr(Validations, "acknowledge", lambda self, *rules: None)
    app = App(context=cdk_context(), builtin_cloud_formation_validation=False)
    add_chatbot(app)
    pack = AwsSolutionsChecks()
    result = pack.validate_scope(app)
    assert not result.success
    found = {violation.rule_name.split("[")[0] for violation in result.violations}
    assert found == EXPECTED_ACKNOWLEDGED_RULES


@pytest.mark.parametrize("fixture", ["synth", "variant"])
def test_cfn_lint_is_clean(fixture: str, request: pytest.FixtureRequest) -> None:
    synthesized: Synth = request.getfixturevalue(fixture)
    # W3005 (redundant DependsOn) and informational rules are how CDK writes templates.
    config = ManualArgs(regions=LINT_REGIONS, ignore_checks=["W3005", "I"])
    matches = lint(json.dumps(synthesized.template), config=config)
    assert not matches, "\n".join(str(m) for m in matches)
