"""The answer worker: the Lambda that writes a streamed LLM answer after the code hook has returned.

The code hook creates the answer record and invokes this Lambda asynchronously
(`InvocationType=Event`, event `{"answerId": ...}`); the worker claims the record, streams the
LLM's answer into the table and finishes it (docs/streaming-design.md). It runs the code hook's own
asset (`lambda_chatgpt.worker.handler`) with the code hook's LLM settings, secret or Bedrock model
(`bedrock:InvokeModelWithResponseStream` only: it always streams), and:

- timeout = `answerDeadlineSeconds` + a margin, within Lambda's 900 s (budgets.py);
- no retries of a failed invocation (a retry would find its record claimed and exit, after the
  reader was already told it failed) and events older than a minute are dropped (a reader reports
  an answer still unclaimed after `UNCLAIMED_AFTER_SECONDS` as failed anyway; 60 s is the least
  Lambda accepts: https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html);
- reserved concurrency (`answerWorkerReservedConcurrency`): at most that many answers being written
  at once, the LLM spending cap. A throttled async event waits in Lambda's queue, up to the age.
"""

from __future__ import annotations

from pathlib import Path

from aws_cdk import Duration
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from .answer_table import AnswerTable
from .code_hook import CodeHook
from .config import ChatbotConfig
from .python_function import PythonPackageFunction

WORKER_HANDLER = "lambda_chatgpt.worker.handler"
WORKER_VARIABLE = "ANSWER_WORKER_FUNCTION"
DEADLINE_VARIABLE = "ANSWER_DEADLINE_SECONDS"
IDLE_VARIABLE = "ANSWER_IDLE_SECONDS"
MAX_EVENT_AGE = Duration.seconds(60)
SERVICE_NAME = "answer-worker"


class AnswerWorker(Construct):
    """The worker Lambda; `grant_invoke(function)` lets a Lambda start it (and tells it the name)."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        project_root: Path,
        code_hook: CodeHook,
        table: AnswerTable,
        config: ChatbotConfig,
    ) -> None:
        super().__init__(scope, id)
        streaming = config.streaming
        handler = PythonPackageFunction(
            self,
            "Handler",
            package_dir=project_root / "lambda_chatgpt",
            handler=WORKER_HANDLER,
            code=code_hook.code,
            description="Streamed LLM answers: writes one answer into the answer table, piece by piece",
            requirements=(),
            bundle=config.bundle,
            environment={
                **code_hook.llm_environment,
                DEADLINE_VARIABLE: str(streaming.answer_deadline_seconds),
                IDLE_VARIABLE: str(streaming.answer_idle_seconds),
                "POWERTOOLS_SERVICE_NAME": SERVICE_NAME,
            },
            timeout=Duration.seconds(streaming.worker_timeout_seconds),
            memory_mb=config.lambda_memory_mb,
            log_retention_days=config.log_retention_days,
        )
        self.function = handler.function
        self.role = handler.role
        self.function.configure_async_invoke(retry_attempts=0, max_event_age=MAX_EVENT_AGE)
        cfn_function = self.function.node.default_child
        if not isinstance(cfn_function, lambda_.CfnFunction):
            raise TypeError("the answer worker's default child is not an AWS::Lambda::Function")
        if streaming.worker_reserved_concurrency is not None:
            cfn_function.reserved_concurrent_executions = streaming.worker_reserved_concurrency
        code_hook.grant_llm(handler.role, bedrock_action="bedrock:InvokeModelWithResponseStream")
        table.grant(self.function, "worker")

    def grant_invoke(self, function: lambda_.Function) -> None:
        """`lambda:InvokeFunction` on this function's ARN only (no version or alias: the callers
        invoke $LATEST by name), and ANSWER_WORKER_FUNCTION in the caller's environment."""
        function.add_to_role_policy(
            iam.PolicyStatement(actions=["lambda:InvokeFunction"], resources=[self.function.function_arn])
        )
        function.add_environment(WORKER_VARIABLE, self.function.function_name)
