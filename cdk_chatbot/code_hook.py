"""The bot's code hook: the one Lambda Lex calls in every locale, and the secret of the LLM's API key.

Lex V2 allows one code-hook Lambda per locale, so this Lambda is a router (`lambda_codehook`):
FallbackIntent goes to the LLM fallback (`lambda_chatgpt`), an intent with a handler in the
`handlers/` folder beside the bot file to that handler (`lexhook` API), any other intent to Lex's
default. Its asset holds those packages, the handlers as the package `intent_handlers` and the bot
definition as `bot_definition.json`; the handlers are checked against the bot at synth, in a
child process (the CDK app never imports user code). Third-party packages the handlers import go
in `handlers/requirements.txt` (one `name==version` per line); they are bundled like the Lambda's own.

The secret is created with no value at all (no SecretString, nothing generated), so the template
never holds a key. Until someone runs `aws secretsmanager put-secret-value`, GetSecretValue fails
with ResourceNotFoundException, which the Lambda reports as "LLM not configured".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from aws_cdk import ArnFormat, Duration, Fn, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from .bot_definition import BotDefinition
from .config import ChatbotConfig, ConfigError
from .locks import handlers_lock, project_lock
from .nag import acknowledge
from .packaging import AssetPart, lambda_package_code
from .python_function import RUNTIME, PythonPackageFunction

ROUTER_PACKAGE = "lambda_codehook"
# Packages beside the router in the asset; conversation_memory only once it exists in the project.
SHARED_PACKAGES = (
    "lambda_chatgpt",
    "lexhook",
    "conversation_memory",
    "usage_store",
    "chat_metrics",
    "answer_store",
    "container_setup",
)
HANDLERS_PACKAGE = "intent_handlers"
DEFINITION_FILE = "bot_definition.json"
SECRET_LOGICAL_ID = "LlmFallbackApiKeySecret96A1D00E"  # noqa: S105 - a resource id, not a secret


class CodeHook(Construct):
    """Code-hook Lambda (`lambda_codehook`) with read access to its key secret or its Bedrock model only.

    `code` (the asset) and `llm_environment` are what the answer worker shares with it; `grant_llm`
    gives another role the same access to the LLM."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        project_root: Path,
        definition: BotDefinition,
        handlers_dir: Path | None,
        requirements: Sequence[str],
        config: ChatbotConfig,
    ) -> None:
        super().__init__(scope, id)
        definition_json = json.dumps(dict(definition.properties), ensure_ascii=False, indent=1).encode(
            "utf-8"
        )
        if handlers_dir is not None and handlers_dir.is_dir():
            check_handlers(project_root, definition_json, handlers_dir, definition.source)
        parts = [
            AssetPart(name, source=project_root / name)
            for name in SHARED_PACKAGES
            if (project_root / name / "__init__.py").is_file()
        ]
        if handlers_dir is not None and handlers_dir.is_dir():
            parts.append(AssetPart(HANDLERS_PACKAGE, source=handlers_dir, package=True))
        parts.append(AssetPart(DEFINITION_FILE, content=definition_json))
        secret = secretsmanager.CfnSecret(
            self,
            "ApiKeySecret",
            description=(
                "API key of the OpenAI-compatible LLM behind the chatbot's fallback. The stack creates "
                "it empty; set the key with aws secretsmanager put-secret-value."
            ),
        )
        secret.apply_removal_policy(RemovalPolicy.DESTROY)
        # The secret holds the key the user put in it: it keeps the logical id it had when this construct
        # was `LlmFallback`, so updating an older deployment does not replace it with an empty one.
        secret.override_logical_id(SECRET_LOGICAL_ID)
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
            "POWERTOOLS_SERVICE_NAME": "code-hook",
        }
        if config.llm_provider == "openai":
            environment["LLM_SECRET_NAME"] = self.secret_name
        if config.llm_system_prompt:
            environment["LLM_SYSTEM_PROMPT"] = config.llm_system_prompt

        # The handlers' packages and the code hook's own are locked together beside the handlers.
        extra_requirements = handler_requirements(handlers_dir)
        lock_file = (
            handlers_lock(handlers_dir)
            if handlers_dir is not None and extra_requirements
            else project_lock(project_root, ROUTER_PACKAGE)
        )
        self.code = lambda_package_code(
            project_root / ROUTER_PACKAGE,
            requirements=[*requirements, *extra_requirements],
            runtime=RUNTIME,
            bundle=config.bundle,
            extra_parts=parts,
            lock_file=lock_file,
        )
        self.llm_environment: dict[str, str] = {
            key: value for key, value in environment.items() if key != "POWERTOOLS_SERVICE_NAME"
        }
        self._secret_arn = secret.ref
        self._config = config
        handler = PythonPackageFunction(
            self,
            "Handler",
            package_dir=project_root / ROUTER_PACKAGE,
            description="Lex code hook: intent handlers, and an LLM answer for FallbackIntent",
            requirements=[*requirements, *extra_requirements],
            bundle=config.bundle,
            code=self.code,
            environment=environment,
            timeout=Duration.seconds(config.fallback_timeout_seconds),
            memory_mb=config.lambda_memory_mb,
            log_retention_days=config.log_retention_days,
        )
        self.function: lambda_.IFunction = handler.function
        self.grant_llm(handler.role, bedrock_action="bedrock:InvokeModel")

    def grant_llm(self, role: iam.IRole, *, bedrock_action: str) -> None:
        """Let `role` call the configured LLM: read the API key's secret (OpenAI-compatible), or
        `bedrock_action` on the one configured model (Bedrock)."""
        if self._config.llm_provider == "openai":
            role.add_to_principal_policy(
                iam.PolicyStatement(actions=["secretsmanager:GetSecretValue"], resources=[self._secret_arn])
            )
            return
        model_arn = Stack.of(self).format_arn(
            service="bedrock",
            account="",
            resource="foundation-model",
            resource_name=self._config.llm_model,
            arn_format=ArnFormat.SLASH_RESOURCE_NAME,
        )
        role.add_to_principal_policy(iam.PolicyStatement(actions=[bedrock_action], resources=[model_arn]))


