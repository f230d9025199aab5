"""The synthesized stack, as far as tests/infra does not already pin it down.

Already asserted in tests/infra (not repeated here): the secret is created without a value and no
key-shaped string is in the template (test_infra_hygiene.test_secret_is_created_without_any_value);
no `*` in lex/secretsmanager/bedrock statements and each role's exact grants (test_infra_lambdas);
the bucket is private, readable only by this distribution, TLS only (test_infra_web); stage throttling
(test_infra_api.test_stage_throttling_comes_from_context); CloudFront's security headers
(test_infra_web.test_security_headers_on_every_response); cdk-nag has no unacknowledged finding and
every acknowledgment has a reason (test_infra_hygiene.test_cdk_nag_ran_and_every_acknowledgment_has_a_reason).

Added here: the whole cloud assembly (template, manifests, tree, the Lambda assets) synthesized with
secret-looking canaries in the environment contains none of them and nothing key-shaped; no
statement anywhere allows every action, every principal, or iam/sts powers; the only Allow on
`Resource: *` are the two known, acknowledged ones; every Lambda permission names its caller's ARN;
the default throttling is finite and small; and this synth, too, passes cdk-nag.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App
from aws_cdk import aws_iam as iam

from cdk_chatbot.app_factory import PROJECT_ROOT, add_chatbot
from tests.bots import HELLO_WORLD_CONTEXT
from tests.infra.cfn import as_list, props, render, resources

CANARIES = {
    "OPENAI_API_KEY": "sk-canary-openai-4f1d9c2e7b8a6053aa11",
    "AWS_SECRET_ACCESS_KEY": "canarySecretAccessKey0123456789abcdefXYZ",
    "AWS_SESSION_TOKEN": "canarySessionToken-IQoJb3JpZ2luX2VjEXAMPLE",
    "LLM_API_KEY": "sk-canary-llm-9a8b7c6d5e4f3a2b1c0d",
    "OPENAI_BASE_URL": "https://canary-llm.invalid/v1",
}
KEY_SHAPES = {
    "OpenAI-style key": re.compile(rb"sk-[A-Za-z0-9_-]{16,}"),
    "AWS access key id": re.compile(rb"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "private key": re.compile(rb"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "aws_secret_access_key setting": re.compile(rb"aws_secret_access_key\s*="),
}
# Allow statements on every resource that the stack knowingly has (acknowledged to cdk-nag as IAM5):
# Lex's bot role may synthesize speech (Polly has no resource ARNs), and CDK's page deployment
# invalidates the distribution (CloudFront invalidation takes no resource ARN either).
KNOWN_STAR_ACTIONS = {
    ("polly:SynthesizeSpeech",),
    ("cloudfront:CreateInvalidation", "cloudfront:GetInvalidation"),
}


def cdk_context() -> dict[str, Any]:
    """cdk.json's context with bundling off and the frozen HelloWorld bot, as tests/infra synthesizes."""
    context: dict[str, Any] = json.loads((PROJECT_ROOT / "cdk.json").read_text())["context"]
    return {**context, "bundle": False, "botDefinition": HELLO_WORLD_CONTEXT}


@dataclass(frozen=True)
class CanarySynth:
    template: dict[str, Any]
    outdir: Path


@pytest.fixture(scope="module")
def canary_synth(tmp_path_factory: pytest.TempPathFactory) -> CanarySynth:
    """The app as cdk.json configures it, synthesized while the environment holds canary secrets."""
    outdir = tmp_path_factory.mktemp("cdk-out-canary")
    with pytest.MonkeyPatch.context() as patch:
        for name, value in CANARIES.items():
            patch.setenv(name, value)
        app = App(context=cdk_context(), outdir=str(outdir), builtin_cloud_formation_validation=False)
        stack = add_chatbot(app)
        assembly = app.synth()  # cdk-nag runs here: an unacknowledged finding raises
        template = assembly.get_stack_by_name(stack.stack_name).template
    return CanarySynth(template, outdir)


def assembly_files(outdir: Path) -> list[Path]:
    return [path for path in outdir.rglob("*") if path.is_file()]


def test_no_canary_and_nothing_key_shaped_anywhere_in_the_cloud_assembly(canary_synth: CanarySynth) -> None:
    files = assembly_files(canary_synth.outdir)
    assert any(path.name.endswith(".template.json") for path in files)
    assert any("lambda_chatgpt" in str(path) for path in files), "the Lambda assets should be in the assembly"
    for path in files:
        data = path.read_bytes()
        for name, value in CANARIES.items():
            assert value.encode() not in data, f"{name}'s value is in {path.relative_to(canary_synth.outdir)}"
        for shape, pattern in KEY_SHAPES.items():
            match = pattern.search(data)
            assert match is None, (
                f"{shape} in {path.relative_to(canary_synth.outdir)}: {match.group()[:12]!r}..."
            )


