"""The LLM fallback: the Lambda Lex calls for FallbackIntent, and the secret holding the API key.

The secret is created with no value at all (no SecretString, nothing generated), so the template
never holds a key. Until someone runs `aws secretsmanager put-secret-value`, GetSecretValue fails
with ResourceNotFoundException, which the Lambda reports as "LLM not configured".
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from aws_cdk import ArnFormat, Duration, Fn, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from .config import ChatbotConfig
from .nag import acknowledge
from .python_function import PythonPackageFunction


class LlmFallback(Construct):
    """Fallback Lambda (`lambda_chatgpt`) with read access to its key secret or its Bedrock model only."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        package_dir: Path,
        requirements: Sequence[str],
        config: ChatbotConfig,
    ) -> None:
        super().__init__(scope, id)
        secret = secretsmanager.CfnSecret(
            self,
            "ApiKeySecret",
            description=(
                "API key of the OpenAI-compatible LLM behind the chatbot's fallback. The stack creates "
                "it empty; set the key with aws secretsmanager put-secret-value."
            ),
        )
        secret.apply_removal_policy(RemovalPolicy.DESTROY)
        acknowledge(
            secret,
            "AwsSolutions-SMG4",
            "A third-party LLM API key cannot be rotated by a Lambda here; rotate it at the provider.",
        )
        self.secret_arn: str = secret.ref
        self.secret_name: str = _generated_secret_name(self, secret.ref)

        environment = {
            "LLM_PROVIDER": config.llm_provider,
            "LLM_MODEL": config.llm_model,
            "LLM_BASE_URL": config.llm_base_url,
            "LLM_MAX_TOKENS": str(config.llm_max_tokens),
            "LLM_DEADLINE_SECONDS": str(config.llm_deadline_seconds),
            "LLM_HISTORY_MESSAGES": str(config.llm_history_messages),
            "SECRET_TTL_SECONDS": str(config.secret_ttl_seconds),
            "LOG_LEVEL": config.log_level,
            "POWERTOOLS_SERVICE_NAME": "llm-fallback",
        }
        if config.llm_provider == "openai":
            environment["LLM_SECRET_NAME"] = self.secret_name
        if config.llm_system_prompt:
            environment["LLM_SYSTEM_PROMPT"] = config.llm_system_prompt

        handler = PythonPackageFunction(
            self,
            "Handler",
            package_dir=package_dir,
            description="Lex FallbackIntent code hook: answers with an LLM",
            requirements=requirements,
            bundle=config.bundle,
            environment=environment,
            timeout=Duration.seconds(config.fallback_timeout_seconds),
            memory_mb=config.lambda_memory_mb,
            log_retention_days=config.log_retention_days,
        )
        self.function: lambda_.IFunction = handler.function

        if config.llm_provider == "openai":
            handler.role.add_to_principal_policy(
                iam.PolicyStatement(actions=["secretsmanager:GetSecretValue"], resources=[secret.ref])
            )
        else:
            model_arn = Stack.of(self).format_arn(
                service="bedrock",
                account="",
                resource="foundation-model",
                resource_name=config.llm_model,
                arn_format=ArnFormat.SLASH_RESOURCE_NAME,
            )
            handler.role.add_to_principal_policy(
                iam.PolicyStatement(actions=["bedrock:InvokeModel"], resources=[model_arn])
            )


def _generated_secret_name(scope: Construct, secret_arn: str) -> str:
    """The name CloudFormation generated, `<LogicalId>-<random>`, cut out of the secret's ARN.

    The ARN ends in `secret:<name>-<6 chars Secrets Manager adds>`; a generated name has exactly
    one hyphen, so the name is the first two hyphen-separated segments (as aws-cdk-lib does it).
    """
    resource_name = Stack.of(scope).split_arn(secret_arn, ArnFormat.COLON_RESOURCE_NAME).resource_name
    segments = Fn.split("-", resource_name or "")
    return Fn.join("-", [Fn.select(0, segments), Fn.select(1, segments)])
