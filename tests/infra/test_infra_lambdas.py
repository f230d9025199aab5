"""The /chat and code-hook Lambdas: runtime, wiring, environment, least privilege, timeouts and what
their assets hold (the streamed answers' Lambdas: test_infra_streaming.py)."""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from cdk_chatbot.app_factory import PROJECT_ROOT
from cdk_chatbot.config import API_GATEWAY_TIMEOUT_SECONDS
from cdk_chatbot.imports import import_closure
from cdk_chatbot.stack import CHAT_REQUIREMENTS, CODE_HOOK_REQUIREMENTS
from tests.infra.cfn import (
    as_list,
    function_by_handler,
    llm_key_secret,
    only,
    props,
    render,
    role_of,
    role_statements,
)
from tests.infra.conftest import VARIANT_MODEL, Synth

CHAT_HANDLER = "lambda_lex.handler.handler"
CODE_HOOK_HANDLER = "lambda_codehook.handler.handler"
# What the code hook's asset holds besides its own package (bundling off: no dependencies).
CODE_HOOK_PARTS = {
    "lambda_codehook",
    "lambda_chatgpt",
    "lexhook",
    "usage_store",
    "answer_store",
    "container_setup",
    "bot_definition.json",
}
LEX_HOOK_TIMEOUT_SECONDS = 30
LOG_STATEMENT_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents"]


def _app_statements(synth: Synth, handler: str) -> list[dict[str, Any]]:
    """A function's role statements, less the one that writes its own log group."""
    function_id, function = function_by_handler(synth.template, handler)
    log_group_id = props(function)["LoggingConfig"]["LogGroup"]["Ref"]
    statements = role_statements(synth.template, role_of(function))
    log_statements = [s for s in statements if s["Action"] == LOG_STATEMENT_ACTIONS]
    assert log_statements == [
        {
            "Action": LOG_STATEMENT_ACTIONS,
            "Effect": "Allow",
            "Resource": {"Fn::GetAtt": [log_group_id, "Arn"]},
        }
    ], function_id
    return [s for s in statements if s["Action"] != LOG_STATEMENT_ACTIONS]


WORKER_HANDLER = "lambda_chatgpt.worker.handler"


@pytest.mark.parametrize("handler", [CHAT_HANDLER, CODE_HOOK_HANDLER, WORKER_HANDLER])
def test_function_runs_current_python_on_arm64_with_its_own_log_group(synth: Synth, handler: str) -> None:
    _, function = function_by_handler(synth.template, handler)
    p = props(function)
    major, minor = (int(x) for x in p["Runtime"].removeprefix("python").split("."))
    assert (major, minor) >= (3, 13)
    assert p["Architectures"] == ["arm64"]
    log_group_id = p["LoggingConfig"]["LogGroup"]["Ref"]
    retention = props(synth.template["Resources"][log_group_id])["RetentionInDays"]
    assert retention == synth.context["logRetentionDays"]


@pytest.mark.parametrize("handler", [CHAT_HANDLER, CODE_HOOK_HANDLER, WORKER_HANDLER])
def test_function_role_trusts_lambda_and_uses_no_managed_policy(synth: Synth, handler: str) -> None:
    _, function = function_by_handler(synth.template, handler)
    role = props(synth.template["Resources"][role_of(function)])
    assert role["AssumeRolePolicyDocument"]["Statement"] == [
        {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}}
    ]
    assert "ManagedPolicyArns" not in role


def test_chat_lambda_may_only_recognize_text_and_put_session_on_the_live_alias(synth: Synth) -> None:
    alias_id = only(synth.template, "AWS::Lex::BotAlias")[0]
    # Besides Lex, only the answers' table (test_infra_streaming.py).
    assert [s for s in _app_statements(synth, CHAT_HANDLER) if not str(s["Action"]).count("dynamodb:")] == [
        {
            "Action": ["lex:PutSession", "lex:RecognizeText"],
            "Effect": "Allow",
            "Resource": {"Fn::GetAtt": [alias_id, "Arn"]},
        }
    ]


def test_chat_lambda_environment_points_at_the_live_alias(synth: Synth) -> None:
    _, function = function_by_handler(synth.template, CHAT_HANDLER)
    env = props(function)["Environment"]["Variables"]
    bot_id = only(synth.template, "AWS::Lex::Bot")[0]
    alias_id = only(synth.template, "AWS::Lex::BotAlias")[0]
    assert env["BOT_ID"] == {"Fn::GetAtt": [bot_id, "Id"]}
    assert env["BOT_ALIAS_ID"] == {"Fn::GetAtt": [alias_id, "BotAliasId"]}
    assert env["BOT_LOCALES"] == ",".join(synth.definition.locale_ids)
    assert env["DEFAULT_LOCALE"] == synth.context["defaultLocale"] == "ko_KR"
    assert env["LOG_USER_TEXT"] == "false"
    assert env["CHAT_HISTORY_MESSAGES"] == str(synth.context["llmHistoryMessages"])
    assert "TSTALIASID" not in json.dumps(env)


