"""POST /chat on API Gateway: proxy integration, throttling from context, access logs, body validation."""

from __future__ import annotations

import json

import pytest

from tests.infra.cfn import function_by_handler, only, props, render, resources
from tests.infra.conftest import Synth


def test_api_is_regional_behind_cloudfront(synth: Synth) -> None:
    _, api = only(synth.template, "AWS::ApiGateway::RestApi")
    assert props(api)["EndpointConfiguration"] == {"Types": ["REGIONAL"]}


def test_post_chat_is_a_lambda_proxy_to_the_chat_handler(synth: Synth) -> None:
    function_id, _ = function_by_handler(synth.template, "lambda_lex.handler.handler")
    (resource_id,) = [
        k
        for k, v in resources(synth.template, "AWS::ApiGateway::Resource").items()
        if props(v)["PathPart"] == "chat"
    ]
    (method,) = [
        props(m)
        for m in resources(synth.template, "AWS::ApiGateway::Method").values()
        if props(m)["ResourceId"] == {"Ref": resource_id}
    ]
    assert method["HttpMethod"] == "POST"
    assert method["Integration"]["Type"] == "AWS_PROXY"
    assert method["Integration"]["IntegrationHttpMethod"] == "POST"
    assert f"${{{function_id}.Arn}}" in render(method["Integration"]["Uri"])


@pytest.mark.parametrize("fixture", ["synth", "variant"])
def test_stage_throttling_comes_from_context(fixture: str, request: pytest.FixtureRequest) -> None:
    synthesized: Synth = request.getfixturevalue(fixture)
    _, stage = only(synthesized.template, "AWS::ApiGateway::Stage")
    # The stage-wide setting; the answers' routes have their own (test_infra_answers_api.py).
    (settings,) = [s for s in props(stage)["MethodSettings"] if s["ResourcePath"] == "/*"]
    assert settings["HttpMethod"] == "*"
    assert settings["ThrottlingRateLimit"] == float(synthesized.context["throttleRateLimit"])
    assert settings["ThrottlingBurstLimit"] == int(synthesized.context["throttleBurstLimit"])


def test_stage_writes_access_logs_to_a_log_group_with_retention_and_no_execution_logs(synth: Synth) -> None:
    _, stage = only(synth.template, "AWS::ApiGateway::Stage")
    destination = render(props(stage)["AccessLogSetting"]["DestinationArn"])
    (log_group_id,) = [
        k for k in resources(synth.template, "AWS::Logs::LogGroup") if f"${{{k}}}" in destination
    ]
    assert (
        props(synth.template["Resources"][log_group_id])["RetentionInDays"]
        == synth.context["logRetentionDays"]
    )
    log_format = json.loads(props(stage)["AccessLogSetting"]["Format"])
    assert {"requestId", "status", "requestTime"} <= set(log_format)
    # Execution logs would land in a log group API Gateway creates without retention.
    for settings in props(stage)["MethodSettings"]:
        assert settings.get("LoggingLevel", "OFF") == "OFF"
        assert settings.get("DataTraceEnabled", False) is False


def test_request_body_must_be_a_json_object(synth: Synth) -> None:
    (method,) = [
        props(m)
        for m in resources(synth.template, "AWS::ApiGateway::Method").values()
        if "RequestModels" in props(m)  # POST /chat; the answers' routes take no body to validate
    ]
    assert method["HttpMethod"] == "POST"
    validator = props(synth.template["Resources"][method["RequestValidatorId"]["Ref"]])
    assert validator["ValidateRequestBody"] is True
    assert validator["ValidateRequestParameters"] is True
    model = props(synth.template["Resources"][method["RequestModels"]["application/json"]["Ref"]])
    assert model["ContentType"] == "application/json"
    assert model["Schema"]["type"] == "object"


def test_errors_api_gateway_answers_itself_have_the_chat_error_shape(synth: Synth) -> None:
    responses = {
        props(r)["ResponseType"]: props(r)
        for r in resources(synth.template, "AWS::ApiGateway::GatewayResponse").values()
    }
    expected = {
        "BAD_REQUEST_BODY": ("400", "invalid_json"),
        "THROTTLED": ("429", "throttled"),
        "INTEGRATION_TIMEOUT": ("504", "upstream_timeout"),
        "DEFAULT_4XX": (None, "request_rejected"),
        "DEFAULT_5XX": (None, "upstream_failed"),
    }
    assert set(responses) == set(expected)
    for response_type, (status, code) in expected.items():
        response = responses[response_type]
        assert response.get("StatusCode") == status, response_type
        body = json.loads(response["ResponseTemplates"]["application/json"])
        assert set(body) == {"error"}
        assert body["error"]["code"] == code
        assert body["error"]["message"]
    assert responses["THROTTLED"]["ResponseParameters"] == {"gatewayresponse.header.Retry-After": "'1'"}