def test_no_env_or_credential_files_are_shipped(canary_synth: CanarySynth) -> None:
    for path in assembly_files(canary_synth.outdir):
        assert path.name not in {".env", "credentials", "config"}, path
        assert not path.name.endswith((".pem", ".key")), path


def all_statements(template: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every statement of every identity and resource policy in the template, with its logical id."""
    for logical_id, resource in template["Resources"].items():
        p = props(resource)
        documents = [p.get("PolicyDocument"), p.get("AssumeRolePolicyDocument")]
        documents += [policy.get("PolicyDocument") for policy in p.get("Policies", [])]
        for document in documents:
            if isinstance(document, dict):
                for statement in as_list(document.get("Statement", [])):
                    yield logical_id, statement


def test_no_statement_allows_everything_anyone_or_iam_powers(canary_synth: CanarySynth) -> None:
    checked = 0
    for logical_id, statement in all_statements(canary_synth.template):
        checked += 1
        if statement.get("Effect") != "Allow":
            continue
        actions = [str(action) for action in as_list(statement.get("Action", []))]
        assert "*" not in actions, (logical_id, statement)
        assert not any(action.endswith(":*") for action in actions), (logical_id, statement)
        assert not any(
            action.split(":")[0] in ("iam", "sts") and action != "sts:AssumeRole" for action in actions
        )
        principal = statement.get("Principal")
        assert principal not in ("*", {"AWS": "*"}), (logical_id, statement)
    assert checked >= 10


def test_the_only_allows_on_every_resource_are_the_known_ones(canary_synth: CanarySynth) -> None:
    found = set()
    for logical_id, statement in all_statements(canary_synth.template):
        if statement.get("Effect") == "Allow" and "*" in [
            render(r) for r in as_list(statement.get("Resource", []))
        ]:
            found.add(tuple(sorted(as_list(statement["Action"]))))
            assert tuple(sorted(as_list(statement["Action"]))) in KNOWN_STAR_ACTIONS, (logical_id, statement)
    assert found == KNOWN_STAR_ACTIONS


API_ROUTE_ARN_ENDINGS = (
    "/POST/chat",
    "/GET/chat/answers/*",
    "/POST/chat/answers/*/stop",
    "/POST/chat/answers/*/regenerate",
    "/GET/chat/conversations/*",
)


def test_every_lambda_permission_names_its_callers_arn(canary_synth: CanarySynth) -> None:
    permissions = resources(canary_synth.template, "AWS::Lambda::Permission")
    assert permissions
    for logical_id, permission in permissions.items():
        p = props(permission)
        assert p["Action"] == "lambda:InvokeFunction", logical_id
        assert p["Principal"] in ("apigateway.amazonaws.com", "lexv2.amazonaws.com"), logical_id
        source = render(p["SourceArn"])
        assert "${AWS::AccountId}" in source, (logical_id, source)
        assert not source.endswith(":*"), (logical_id, source)
        if p["Principal"] == "apigateway.amazonaws.com":
            # POST /chat and the streamed answers' routes (path parameters read as `*`).
            assert source.endswith(API_ROUTE_ARN_ENDINGS), (logical_id, source)


def test_default_throttling_is_finite_and_small(canary_synth: CanarySynth) -> None:
    (stage,) = resources(canary_synth.template, "AWS::ApiGateway::Stage").values()
    (settings,) = [s for s in props(stage)["MethodSettings"] if s["ResourcePath"] == "/*"]
    assert 0 < settings["ThrottlingRateLimit"] <= 50
    assert 0 < settings["ThrottlingBurstLimit"] <= 100
    # Every method-level setting (the streamed answers' routes) is finite too.
    for method in props(stage)["MethodSettings"]:
        assert 0 < method["ThrottlingRateLimit"] <= 1_000, method
        assert 0 < method["ThrottlingBurstLimit"] <= 2_000, method


def test_this_synth_too_has_no_cdk_nag_violation(canary_synth: CanarySynth) -> None:
    report = json.loads((canary_synth.outdir / "validation-report.json").read_text())
    assert report["pluginReports"] == []  # a plugin appears here only with violations


def test_cdk_nag_is_active_an_unacknowledged_finding_fails_the_synth(tmp_path: Path) -> None:
    """The control that gives the clean reports meaning: one wildcard grant more and synth refuses."""
    app = App(context=cdk_context(), outdir=str(tmp_path), builtin_cloud_formation_validation=False)
    stack = add_chatbot(app)
    role = iam.Role(stack, "ProbeRole", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    role.add_to_policy(iam.PolicyStatement(actions=["s3:GetObject"], resources=["*"]))
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    report = json.loads((tmp_path / "validation-report.json").read_text())
    rules = {
        violation["ruleName"] for plugin in report["pluginReports"] for violation in plugin["violations"]
    }
    assert "AwsSolutions-IAM5[Resource::*]" in rules