def test_draft_test_alias_appears_nowhere(synth: Synth) -> None:
    assert "TSTALIASID" not in json.dumps(synth.template)


def test_code_hook_reads_only_its_own_secret(synth: Synth) -> None:
    secret_id = llm_key_secret(synth.template)[0]
    statements = _app_statements(synth, CODE_HOOK_HANDLER)
    assert [s for s in statements if str(s["Action"]).startswith("secretsmanager:")] == [
        {"Action": "secretsmanager:GetSecretValue", "Effect": "Allow", "Resource": {"Ref": secret_id}}
    ]
    # Besides its secret, only the budgets' and the answers' tables and the answer worker
    # (test_infra_limits.py, test_infra_streaming.py).
    assert [s for s in statements if not str(s["Action"]).startswith("secretsmanager:")] == [
        s
        for s in statements
        if "dynamodb:GetItem" in as_list(s["Action"]) or s["Action"] == "lambda:InvokeFunction"
    ]


def test_code_hook_environment_comes_from_context(synth: Synth) -> None:
    _, function = function_by_handler(synth.template, CODE_HOOK_HANDLER)
    env = props(function)["Environment"]["Variables"]
    ctx = synth.context
    assert env["LLM_PROVIDER"] == ctx["llmProvider"] == "openai"
    assert env["LLM_MODEL"] == ctx["llmModel"]
    assert env["LLM_BASE_URL"] == ctx["llmBaseUrl"]
    assert env["LLM_MAX_TOKENS"] == str(ctx["llmMaxTokens"])
    assert env["LLM_DEADLINE_SECONDS"] == str(ctx["llmDeadlineSeconds"])
    assert env["LLM_HISTORY_MESSAGES"] == str(ctx["llmHistoryMessages"])
    secret_id = llm_key_secret(synth.template)[0]
    # The secret's generated name, cut from its ARN: the same value the stack outputs for put-secret-value.
    assert env["LLM_SECRET_NAME"] == synth.template["Outputs"]["LlmSecretName"]["Value"]
    assert json.dumps({"Ref": secret_id}) in json.dumps(env["LLM_SECRET_NAME"])
    assert "OPENAI_API_KEY" not in env


def test_bedrock_provider_may_invoke_only_the_configured_model(variant: Synth) -> None:
    statements = [
        s
        for s in _app_statements(variant, CODE_HOOK_HANDLER)
        if not all(a.startswith(("dynamodb:", "lambda:")) for a in as_list(s["Action"]))
    ]
    assert len(statements) == 1
    (statement,) = statements
    assert statement["Action"] == "bedrock:InvokeModel"
    assert render(statement["Resource"]) == (
        f"arn:${{AWS::Partition}}:bedrock:${{AWS::Region}}::foundation-model/{VARIANT_MODEL}"
    )
    env = props(function_by_handler(variant.template, CODE_HOOK_HANDLER)[1])["Environment"]["Variables"]
    assert env["LLM_PROVIDER"] == "bedrock"
    assert "LLM_SECRET_NAME" not in env


@pytest.mark.parametrize("fixture", ["synth", "variant"])
def test_no_wildcard_resource_on_lex_secrets_or_bedrock(fixture: str, request: pytest.FixtureRequest) -> None:
    synthesized: Synth = request.getfixturevalue(fixture)
    checked = 0
    for policy in (r for r in synthesized.template["Resources"].values() if r["Type"] == "AWS::IAM::Policy"):
        for statement in props(policy)["PolicyDocument"]["Statement"]:
            actions = as_list(statement["Action"])
            if any(a.split(":")[0] in ("lex", "secretsmanager", "bedrock") for a in actions):
                checked += 1
                for resource in as_list(statement["Resource"]):
                    assert "*" not in render(resource), statement
                assert all("*" not in a for a in actions), statement
    assert checked >= 2


def test_timeouts_fit_api_gateway_and_lex(synth: Synth) -> None:
    chat = props(function_by_handler(synth.template, CHAT_HANDLER)[1])["Timeout"]
    fallback = props(function_by_handler(synth.template, CODE_HOOK_HANDLER)[1])["Timeout"]
    deadline = synth.context["llmDeadlineSeconds"]
    assert deadline < fallback < LEX_HOOK_TIMEOUT_SECONDS
    assert fallback < chat <= API_GATEWAY_TIMEOUT_SECONDS


def asset_dir(synth: Synth, handler: str) -> Path:
    asset_hash = props(function_by_handler(synth.template, handler)[1])["Code"]["S3Key"].removesuffix(".zip")
    return synth.outdir / f"asset.{asset_hash}"


