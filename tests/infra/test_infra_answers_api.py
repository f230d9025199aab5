"""The streamed answers' read routes (cdk_chatbot/answers_api.py): each route is a Lambda proxy to
`lambda_answers` on the chat API (so the web ACL covers it), throttled per method, reachable through
CloudFront's /chat/* behaviour; the Lambda's timeout, privileges and asset (exactly what it imports)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from cdk_chatbot.answers_api import LOCAL_ONLY_MODULES, ROUTES, answers_asset_parts
from cdk_chatbot.app_factory import PROJECT_ROOT
from cdk_chatbot.budgets import (
    ANSWERS_LAMBDA_TIMEOUT_SECONDS,
    API_GATEWAY_INTEGRATION_SECONDS,
    LONG_POLL_SECONDS,
)
from cdk_chatbot.imports import import_closure, runtime_imports
from cdk_chatbot.packaging import package_files
from cdk_chatbot.stack import ANSWERS_REQUIREMENTS
from tests.infra.cfn import (
    function_by_handler,
    only,
    props,
    render,
    resources,
    role_of,
    role_statements,
    table_with_keys,
)
from tests.infra.conftest import Synth

ANSWERS_HANDLER = "lambda_answers.handler.handler"
WORKER_HANDLER = "lambda_chatgpt.worker.handler"
LOG_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents"]
EXPECTED_ROUTES = {
    ("/chat/answers/{id}", "GET"),
    ("/chat/answers/{id}/stop", "POST"),
    ("/chat/answers/{id}/regenerate", "POST"),
    ("/chat/conversations/{sessionId}", "GET"),
}


def _paths(template: dict[str, Any]) -> dict[str, str]:
    """Logical id of every API Gateway resource -> its full path."""
    found = resources(template, "AWS::ApiGateway::Resource")

    def path(logical_id: str) -> str:
        p = props(found[logical_id])
        parent = p["ParentId"]
        prefix = path(parent["Ref"]) if "Ref" in parent else ""
        return f"{prefix}/{p['PathPart']}"

    return {logical_id: path(logical_id) for logical_id in found}


def _methods(synth: Synth) -> dict[tuple[str, str], dict[str, Any]]:
    paths = _paths(synth.template)
    return {
        (paths[props(m)["ResourceId"]["Ref"]], props(m)["HttpMethod"]): props(m)
        for m in resources(synth.template, "AWS::ApiGateway::Method").values()
        if "Ref" in props(m)["ResourceId"]
    }


def test_the_routes_are_the_ones_the_spec_names() -> None:
    assert {(r.path, r.method) for r in ROUTES} == EXPECTED_ROUTES


@pytest.mark.parametrize(("path", "method"), sorted(EXPECTED_ROUTES))
def test_each_route_is_a_lambda_proxy_to_the_answers_handler(synth: Synth, path: str, method: str) -> None:
    function_id, _ = function_by_handler(synth.template, ANSWERS_HANDLER)
    found = _methods(synth)[(path, method)]
    assert found["Integration"]["Type"] == "AWS_PROXY"
    assert found["Integration"]["IntegrationHttpMethod"] == "POST"
    assert f"${{{function_id}.Arn}}" in render(found["Integration"]["Uri"])
    # The token header is checked by the Lambda (a missing one is a 404 like a wrong one, no oracle).
    assert found["AuthorizationType"] == "NONE"
    assert "RequestModels" not in found


def test_the_routes_live_on_the_chat_api_and_stage_the_web_acl_guards(synth: Synth) -> None:
    api_id, _ = only(synth.template, "AWS::ApiGateway::RestApi")
    methods = _methods(synth)
    assert {key for key in methods} == EXPECTED_ROUTES | {("/chat", "POST")}
    for method in methods.values():
        assert method["RestApiId"] == {"Ref": api_id}
    stage_id, _ = only(synth.template, "AWS::ApiGateway::Stage")
    _, association = only(synth.template, "AWS::WAFv2::WebACLAssociation")
    assert json.dumps({"Ref": stage_id}) in json.dumps(props(association)["ResourceArn"])


def test_only_the_api_gateway_may_invoke_the_answers_lambda_and_only_for_its_routes(synth: Synth) -> None:
    function_id, _ = function_by_handler(synth.template, ANSWERS_HANDLER)
    permissions = [
        props(p)
        for p in resources(synth.template, "AWS::Lambda::Permission").values()
        if props(p)["FunctionName"] == {"Fn::GetAtt": [function_id, "Arn"]}
    ]
    assert len(permissions) == len(EXPECTED_ROUTES)  # no test-invoke permissions
    for permission in permissions:
        assert permission["Principal"] == "apigateway.amazonaws.com"
        source = render(permission["SourceArn"])
        # Path parameters read as `*` in the execute-api ARN.
        routes = [f"/{m}{re.sub(r'{[^}]+}', '*', p)}" for p, m in EXPECTED_ROUTES]
        assert any(source.endswith(route) for route in routes), source


def test_each_route_has_a_method_level_throttle(synth: Synth) -> None:
    _, stage = only(synth.template, "AWS::ApiGateway::Stage")
    settings = {(s["ResourcePath"], s["HttpMethod"]): s for s in props(stage)["MethodSettings"]}
    context = synth.context
    for path, method in EXPECTED_ROUTES:
        found = settings[("/" + path.replace("/", "~1"), method)]
        rate, burst = (
            (context["answersThrottleRateLimit"], context["answersThrottleBurstLimit"])
            if method == "GET"
            else (context["throttleRateLimit"], context["throttleBurstLimit"])
        )
        assert (found["ThrottlingRateLimit"], found["ThrottlingBurstLimit"]) == (rate, burst), path
    assert settings[("/*", "*")]["ThrottlingRateLimit"] == context["throttleRateLimit"]


def test_the_answers_lambda_outlasts_its_long_poll_inside_api_gateways_29_s(synth: Synth) -> None:
    _, function = function_by_handler(synth.template, ANSWERS_HANDLER)
    assert props(function)["Timeout"] == ANSWERS_LAMBDA_TIMEOUT_SECONDS
    assert LONG_POLL_SECONDS + 2 <= ANSWERS_LAMBDA_TIMEOUT_SECONDS < API_GATEWAY_INTEGRATION_SECONDS


def test_the_answers_lambda_may_use_the_table_and_start_the_worker_only(synth: Synth) -> None:
    _, function = function_by_handler(synth.template, ANSWERS_HANDLER)
    worker_id, _ = function_by_handler(synth.template, WORKER_HANDLER)
    table_id, _ = table_with_keys(synth.template, "pk", "sk")
    statements = [s for s in role_statements(synth.template, role_of(function)) if s["Action"] != LOG_ACTIONS]
    assert statements == [
        {
            "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"],
            "Effect": "Allow",
            "Resource": {"Fn::GetAtt": [table_id, "Arn"]},
        },
        {
            "Action": "lambda:InvokeFunction",
            "Effect": "Allow",
            "Resource": {"Fn::GetAtt": [worker_id, "Arn"]},
        },
    ]
    env = props(function)["Environment"]["Variables"]
    assert env["ANSWER_TABLE_NAME"] == {"Ref": table_id}
    assert env["ANSWER_WORKER_FUNCTION"] == {"Ref": worker_id}
    assert env["CONVERSATION_TTL_SECONDS"] == str(synth.context["conversationTtlSeconds"])
    # The notice of a "not configured" answer names the secret to fill, as the code hook's does.
    hook = props(function_by_handler(synth.template, "lambda_codehook.handler.handler")[1])
    assert env["LLM_SECRET_NAME"] == hook["Environment"]["Variables"]["LLM_SECRET_NAME"]


def test_with_bedrock_the_answers_lambda_names_no_secret(variant: Synth) -> None:
    _, function = function_by_handler(variant.template, ANSWERS_HANDLER)
    assert "LLM_SECRET_NAME" not in props(function)["Environment"]["Variables"]


def test_the_local_only_modules_are_only_imported_lazily() -> None:
    """Leaving the worker out is safe only while the shipped modules reach it through a lazy import
    (worker_invoke's thread mode, inside a function): importing them never imports it."""
    closure = import_closure(PROJECT_ROOT, "lambda_answers", skip=LOCAL_ONLY_MODULES)
    for path in closure.files:
        names = runtime_imports(PROJECT_ROOT, PROJECT_ROOT / path, on_import_only=True)
        assert not [n for n in names for m in LOCAL_ONLY_MODULES if n == m or n.startswith(f"{m}.")], path
    lazily = runtime_imports(PROJECT_ROOT, PROJECT_ROOT / "lambda_chatgpt" / "worker_invoke.py")
    assert "lambda_chatgpt.worker" in lazily  # what the skip is for: it must still be there to skip


def test_the_answers_asset_holds_lambda_answers_and_exactly_the_modules_it_imports(synth: Synth) -> None:
    _, function = function_by_handler(synth.template, ANSWERS_HANDLER)
    asset = synth.outdir / f"asset.{props(function)['Code']['S3Key'].removesuffix('.zip')}"
    shipped = sorted(p.relative_to(asset).as_posix() for p in asset.rglob("*") if p.is_file())
    own = [
        f"lambda_answers/{p.relative_to(PROJECT_ROOT / 'lambda_answers').as_posix()}"
        for p in package_files(PROJECT_ROOT / "lambda_answers")
    ]
    closure = import_closure(PROJECT_ROOT, "lambda_answers", skip=LOCAL_ONLY_MODULES)
    imported = [p.as_posix() for p in closure.files]
    assert shipped == sorted(set(own) | set(imported))
    assert "answer_store/__init__.py" in shipped
    # Lean: not the LLM providers nor the code hook.
    assert not [p for p in shipped if p.startswith(("lambda_codehook/", "lexhook/"))]
    assert "lambda_chatgpt/openai_provider.py" not in shipped
    assert "lambda_chatgpt/worker.py" not in shipped  # run in a thread only in local mode
    assert {part.name for part in answers_asset_parts(PROJECT_ROOT)} <= set(shipped)


def test_the_answers_lambda_bundles_exactly_the_third_party_packages_it_imports() -> None:
    closure = import_closure(PROJECT_ROOT, "lambda_answers", skip=LOCAL_ONLY_MODULES)
    imported = closure.third_party - {"boto3", "botocore"}
    assert imported == {name.replace("-", "_") for name in ANSWERS_REQUIREMENTS}


ALONE_SCRIPT = """
import json, os, sys
sys.path.insert(0, os.getcwd())  # the asset's folder only: not the project
import answer_store
store = answer_store.from_env()
answer_id = store.create(session_id="s-1", token="t" * 43, job={"locale": "en_US"}, ttl_seconds=600)
store.claim(answer_id)
store.append(answer_id, "Half an ans")
store.request_stop(answer_id)
store.finish(answer_id, "stopped")
from lambda_answers.handler import handler
event = {
    "httpMethod": "GET", "path": f"/chat/answers/{answer_id}", "resource": "/chat/answers/{id}",
    "pathParameters": {"id": answer_id}, "headers": {"X-Answer-Token": "t" * 43},
    "queryStringParameters": None, "body": None,
}
print(json.dumps(handler(event, None)))
print(json.dumps(sorted(m.__file__ for m in list(sys.modules.values()) if getattr(m, "__file__", None)
                        and m.__file__.startswith(os.getcwd()))))
"""


def test_the_answers_asset_serves_a_read_on_its_own(synth: Synth) -> None:
    """The asset's own files (no project checkout on the path) read a stopped answer end to end,
    notice included (lambda_chatgpt.texts, imported lazily): nothing it needs was left out."""
    import os
    import subprocess
    import sys

    _, function = function_by_handler(synth.template, ANSWERS_HANDLER)
    asset = synth.outdir / f"asset.{props(function)['Code']['S3Key'].removesuffix('.zip')}"
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    environment |= {"ANSWER_STORE": "embedded", "POWERTOOLS_METRICS_DISABLED": "true", "LOG_LEVEL": "ERROR"}
    result = subprocess.run(
        [sys.executable, "-P", "-c", ALONE_SCRIPT],
        cwd=asset,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    response_line, modules_line = result.stdout.strip().splitlines()[-2:]
    response = json.loads(response_line)
    assert response["statusCode"] == 200
    body = response["body"]
    assert "event: delta" in body
    assert "Half an ans" in body
    end = json.loads(body.split("event: end\n", 1)[1].split("data: ", 1)[1].split("\n", 1)[0])
    assert end["status"] == "stopped"
    assert end["notice"]  # the localized "stopped" notice from lambda_chatgpt.texts
    loaded = json.loads(modules_line)
    assert any(path.endswith("lambda_chatgpt/texts.py") for path in loaded)
    assert all(path.startswith(str(asset)) for path in loaded)


def test_cloudfront_waits_for_a_whole_long_poll(synth: Synth) -> None:
    """CloudFront gives the origin 30 s by default before it answers 504 (OriginReadTimeout): more
    than the answers Lambda's timeout, so a long poll that waits its 20 s is never cut off."""
    _, distribution = only(synth.template, "AWS::CloudFront::Distribution")
    config = props(distribution)["DistributionConfig"]
    (behaviour,) = [b for b in config["CacheBehaviors"] if b["PathPattern"] == "/chat/*"]
    (origin,) = [o for o in config["Origins"] if o["Id"] == behaviour["TargetOriginId"]]
    assert origin["CustomOriginConfig"].get("OriginReadTimeout", 30) > ANSWERS_LAMBDA_TIMEOUT_SECONDS
