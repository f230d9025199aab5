"""What an operator watches the bot with: a CloudWatch dashboard and alarms, and optionally an e-mail.

The Lambdas write their metrics as EMF records (`lambda_lex.metrics`, `lambda_chatgpt.metrics`,
`lambda_codehook.metrics`) in the namespace this construct gives them (`METRICS_NAMESPACE`); the
names below must match theirs (an infra test compares them). API Gateway's stage throttling never
reaches a Lambda, so its 429 answers are counted from the access log by a metric filter.

Alarms (each on a 5-minute period, missing data = fine): /chat 5xx rate and 5xx count (API
Gateway), LLM failures (failed + timed-out calls), LLM p99 time to first token (above 80 % of the
LLM deadline; for a synchronous answer that is its duration),
throttles (API Gateway 429s, Lex throttles, LLM rate limits), intent-handler errors, and errors and
throttles of every Lambda. For streamed answers, also: the answer worker's longest run near its
timeout (90 %: Lambda is about to kill an answer mid-stream) and async events Lambda dropped
(answers that never started: throttled past the event age). With an `alarm_email`, they notify an
SNS topic encrypted with a KMS key of its own (CloudWatch cannot publish to a topic under the
AWS-managed SNS key) that e-mails it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from aws_cdk import ArnFormat, Duration, RemovalPolicy, Stack
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

NAMESPACE_VARIABLE = "METRICS_NAMESPACE"
CHAT_SERVICE = "chat-api"
CODE_HOOK_SERVICE = "code-hook"
# Metric and dimension names, as the Lambdas' metrics modules write them.
TURNS = "chatbot.turns"
FALLBACK_TURNS = "chatbot.turns.fallback"
CHAT_ERRORS = "chatbot.chat.errors"
LLM_CALLS = "chatbot.llm.calls"
LLM_DURATION = "gen_ai.client.operation.duration"
LLM_TIME_TO_FIRST_TOKEN = "chatbot.llm.time_to_first_token"  # noqa: S105 - a metric name
TOKEN_USAGE = "gen_ai.client.token.usage"  # noqa: S105 - a metric name
HANDLER_ERRORS = "chatbot.handler.errors"
API_THROTTLED = "chatbot.api.throttled"  # from the access log's 429s (a metric filter)
SOURCES = ("lex", "llm", "handler", "notice")
LLM_OUTCOMES = ("answered", "timeout", "rate_limited", "failed", "not_configured")
GEN_AI_SYSTEMS = {"openai": "openai", "bedrock": "aws.bedrock"}

PERIOD = Duration.minutes(5)
# Alarm thresholds (per 5 minutes).
API_5XX_RATE = 0.05
API_5XX_COUNT = 5
LLM_FAILURES = 3
LLM_P99_SHARE_OF_DEADLINE = 0.8
THROTTLES = 10
HANDLER_ERROR_COUNT = 3
LAMBDA_ERRORS = 1
LAMBDA_THROTTLES = 1
WORKER_DURATION_SHARE_OF_TIMEOUT = 0.9
WORKER_EVENTS_DROPPED = 1


@dataclass(frozen=True)
class StreamedAnswers:
    """The Lambdas of streamed answers: the worker (and its timeout) and the read routes' Lambda."""

    worker: lambda_.Function
    worker_timeout_seconds: int
    answers: lambda_.Function


@dataclass(frozen=True)
class LlmTarget:
    """The LLM the code hook calls, as its metrics' dimensions name it."""

    provider: str
    model: str
    deadline_seconds: int

    @property
    def dimensions(self) -> dict[str, str]:
        return {
            "service": CODE_HOOK_SERVICE,
            "gen_ai.system": GEN_AI_SYSTEMS.get(self.provider, self.provider),
            "gen_ai.request.model": self.model,
        }