def _shared_packages() -> set[str]:
    """Packages in both assets: the EMF metrics, and conversation_memory once it exists in the project."""
    return {"chat_metrics"} | (
        {"conversation_memory"} if (PROJECT_ROOT / "conversation_memory" / "__init__.py").is_file() else set()
    )


def _chat_parts() -> set[str]:
    """The /chat asset: lambda_lex and the project packages it imports, shipped whole (chat_api.py)."""
    return {"lambda_lex"} | set(import_closure(PROJECT_ROOT, "lambda_lex").packages)


@pytest.mark.parametrize(
    ("handler", "parts"),
    [(CHAT_HANDLER, _chat_parts()), (CODE_HOOK_HANDLER, CODE_HOOK_PARTS | _shared_packages())],
)
def test_asset_ships_its_packages_without_caches_or_tests(
    synth: Synth, handler: str, parts: set[str]
) -> None:
    package = handler.split(".")[0]
    asset = asset_dir(synth, handler)
    assert (asset / package / "handler.py").is_file()
    assert (asset / package / "__init__.py").is_file()
    shipped = [p.relative_to(asset) for p in asset.rglob("*")]
    assert not [p for p in shipped if "__pycache__" in p.parts or p.suffix == ".pyc" or "tests" in p.parts]
    # Bundling is off in tests: no dependencies, only the packages (HelloWorld has no handlers folder).
    assert {p.parts[0] for p in shipped} == parts


def test_the_chat_asset_follows_what_lambda_lex_imports(synth: Synth) -> None:
    """Whatever project package lambda_lex imports (its memory, metrics, the answer store) is in its
    asset, whole; a package it does not import is not."""
    shipped = {p.name for p in asset_dir(synth, CHAT_HANDLER).iterdir()}
    imported = {name.split(".")[0] for name in _lex_imports()} & _project_packages()
    assert {"chat_metrics", "conversation_memory"} <= imported
    assert shipped == imported | {"lambda_lex"}


def _project_packages() -> set[str]:
    return {p.parent.name for p in PROJECT_ROOT.glob("*/__init__.py")}


def _lex_imports() -> set[str]:
    """Every module name lambda_lex's files (and the project modules they reach) import."""
    from cdk_chatbot.imports import runtime_imports

    closure = import_closure(PROJECT_ROOT, "lambda_lex")
    return {name for path in closure.files for name in runtime_imports(PROJECT_ROOT, PROJECT_ROOT / path)}


def test_code_hook_asset_carries_the_deployed_bot_definition(synth: Synth) -> None:
    bundled = json.loads((asset_dir(synth, CODE_HOOK_HANDLER) / "bot_definition.json").read_text())
    assert bundled == dict(synth.definition.properties)


class _RuntimeImports(ast.NodeVisitor):
    """Top-level names of the modules a file imports at run time (`if TYPE_CHECKING:` blocks excluded)."""

    def __init__(self) -> None:
        self.found: set[str] = set()

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        if (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
            isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
        ):
            for child in node.orelse:
                self.visit(child)
            return
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        self.found.update(alias.name.split(".")[0] for alias in node.names)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level == 0 and node.module:
            self.found.add(node.module.split(".")[0])


def _third_party_imports(*package_dirs: Path) -> set[str]:
    visitor = _RuntimeImports()
    for package_dir in package_dirs:
        for path in package_dir.rglob("*.py"):
            visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
    first_party = {d.name for d in package_dirs} | _project_packages()
    return visitor.found - set(sys.stdlib_module_names) - first_party - {"__future__"}


def test_import_scan_ignores_type_checking_blocks(tmp_path: Path) -> None:
    package = tmp_path / "lambda_demo"
    package.mkdir()
    (package / "core.py").write_text(
        "from typing import TYPE_CHECKING\nimport json\nimport requests\nfrom .x import y\n"
        "if TYPE_CHECKING:\n    import mypy_boto3_s3\nelse:\n    import yaml\n"
    )
    assert _third_party_imports(package) == {"requests", "yaml"}


@pytest.mark.parametrize(
    ("packages", "requirements"),
    [
        (("lambda_lex", "chat_metrics"), CHAT_REQUIREMENTS),
        (("lambda_codehook", "lambda_chatgpt", "lexhook", "chat_metrics"), CODE_HOOK_REQUIREMENTS),
    ],
)
def test_lambda_bundles_exactly_what_it_imports(
    packages: tuple[str, ...], requirements: tuple[str, ...]
) -> None:
    package = "+".join(packages)
    provided_by_runtime = {"boto3", "botocore"}
    bundled = {name.replace("-", "_") for name in requirements}
    imported = _third_party_imports(*(PROJECT_ROOT / name for name in packages))
    missing = imported - provided_by_runtime - bundled
    assert not missing, f"{package} imports {sorted(missing)}, which its Lambda asset would not contain"
    unused = bundled - imported
    assert not unused, f"{package} never imports {sorted(unused)}: drop it from cdk_chatbot/stack.py"