def _generated_secret_name(scope: Construct, secret_arn: str) -> str:
    """The name CloudFormation generated, `<LogicalId>-<random>`, cut out of the secret's ARN.

    The ARN ends in `secret:<name>-<6 chars Secrets Manager adds>`; a generated name has exactly
    one hyphen, so the name is the first two hyphen-separated segments (as aws-cdk-lib does it).
    """
    resource_name = Stack.of(scope).split_arn(secret_arn, ArnFormat.COLON_RESOURCE_NAME).resource_name
    segments = Fn.split("-", resource_name or "")
    return Fn.join("-", [Fn.select(0, segments), Fn.select(1, segments)])


def handler_requirements(handlers_dir: Path | None) -> list[str]:
    """The lines of `handlers/requirements.txt` (comments and blank lines dropped), or none."""
    path = handlers_dir / "requirements.txt" if handlers_dir is not None else None
    if path is None or not path.is_file():
        return []
    lines = [line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines()]
    for line in lines:
        if line.startswith("-"):
            raise ConfigError(f"{path}: only package requirements are supported, not options like {line!r}")
    return [line for line in lines if line]


def check_handlers(project_root: Path, definition_json: bytes, handlers_dir: Path, source: str) -> None:
    """`python -m lambda_codehook.check` on the handlers; ConfigError with its message when they do
    not fit the bot (a module matching no intent, a function for a disabled hook...)."""
    with tempfile.TemporaryDirectory(prefix="bot-definition-") as folder:
        bot_file = Path(folder) / Path(source).name if source.endswith(".json") else Path(folder) / "bot.json"
        bot_file.write_bytes(definition_json)
        environment = {**os.environ, "PYTHONPATH": str(project_root)}
        result = subprocess.run(  # noqa: S603 - our own module, run by this interpreter
            [sys.executable, "-m", f"{ROUTER_PACKAGE}.check", str(bot_file), str(handlers_dir)],
            capture_output=True,
            text=True,
            check=False,
            cwd=project_root,
            env=environment,
        )
    if result.returncode != 0:
        message = (result.stderr or result.stdout).strip().removeprefix("error: ")
        raise ConfigError(f"{message.replace(str(bot_file), source)}")
