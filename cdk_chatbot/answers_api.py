"""The read side of streamed answers: routes under /chat on the chat API, to the `lambda_answers` Lambda.

    GET  /chat/answers/{id}?after=N         the answer's text after cursor N (SSE framing, long poll)
    POST /chat/answers/{id}/stop            ask the worker to stop
    POST /chat/answers/{id}/regenerate      a new answer to the same question (invokes the worker)
    GET  /chat/conversations/{sessionId}    a kept conversation, for a reload or a new tab

Lambda proxy integrations on the same REST API and stage as POST /chat, so the same web ACL guards
them (CloudFront-only origin header, per-client rate) and the same gateway error shapes apply; no
CORS (the page calls them from its own origin through CloudFront's `/chat/*` behaviour). Each route
has a method-level throttle (`answersThrottle*` for the reads, which a page repeats while an answer
streams, a few times a second per reader, so the default is sized for about twenty readers at once;
the stage's /chat limits for stop and regenerate). Authorization is the per-answer or
conversation token header the Lambda checks (a wrong token reads as an unknown id, no oracle).

The Lambda's asset holds `lambda_answers` and exactly the project modules it imports (imports.py).
Its long poll waits at most LONG_POLL_SECONDS; its timeout is inside API Gateway's 29 s (budgets.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from aws_cdk import Duration
from aws_cdk import aws_apigateway as apigw
from constructs import Construct

from .answer_table import AnswerTable
from .answer_worker import AnswerWorker
from .budgets import ANSWERS_LAMBDA_TIMEOUT_SECONDS
from .config import ChatbotConfig
from .imports import import_closure
from .locks import project_lock
from .nag import acknowledge
from .packaging import AssetPart
from .python_function import PythonPackageFunction

PACKAGE = "lambda_answers"
# Imported by lambda_chatgpt.worker_invoke only to run the worker in a thread (local mode); in AWS
# the answers Lambda invokes the worker Lambda, so the LLM client stays out of its asset.
LOCAL_ONLY_MODULES = ("lambda_chatgpt.worker",)
SERVICE_NAME = "chat-answers"
# What the answers Lambda reads of the code hook's settings: the secret's name, which the notice of
# an answer that failed as "not configured" tells the operator to fill.
SHARED_LLM_VARIABLES = ("LLM_SECRET_NAME",)


@dataclass(frozen=True)
class Route:
    path: str
    method: str
    reads: bool  # a read the page repeats while an answer streams (its own, higher throttle)


ROUTES = (
    Route("/chat/answers/{id}", "GET", reads=True),
    Route("/chat/answers/{id}/stop", "POST", reads=False),
    Route("/chat/answers/{id}/regenerate", "POST", reads=False),
    Route("/chat/conversations/{sessionId}", "GET", reads=True),
)


def method_options(config: ChatbotConfig) -> dict[str, apigw.MethodDeploymentOptions]:
    """The stage's method-level throttling of ROUTES, keyed `<path>/<METHOD>` as StageOptions wants."""
    options = {}
    for route in ROUTES:
        rate, burst = (
            (config.streaming.read_rate_limit, config.streaming.read_burst_limit)
            if route.reads
            else (config.throttle_rate_limit, config.throttle_burst_limit)
        )
        options[f"{route.path}/{route.method}"] = apigw.MethodDeploymentOptions(
            throttling_rate_limit=rate, throttling_burst_limit=burst
        )
    return options


def answers_asset_parts(project_root: Path) -> list[AssetPart]:
    """Every project file `lambda_answers` imports from other packages, one part per file."""
    closure = import_closure(project_root, PACKAGE, skip=LOCAL_ONLY_MODULES)
    return [
        AssetPart(path.as_posix(), source=project_root / path)
        for path in closure.files
        if path.parts[0] != PACKAGE
    ]


class AnswersApi(Construct):
    """The answers Lambda and its routes on `api`; `function` is the Lambda."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        project_root: Path,
        api: apigw.RestApi,
        requirements: Sequence[str],
        table: AnswerTable,
        worker: AnswerWorker,
        llm_environment: Mapping[str, str],
        config: ChatbotConfig,
    ) -> None:
        """`llm_environment` is the code hook's (SHARED_LLM_VARIABLES are taken from it)."""
        super().__init__(scope, id)
        handler = PythonPackageFunction(
            self,
            "Handler",
            package_dir=project_root / PACKAGE,
            description="GET/POST /chat/answers/... and /chat/conversations/...: streamed answers' reads",
            requirements=requirements,
            bundle=config.bundle,
            environment={
                "LOG_LEVEL": config.log_level,
                "POWERTOOLS_SERVICE_NAME": SERVICE_NAME,
                **{k: v for k, v in llm_environment.items() if k in SHARED_LLM_VARIABLES},
            },
            timeout=Duration.seconds(ANSWERS_LAMBDA_TIMEOUT_SECONDS),
            memory_mb=config.lambda_memory_mb,
            log_retention_days=config.log_retention_days,
            lock_file=project_lock(project_root, PACKAGE),
            extra_parts=answers_asset_parts(project_root),
        )
        self.function = handler.function
        table.grant(self.function, "answers")
        worker.grant_invoke(self.function)

        integration = apigw.LambdaIntegration(self.function, proxy=True, allow_test_invoke=False)
        reason = "Read by the answer's or the conversation's token header, checked in the Lambda."
        for route in ROUTES:
            resource = api.root.resource_for_path(route.path)
            method = resource.add_method(route.method, integration)
            acknowledge(method, "AwsSolutions-APIG4", reason)
            acknowledge(method, "AwsSolutions-COG4", reason)