class Observability(Construct):
    """Dashboard, alarms and (with `alarm_email`) their SNS topic; sets METRICS_NAMESPACE on both
    functions. `alarms` maps each alarm's id to it."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        namespace: str,
        chat_function: lambda_.Function,
        code_hook_function: lambda_.Function,
        api: apigw.RestApi,
        access_logs: logs.ILogGroup,
        llm: LlmTarget,
        locale_ids: Sequence[str],
        alarm_email: str = "",
        streamed: StreamedAnswers | None = None,
    ) -> None:
        super().__init__(scope, id)
        self.namespace = namespace
        functions = [("ChatFunction", chat_function), ("CodeHookFunction", code_hook_function)]
        if streamed is not None:
            functions.append(("AnswerWorkerFunction", streamed.worker))
            functions.append(("AnswersFunction", streamed.answers))
        for _, function in functions:
            function.add_environment(NAMESPACE_VARIABLE, namespace)
        logs.MetricFilter(
            self,
            "ApiThrottled",
            log_group=access_logs,
            metric_namespace=namespace,
            metric_name=API_THROTTLED,
            filter_pattern=logs.FilterPattern.string_value("$.status", "=", "429"),
            metric_value="1",
        )
        stage = api.deployment_stage
        chat = {"service": CHAT_SERVICE}

        def outcome(name: str) -> cw.Metric:
            return self.metric(LLM_CALLS, {**llm.dimensions, "outcome": name})

        self.alarms: dict[str, cw.Alarm] = {}
        self._alarm(
            "ChatApi5xxRate",
            stage.metric_server_error(period=PERIOD, statistic="Average"),
            API_5XX_RATE,
            "More than 5 % of POST /chat requests answered 5xx",
            strictly_above=True,
        )
        self._alarm(
            "ChatApi5xxErrors",
            stage.metric_server_error(period=PERIOD, statistic="Sum"),
            API_5XX_COUNT,
            "POST /chat answered 5xx several times",
        )
        self._alarm(
            "LlmFailures",
            cw.MathExpression(
                expression="FILL(failed, 0) + FILL(timeout, 0)",
                using_metrics={"failed": outcome("failed"), "timeout": outcome("timeout")},
                label="LLM calls failed or timed out",
                period=PERIOD,
            ),
            LLM_FAILURES,
            "LLM calls failed or timed out (users got a notice instead of an answer)",
        )
        # Time to first token, not the call's duration: a synchronous answer's first token is its
        # whole answer (the two are equal), while a streamed answer runs far past the synchronous
        # deadline by design (its own limit is the worker's; AnswerWorkerNearTimeout watches it).
        self._alarm(
            "LlmLatencyP99",
            self.metric(LLM_TIME_TO_FIRST_TOKEN, {**llm.dimensions, "outcome": "answered"}, statistic="p99"),
            round(llm.deadline_seconds * LLM_P99_SHARE_OF_DEADLINE, 1),
            "LLM p99 time to first token (a synchronous answer's whole time) is close to the LLM deadline",
            strictly_above=True,
        )
        self._alarm(
            "ApiThrottles",
            self.metric(API_THROTTLED, {}),
            THROTTLES,
            "API Gateway throttled POST /chat (429): raise throttleRateLimit or find the flooding client",
        )
        self._alarm(
            "LexThrottles",
            self.metric(CHAT_ERRORS, {**chat, "error.type": "throttled"}),
            THROTTLES,
            "Lex throttled RecognizeText (users got 429 throttled)",
        )
        self._alarm(
            "LlmRateLimited",
            outcome("rate_limited"),
            THROTTLES,
            "The LLM provider rate-limited the fallback (users got a notice)",
        )
        self._alarm(
            "HandlerErrors",
            self.metric(HANDLER_ERRORS, {"service": CODE_HOOK_SERVICE}),
            HANDLER_ERROR_COUNT,
            "Intent handlers raised, timed out or answered something Lex rejects",
        )
        for name, function in functions:
            self._alarm(
                f"{name}Errors",
                function.metric_errors(period=PERIOD, statistic="Sum"),
                LAMBDA_ERRORS,
                f"The {name} Lambda failed (an invocation error, not a handled one)",
            )
            self._alarm(
                f"{name}Throttles",
                function.metric_throttles(period=PERIOD, statistic="Sum"),
                LAMBDA_THROTTLES,
                f"The {name} Lambda was throttled (concurrency limit)",
            )
        if streamed is not None:
            self._worker_alarms(streamed)

        self.topic: sns.Topic | None = None
        if alarm_email:
            self.topic = self._topic(alarm_email)
            for alarm in self.alarms.values():
                alarm.add_alarm_action(cw_actions.SnsAction(self.topic))

        self.dashboard = cw.Dashboard(self, "Dashboard", default_interval=Duration.hours(3))
        self._widgets(stage, chat, llm, locale_ids, chat_function, code_hook_function)
        if streamed is not None:
            self._worker_widgets(streamed)

    def metric(
        self, name: str, dimensions: Mapping[str, str], *, statistic: str = "Sum", label: str | None = None
    ) -> cw.Metric:
        """A metric of this namespace over the construct's period."""
        return cw.Metric(
            namespace=self.namespace,
            metric_name=name,
            dimensions_map=dict(dimensions) or None,
            statistic=statistic,
            period=PERIOD,
            label=label,
        )

    def _alarm(
        self,
        id: str,
        metric: cw.IMetric,
        threshold: float,
        description: str,
        *,
        strictly_above: bool = False,
    ) -> None:
        self.alarms[id] = cw.Alarm(
            self,
            id,
            metric=metric,
            threshold=threshold,
            evaluation_periods=1,
            comparison_operator=(
                cw.ComparisonOperator.GREATER_THAN_THRESHOLD
                if strictly_above
                else cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD
            ),
            treat_missing_data=cw.TreatMissingData.NOT_BREACHING,
            alarm_description=description,
        )

    def _worker_alarms(self, streamed: StreamedAnswers) -> None:
        worker = streamed.worker
        limit_ms = streamed.worker_timeout_seconds * 1000 * WORKER_DURATION_SHARE_OF_TIMEOUT
        self._alarm(
            "AnswerWorkerNearTimeout",
            worker.metric_duration(period=PERIOD, statistic="Maximum"),
            round(limit_ms),
            "An answer worker ran for 90 % of its timeout: raise answerDeadlineSeconds or find the slow LLM",
        )
        self._alarm(
            "AnswerWorkerEventsDropped",
            worker.metric("AsyncEventsDropped", period=PERIOD, statistic="Sum"),
            WORKER_EVENTS_DROPPED,
            "Lambda dropped answer-worker events (throttled past their age): those answers never started",
        )

    def _worker_widgets(self, streamed: StreamedAnswers) -> None:
        worker = streamed.worker
        durations = [
            worker.metric_duration(period=PERIOD, statistic=stat).with_(label=f"duration {stat}")
            for stat in ("p50", "p99", "Maximum")
        ]
        runs = [
            worker.metric_invocations(period=PERIOD).with_(label="answers started"),
            worker.metric_errors(period=PERIOD).with_(label="worker errors"),
            worker.metric_throttles(period=PERIOD).with_(label="worker throttles"),
            worker.metric("AsyncEventsDropped", period=PERIOD, statistic="Sum").with_(label="events dropped"),
        ]
        reads = [
            streamed.answers.metric_invocations(period=PERIOD).with_(label="answer reads"),
            streamed.answers.metric_errors(period=PERIOD).with_(label="answer read errors"),
        ]
        self.dashboard.add_widgets(
            cw.GraphWidget(
                title="Answer worker duration (ms)",
                left=durations,
                left_annotations=[
                    cw.HorizontalAnnotation(value=streamed.worker_timeout_seconds * 1000, label="timeout")
                ],
                width=8,
                height=6,
            ),
            cw.GraphWidget(title="Streamed answers", left=runs, width=8, height=6),
            cw.GraphWidget(title="Answer reads (long polls)", left=reads, width=8, height=6),
        )

    def _topic(self, email: str) -> sns.Topic:
        key = kms.Key(
            self,
            "AlarmTopicKey",
            description="Encrypts the chatbot's alarm topic; CloudWatch may use it to publish",
            enable_key_rotation=True,
            removal_policy=RemovalPolicy.DESTROY,
            pending_window=Duration.days(7),
        )
        # CloudWatch publishes alarm notifications as its service principal: only for this account's
        # alarms in this region (aws:SourceAccount / aws:SourceArn against the confused deputy).
        stack = Stack.of(self)
        alarms_here = {
            "StringEquals": {"aws:SourceAccount": stack.account},
            "ArnLike": {
                "aws:SourceArn": stack.format_arn(
                    service="cloudwatch",
                    resource="alarm",
                    resource_name="*",
                    arn_format=ArnFormat.COLON_RESOURCE_NAME,
                )
            },
        }
        cloudwatch = iam.ServicePrincipal("cloudwatch.amazonaws.com")
        key.add_to_resource_policy(
            iam.PolicyStatement(
                principals=[cloudwatch],
                actions=["kms:Decrypt", "kms:GenerateDataKey*"],
                resources=["*"],
                conditions=alarms_here,
            )
        )
        topic = sns.Topic(self, "AlarmTopic", master_key=key, enforce_ssl=True)
        topic.add_to_resource_policy(
            iam.PolicyStatement(
                principals=[cloudwatch],
                actions=["sns:Publish"],
                resources=[topic.topic_arn],
                conditions=alarms_here,
            )
        )
        topic.add_subscription(subscriptions.EmailSubscription(email))
        return topic

    def _widgets(
        self,
        stage: apigw.Stage,
        chat: Mapping[str, str],
        llm: LlmTarget,
        locale_ids: Sequence[str],
        chat_function: lambda_.Function,
        code_hook_function: lambda_.Function,
    ) -> None:
        turns = [
            self.metric(TURNS, {**chat, "locale": locale, "source": source}, label=f"{locale} {source}")
            for locale in locale_ids
            for source in SOURCES
        ]
        fallback_rate = cw.MathExpression(
            expression="100 * FILL(fallback, 0) / turns",
            using_metrics={"fallback": self.metric(FALLBACK_TURNS, chat), "turns": self.metric(TURNS, chat)},
            label="fallback turns, % of turns",
            period=PERIOD,
        )
        outcomes = [
            self.metric(LLM_CALLS, {**llm.dimensions, "outcome": name}, label=name) for name in LLM_OUTCOMES
        ]
        latency = [
            self.metric(LLM_DURATION, llm.dimensions, statistic=stat, label=f"duration {stat}")
            for stat in ("p50", "p90", "p99")
        ]
        latency.append(
            self.metric(
                LLM_TIME_TO_FIRST_TOKEN,
                {**llm.dimensions, "outcome": "answered"},
                statistic="p50",
                label="time to first token p50 (= duration when not streamed)",
            )
        )
        tokens = [
            self.metric(TOKEN_USAGE, {**llm.dimensions, "gen_ai.token.type": kind}, label=f"{kind} tokens")
            for kind in ("input", "output")
        ]
        throttles = [
            self.metric(API_THROTTLED, {}, label="API Gateway 429"),
            self.metric(CHAT_ERRORS, {**chat, "error.type": "throttled"}, label="Lex throttled"),
            self.metric(LLM_CALLS, {**llm.dimensions, "outcome": "rate_limited"}, label="LLM rate-limited"),
        ]
        errors = [
            self.metric(CHAT_ERRORS, chat, label="/chat error answers"),
            self.metric(HANDLER_ERRORS, {"service": CODE_HOOK_SERVICE}, label="intent handler errors"),
            chat_function.metric_errors(period=PERIOD).with_(label="/chat Lambda errors"),
            code_hook_function.metric_errors(period=PERIOD).with_(label="code-hook Lambda errors"),
        ]

        def graph(title: str, left: Sequence[cw.IMetric], *, stacked: bool = False) -> cw.GraphWidget:
            return cw.GraphWidget(title=title, left=list(left), width=8, height=6, stacked=stacked)

        self.dashboard.add_widgets(
            graph("Turns by locale and who answered", turns, stacked=True),
            graph("Fallback rate (%)", [fallback_rate]),
            graph(
                "POST /chat (API Gateway)",
                [
                    stage.metric_count(period=PERIOD).with_(label="requests"),
                    stage.metric_client_error(period=PERIOD, statistic="Sum").with_(label="4xx"),
                    stage.metric_server_error(period=PERIOD, statistic="Sum").with_(label="5xx"),
                ],
            ),
        )
        self.dashboard.add_widgets(
            graph("LLM calls by outcome", outcomes, stacked=True),
            graph("LLM latency (s)", latency),
            graph("LLM tokens", tokens, stacked=True),
        )
        self.dashboard.add_widgets(
            graph("Throttles", throttles),
            graph("Errors", errors),
            cw.AlarmStatusWidget(title="Alarms", alarms=list(self.alarms.values()), width=8, height=6),
        )
