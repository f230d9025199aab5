"""POST /chat: a REST API with Lambda proxy integration in front of the `lambda_lex` handler.

The handler may call only `lex:RecognizeText` and `lex:PutSession` (it records the turns the LLM did
not answer in the conversation memory), only on the `live` alias. The API throttles the
stage, writes access logs to a log group with retention and rejects bodies that are not a JSON
object before the Lambda runs. REST APIs cap bodies at 10 MB, so the 16 KB limit is the handler's
(it answers 413).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from aws_cdk import Duration, Stack
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_iam as iam
from constructs import Construct

from .config import ChatbotConfig
from .imports import import_closure
from .locks import project_lock
from .log_groups import log_group
from .nag import acknowledge
from .packaging import AssetPart
from .python_function import PythonPackageFunction

STAGE_NAME = "prod"
# Errors API Gateway answers itself, in the /chat error shape the handler uses (same codes).
GATEWAY_ERRORS: dict[str, tuple[str | None, str, str]] = {
    # response type: (status override, code, message)
    "BAD_REQUEST_BODY": (
        "400",
        "invalid_json",
        'The request body must be a JSON object like {"text": "hello"}.',
    ),
    "THROTTLED": ("429", "throttled", "Too many requests right now. Please wait a moment and try again."),
    "INTEGRATION_TIMEOUT": ("504", "upstream_timeout", "The bot took too long to answer. Please try again."),
    "DEFAULT_4XX": (None, "request_rejected", "The request was rejected. Send POST /chat with a JSON body."),
    "DEFAULT_5XX": (None, "upstream_failed", "The chat service failed. Please try again later."),
}

# Extra headers on those answers (static values in single quotes, as API Gateway wants them).
GATEWAY_ERROR_HEADERS: dict[str, dict[str, str]] = {
    "THROTTLED": {"Retry-After": "'1'"},
}


class ChatApi(Construct):
    """The /chat endpoint; `api` is what CloudFront forwards /chat to."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        package_dir: Path,
        project_root: Path,
        requirements: Sequence[str],
        config: ChatbotConfig,
        bot_id: str,
        bot_alias_id: str,
        bot_alias_arn: str,
        locale_ids: Sequence[str],
        method_options: Mapping[str, apigw.MethodDeploymentOptions] | None = None,
    ) -> None:
        """`method_options`: method-level settings of routes other constructs add to `api`, keyed
        `<path>/<METHOD>` (the stage is made here, so they are given up front)."""
        super().__init__(scope, id)
        # The project packages the handler imports (conversation memory, EMF metrics, the answer
        # store...), shipped whole beside it.
        shared = sorted(import_closure(project_root, package_dir.name).packages - {package_dir.name})
        handler = PythonPackageFunction(
            self,
            "Handler",
            package_dir=package_dir,
            description="POST /chat: relays the user's text to the Lex bot's live alias",
            requirements=requirements,
            bundle=config.bundle,
            environment={
                "BOT_ID": bot_id,
                "BOT_ALIAS_ID": bot_alias_id,
                "BOT_LOCALES": ",".join(locale_ids),
                "DEFAULT_LOCALE": config.default_locale,
                "LOG_USER_TEXT": "true" if config.log_user_text else "false",
                "CHAT_HISTORY_MESSAGES": str(config.llm_history_messages),
                "LEX_READ_TIMEOUT_SECONDS": str(config.lex_read_timeout_seconds),
                "LOG_LEVEL": config.log_level,
                "POWERTOOLS_SERVICE_NAME": "chat-api",
            },
            timeout=Duration.seconds(config.chat_timeout_seconds),
            memory_mb=config.lambda_memory_mb,
            log_retention_days=config.log_retention_days,
            lock_file=project_lock(project_root, package_dir.name),
            extra_parts=[AssetPart(name, source=project_root / name) for name in shared],
        )
        handler.role.add_to_principal_policy(
            iam.PolicyStatement(actions=["lex:RecognizeText", "lex:PutSession"], resources=[bot_alias_arn])
        )
        self.function = handler.function

        access_logs = log_group(self, "AccessLogs", retention_days=config.log_retention_days)
        self.access_logs = access_logs
        self.api = apigw.RestApi(
            self,
            "Api",
            rest_api_name=f"{Stack.of(self).stack_name}-chat",
            description="Chatbot /chat API (served through CloudFront)",
            endpoint_types=[apigw.EndpointType.REGIONAL],
            # API Gateway writes access logs through the account's CloudWatch role (one per account and
            # region): set it here (AWS::ApiGateway::Account), or leave the account's own alone.
            cloud_watch_role=config.api_gateway_cloud_watch_role,
            deploy_options=apigw.StageOptions(
                stage_name=STAGE_NAME,
                throttling_rate_limit=config.throttle_rate_limit,
                throttling_burst_limit=config.throttle_burst_limit,
                method_options=dict(method_options or {}),
                access_log_destination=apigw.LogGroupLogDestination(access_logs),
                access_log_format=apigw.AccessLogFormat.json_with_standard_fields(
                    caller=False,
                    http_method=True,
                    ip=True,
                    protocol=True,
                    request_time=True,
                    resource_path=True,
                    response_length=True,
                    status=True,
                    user=False,
                ),
            ),
        )
        # The stack outputs ChatApiUrl itself; drop the generic endpoint output RestApi adds.
        self.api.node.try_remove_child("Endpoint")
        body_is_object = self.api.add_model(
            "ChatRequest",
            content_type="application/json",
            description="Any JSON object; the handler checks the fields and the size",
            schema=apigw.JsonSchema(schema=apigw.JsonSchemaVersion.DRAFT4, type=apigw.JsonSchemaType.OBJECT),
        )
        validator = self.api.add_request_validator(
            "ValidateBody", validate_request_body=True, validate_request_parameters=True
        )
        for response_type, (status, code, message) in GATEWAY_ERRORS.items():
            self.api.add_gateway_response(
                response_type.title().replace("_", ""),
                type=apigw.ResponseType.of(response_type),
                status_code=status,
                templates={"application/json": json.dumps({"error": {"code": code, "message": message}})},
                response_headers=GATEWAY_ERROR_HEADERS.get(response_type),
            )
        chat = self.api.root.add_resource("chat")
        method = chat.add_method(
            "POST",
            apigw.LambdaIntegration(handler.function, proxy=True),
            request_validator=validator,
            request_models={"application/json": body_is_object},
        )
        self.url: str = self.api.url_for_path(chat.path)

        cloud_watch_role = self.api.node.try_find_child("CloudWatchRole")
        if cloud_watch_role is not None:
            acknowledge(
                cloud_watch_role,
                "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                "AmazonAPIGatewayPushToCloudWatchLogs]",
                "The role API Gateway needs to write access logs; AWS's managed policy is made for that.",
            )
        account = self.api.node.try_find_child("Account")
        if account is not None:
            # aws-cdk #2194: setting a role IAM has not propagated yet fails ("The role ARN does not have
            # required permissions"). The /chat Lambda comes after the Lex bot is built (it needs the
            # alias id), minutes after the role; the stage waits for that Lambda anyway, so this costs
            # no deploy time and gives IAM those minutes.
            account.node.add_dependency(handler.function)
        reason = "Public chat for anonymous web visitors; stage throttling bounds abuse."
        acknowledge(method, "AwsSolutions-APIG4", reason)
        acknowledge(method, "AwsSolutions-COG4", reason)
        stage = self.api.deployment_stage
        acknowledge(
            stage,
            "AwsSolutions-APIG6",
            "Execution logs would go to a log group API Gateway creates without retention; "
            "access logs plus the Lambda's own logs cover each request.",
        )
