"""The dashboard and alarms: they exist and watch the metrics the Lambdas really write.

The metric names come from the Lambdas' own metrics modules, so a renamed metric in a Lambda fails
here instead of leaving an alarm watching nothing. `alarmed` is the stack with `alarmEmail` set: the
SNS topic, its key and the e-mail subscription, cdk-nag and cfn-lint clean.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from cdk_nag import AwsSolutionsChecks
from cfnlint.api import ManualArgs, lint

from cdk_chatbot import observability
from cdk_chatbot.config import ChatbotConfig, ConfigError
from lambda_chatgpt import metrics as llm_metrics
from lambda_codehook import metrics as handler_metrics
from lambda_lex import metrics as chat_metrics
from tests.infra.cfn import function_by_handler, only, props, render, resources
from tests.infra.conftest import VARIANT_MODEL, Synth, _synth, cdk_context

ALARM_EMAIL = "chatbot-ops@example.com"
LINT_REGIONS = ["us-east-1", "ap-northeast-2"]


@pytest.fixture(scope="module")
def alarmed(tmp_path_factory: pytest.TempPathFactory) -> Synth:
    context = {**cdk_context(), "stackName": "ChatbotAlarmed", "alarmEmail": ALARM_EMAIL}
    return _synth(tmp_path_factory.mktemp("cdk-out-alarmed"), context)


def alarms(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {k: props(v) for k, v in resources(template, "AWS::CloudWatch::Alarm").items()}


def dimensions(metric: dict[str, Any]) -> dict[str, Any]:
    return {d["Name"]: d["Value"] for d in metric.get("Dimensions", [])}


def alarm_on(template: dict[str, Any], namespace: str, metric: str, **dims: Any) -> dict[str, Any]:
    """The one single-metric alarm on this metric with exactly these dimensions."""
    found = [
        alarm
        for alarm in alarms(template).values()
        if (alarm.get("Namespace"), alarm.get("MetricName")) == (namespace, metric)
        and dimensions(alarm) == dims
    ]
    assert len(found) == 1, (metric, dims, len(found))
    return found[0]


def llm_dims(stack: Synth, system: str = "openai", model: str = "gpt-4.1-mini") -> dict[str, str]:
    return {"service": "code-hook", "gen_ai.system": system, "gen_ai.request.model": model}


def test_the_observability_names_are_the_ones_the_lambdas_write() -> None:
    assert (observability.TURNS, observability.FALLBACK_TURNS, observability.CHAT_ERRORS) == (
        chat_metrics.TURNS,
        chat_metrics.FALLBACK_TURNS,
        chat_metrics.CHAT_ERRORS,
    )
    assert (
        observability.LLM_CALLS,
        observability.LLM_DURATION,
        observability.LLM_TIME_TO_FIRST_TOKEN,
        observability.TOKEN_USAGE,
    ) == (
        llm_metrics.LLM_CALLS,
        llm_metrics.OPERATION_DURATION,
        llm_metrics.TIME_TO_FIRST_TOKEN,
        llm_metrics.TOKEN_USAGE,
    )
    assert observability.HANDLER_ERRORS == handler_metrics.HANDLER_ERRORS
    assert (observability.CHAT_SERVICE, observability.CODE_HOOK_SERVICE) == (
        chat_metrics.SERVICE,
        llm_metrics.SERVICE,
    )
    assert observability.LLM_OUTCOMES == llm_metrics.OUTCOMES
    assert dict(llm_metrics.GEN_AI_SYSTEMS) == observability.GEN_AI_SYSTEMS


def test_every_function_writes_metrics_in_the_stacks_namespace(synth: Synth) -> None:
    """The worker writes a streamed turn's LLM metrics like the fallback's (same names, same namespace)."""
    for handler in (
        "lambda_lex.handler.handler",
        "lambda_codehook.handler.handler",
        "lambda_chatgpt.worker.handler",
        "lambda_answers.handler.handler",
    ):
        _, function = function_by_handler(synth.template, handler)
        variables = props(function)["Environment"]["Variables"]
        assert variables["METRICS_NAMESPACE"] == synth.stack_name, handler


def test_a_dashboard_shows_turns_llm_tokens_and_throttles(synth: Synth) -> None:
    _, dashboard = only(synth.template, "AWS::CloudWatch::Dashboard")
    body = render(props(dashboard)["DashboardBody"])
    for name in (
        chat_metrics.TURNS,
        chat_metrics.FALLBACK_TURNS,
        llm_metrics.LLM_CALLS,
        llm_metrics.OPERATION_DURATION,
        llm_metrics.TIME_TO_FIRST_TOKEN,
        llm_metrics.TOKEN_USAGE,
        handler_metrics.HANDLER_ERRORS,
        observability.API_THROTTLED,
        "5XXError",
    ):
        assert f'"{name}"' in body, name
    assert f'"{synth.stack_name}"' in body  # the namespace
    for locale in synth.definition.locale_ids:
        assert f'"locale","{locale}"' in body, locale


def test_chat_5xx_rate_alarm_watches_the_api_stage(synth: Synth) -> None:
    _, api = only(synth.template, "AWS::ApiGateway::RestApi")
    stage_id, _ = only(synth.template, "AWS::ApiGateway::Stage")
    dims = {"ApiName": props(api)["Name"], "Stage": {"Ref": stage_id}}
    rate = [
        a
        for a in alarms(synth.template).values()
        if a.get("Statistic") == "Average" and dimensions(a) == dims
    ]
    [alarm] = rate
    assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/ApiGateway", "5XXError")
    assert (alarm["Threshold"], alarm["ComparisonOperator"]) == (0.05, "GreaterThanThreshold")


def test_chat_5xx_errors_alarm_counts_them(synth: Synth) -> None:
    _, api = only(synth.template, "AWS::ApiGateway::RestApi")
    stage_id, _ = only(synth.template, "AWS::ApiGateway::Stage")
    dims = {"ApiName": props(api)["Name"], "Stage": {"Ref": stage_id}}
    [alarm] = [
        a for a in alarms(synth.template).values() if a.get("Statistic") == "Sum" and dimensions(a) == dims
    ]
    assert (alarm["MetricName"], alarm["Threshold"]) == ("5XXError", observability.API_5XX_COUNT)


def test_llm_failures_alarm_adds_failed_and_timed_out_calls(synth: Synth) -> None:
    [alarm] = [a for a in alarms(synth.template).values() if "Metrics" in a]
    stats = {m["Id"]: m["MetricStat"]["Metric"] for m in alarm["Metrics"] if "MetricStat" in m}
    [expression] = [m["Expression"] for m in alarm["Metrics"] if "Expression" in m]
    assert set(stats) == {"failed", "timeout"}
    for outcome, metric in stats.items():
        assert (metric["Namespace"], metric["MetricName"]) == (synth.stack_name, llm_metrics.LLM_CALLS)
        assert dimensions(metric) == {**llm_dims(synth), "outcome": outcome}
        assert f"FILL({outcome}, 0)" in expression
    assert alarm["Threshold"] == observability.LLM_FAILURES


def test_llm_p99_latency_alarm_is_below_the_deadline(synth: Synth) -> None:
    """On time to first token: equal to the duration of a synchronous answer, while a streamed one's
    duration (the same metric) runs past the synchronous deadline by design."""
    alarm = alarm_on(
        synth.template,
        synth.stack_name,
        llm_metrics.TIME_TO_FIRST_TOKEN,
        **llm_dims(synth),
        outcome="answered",
    )
    assert alarm["ExtendedStatistic"] == "p99"
    assert alarm["Threshold"] == pytest.approx(synth.context["llmDeadlineSeconds"] * 0.8)
    assert alarm["ComparisonOperator"] == "GreaterThanThreshold"


def test_llm_dimensions_follow_the_configured_provider_and_model(variant: Synth) -> None:
    dims = llm_dims(variant, system="aws.bedrock", model=VARIANT_MODEL)
    alarm = alarm_on(
        variant.template, variant.stack_name, llm_metrics.TIME_TO_FIRST_TOKEN, **dims, outcome="answered"
    )
    assert alarm["ExtendedStatistic"] == "p99"


def test_api_gateway_429s_are_counted_from_the_access_log(synth: Synth) -> None:
    _, metric_filter = only(synth.template, "AWS::Logs::MetricFilter")
    [transformation] = props(metric_filter)["MetricTransformations"]
    assert (transformation["MetricNamespace"], transformation["MetricName"]) == (
        synth.stack_name,
        observability.API_THROTTLED,
    )
    assert props(metric_filter)["FilterPattern"] == '{ $.status = "429" }'
    _, api_stage = only(synth.template, "AWS::ApiGateway::Stage")
    destination = json.dumps(props(api_stage)["AccessLogSetting"]["DestinationArn"])
    assert json.dumps(props(metric_filter)["LogGroupName"]) in destination  # the stage's access log
    alarm = alarm_on(synth.template, synth.stack_name, observability.API_THROTTLED)
    assert alarm["Threshold"] == observability.THROTTLES


def test_lex_throttles_alarm_watches_the_throttled_error_answers(synth: Synth) -> None:
    alarm = alarm_on(
        synth.template,
        synth.stack_name,
        chat_metrics.CHAT_ERRORS,
        **{"service": "chat-api", "error.type": "throttled"},
    )
    assert (alarm["Statistic"], alarm["Threshold"]) == ("Sum", observability.THROTTLES)


def test_llm_rate_limits_alarm(synth: Synth) -> None:
    dims = {**llm_dims(synth), "outcome": "rate_limited"}
    alarm = alarm_on(synth.template, synth.stack_name, llm_metrics.LLM_CALLS, **dims)
    assert alarm["Threshold"] == observability.THROTTLES


def test_handler_errors_alarm(synth: Synth) -> None:
    alarm = alarm_on(synth.template, synth.stack_name, handler_metrics.HANDLER_ERRORS, service="code-hook")
    assert alarm["Threshold"] == observability.HANDLER_ERROR_COUNT


@pytest.mark.parametrize(
    "handler",
    [
        "lambda_lex.handler.handler",
        "lambda_codehook.handler.handler",
        "lambda_chatgpt.worker.handler",
        "lambda_answers.handler.handler",
    ],
)
@pytest.mark.parametrize("metric", ["Errors", "Throttles"])
def test_lambda_errors_and_throttles_alarms_for_every_function(
    synth: Synth, handler: str, metric: str
) -> None:
    function_id, _ = function_by_handler(synth.template, handler)
    alarm = alarm_on(synth.template, "AWS/Lambda", metric, FunctionName={"Ref": function_id})
    assert (alarm["Statistic"], alarm["Threshold"], alarm["ComparisonOperator"]) == (
        "Sum",
        1,
        "GreaterThanOrEqualToThreshold",
    )


def test_the_answer_worker_alarms_near_its_timeout_and_on_dropped_events(synth: Synth) -> None:
    function_id, function = function_by_handler(synth.template, "lambda_chatgpt.worker.handler")
    timeout_ms = props(function)["Timeout"] * 1000
    near = alarm_on(synth.template, "AWS/Lambda", "Duration", FunctionName={"Ref": function_id})
    assert near["Statistic"] == "Maximum"
    assert 0.8 * timeout_ms <= near["Threshold"] < timeout_ms
    dropped = alarm_on(synth.template, "AWS/Lambda", "AsyncEventsDropped", FunctionName={"Ref": function_id})
    assert (dropped["Statistic"], dropped["Threshold"], dropped["ComparisonOperator"]) == (
        "Sum",
        1,
        "GreaterThanOrEqualToThreshold",
    )


def test_the_dashboard_shows_the_answer_worker(synth: Synth) -> None:
    function_id, _ = function_by_handler(synth.template, "lambda_chatgpt.worker.handler")
    _, dashboard = only(synth.template, "AWS::CloudWatch::Dashboard")
    body = render(props(dashboard)["DashboardBody"])
    assert "Answer worker duration" in body
    assert f"${{{function_id}}}" in body
    assert "AsyncEventsDropped" in body


def test_without_alarm_email_there_is_no_topic_and_no_action(synth: Synth) -> None:
    assert synth.context["alarmEmail"] == ""
    assert not resources(synth.template, "AWS::SNS::Topic")
    assert not resources(synth.template, "AWS::KMS::Key")
    assert all("AlarmActions" not in alarm for alarm in alarms(synth.template).values())


def test_with_alarm_email_every_alarm_notifies_an_encrypted_topic_that_mails_it(alarmed: Synth) -> None:
    topic_id, topic = only(alarmed.template, "AWS::SNS::Topic")
    key_id, key = only(alarmed.template, "AWS::KMS::Key")
    assert props(topic)["KmsMasterKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}
    assert props(key)["EnableKeyRotation"] is True
    _, subscription = only(alarmed.template, "AWS::SNS::Subscription")
    assert (props(subscription)["Protocol"], props(subscription)["Endpoint"]) == ("email", ALARM_EMAIL)
    assert props(subscription)["TopicArn"] == {"Ref": topic_id}
    all_alarms = alarms(alarmed.template)
    assert len(all_alarms) == 18
    for logical_id, alarm in all_alarms.items():
        assert alarm["AlarmActions"] == [{"Ref": topic_id}], logical_id


def cloudwatch_statement(statements: list[dict[str, Any]]) -> dict[str, Any]:
    [granted] = [s for s in statements if s.get("Principal") == {"Service": "cloudwatch.amazonaws.com"}]
    return granted


def assert_only_this_accounts_alarms(statement: dict[str, Any]) -> None:
    conditions = statement["Condition"]
    assert conditions["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
    assert render(conditions["ArnLike"]["aws:SourceArn"]).endswith(
        ":cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:*"
    )


def test_cloudwatch_may_use_the_topics_key_for_this_accounts_alarms(alarmed: Synth) -> None:
    _, key = only(alarmed.template, "AWS::KMS::Key")
    granted = cloudwatch_statement(props(key)["KeyPolicy"]["Statement"])
    assert set(granted["Action"]) == {"kms:Decrypt", "kms:GenerateDataKey*"}
    assert_only_this_accounts_alarms(granted)


def test_cloudwatch_may_publish_to_the_topic_for_this_accounts_alarms(alarmed: Synth) -> None:
    topic_id, _ = only(alarmed.template, "AWS::SNS::Topic")
    _, policy = only(alarmed.template, "AWS::SNS::TopicPolicy")
    statements = props(policy)["PolicyDocument"]["Statement"]
    granted = cloudwatch_statement(statements)
    assert (granted["Effect"], granted["Action"], granted["Resource"]) == (
        "Allow",
        "sns:Publish",
        {"Ref": topic_id},
    )
    assert_only_this_accounts_alarms(granted)
    [tls] = [s for s in statements if s["Effect"] == "Deny"]
    assert tls["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_the_alarmed_stack_is_cdk_nag_and_cfn_lint_clean(alarmed: Synth) -> None:
    report = json.loads((alarmed.outdir / "validation-report.json").read_text())
    assert report["pluginReports"] == []
    result = AwsSolutionsChecks().validate_scope(alarmed.app)
    assert [violation.rule_name for violation in result.violations] == []
    matches = lint(
        json.dumps(alarmed.template), config=ManualArgs(regions=LINT_REGIONS, ignore_checks=["W3005", "I"])
    )
    assert not matches, "\n".join(str(m) for m in matches)


@pytest.mark.parametrize("bad", ["not-an-address", "a@b", "two@@example.com", "me@example.com extra"])
def test_a_bad_alarm_email_is_refused_naming_the_key(bad: str) -> None:
    with pytest.raises(ConfigError, match="alarmEmail"):
        ChatbotConfig.from_mapping({**cdk_context(), "alarmEmail": bad})


def test_an_alarm_email_is_read_from_context() -> None:
    config = ChatbotConfig.from_mapping({**cdk_context(), "alarmEmail": ALARM_EMAIL})
    assert config.alarm_email == ALARM_EMAIL
