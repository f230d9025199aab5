"""ChatbotStack: composes the web, chat API, bot and fallback constructs and nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from .bot_definition import BotDefinition
from .chat_api import ChatApi
from .config import ChatbotConfig, ConfigError
from .lex_bot import LexBot
from .llm_fallback import LlmFallback
from .packaging import pinned_requirements
from .page_config import page_config
from .web import Web

# Third-party packages each Lambda imports (boto3 comes with the runtime); versions from requirements.txt.
CHAT_REQUIREMENTS = ("aws-lambda-powertools",)
FALLBACK_REQUIREMENTS = ("requests", "aws-lambda-powertools")


class ChatbotStack(Stack):
    """One deployment of the chatbot: page, /chat API, Lex bot with its `live` alias, LLM fallback."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        config: ChatbotConfig,
        bot_definition: BotDefinition,
        project_root: Path,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, id, **kwargs)
        if config.default_locale not in bot_definition.locale_ids:
            raise ConfigError(
                f"cdk context 'defaultLocale' is {config.default_locale!r}, but the bot only has "
                f"{', '.join(bot_definition.locale_ids)}"
            )
        for folder in ("lambda_lex", "lambda_chatgpt", "html"):
            if not (project_root / folder).is_dir():
                raise ConfigError(f"project folder {folder}/ is missing (looked in {project_root})")
        requirements_file = project_root / "requirements.txt"

        fallback = LlmFallback(
            self,
            "LlmFallback",
            package_dir=project_root / "lambda_chatgpt",
            requirements=pinned_requirements(FALLBACK_REQUIREMENTS, requirements_file),
            config=config,
        )
        bot = LexBot(self, "LexBot", definition=bot_definition, fulfillment=fallback.function)
        chat = ChatApi(
            self,
            "ChatApi",
            package_dir=project_root / "lambda_lex",
            requirements=pinned_requirements(CHAT_REQUIREMENTS, requirements_file),
            config=config,
            bot_id=bot.bot_id,
            bot_alias_id=bot.alias_id,
            bot_alias_arn=bot.alias_arn,
            locale_ids=bot.locale_ids,
        )
        web = Web(
            self,
            "Web",
            site_dir=project_root / "html",
            page_config=page_config(
                project_root / "html",
                locale_ids=bot.locale_ids,
                default_locale=config.default_locale,
            ),
            chat_api=chat.api,
            log_retention_days=config.log_retention_days,
        )

        CfnOutput(self, "WebUrl", value=web.url, description="The chat page")
        CfnOutput(self, "ChatApiUrl", value=chat.url, description="POST /chat on API Gateway (direct)")
        CfnOutput(self, "BotId", value=bot.bot_id, description="Lex V2 bot id")
        CfnOutput(self, "BotAliasId", value=bot.alias_id, description="Lex V2 alias 'live' id")
        CfnOutput(
            self,
            "LlmSecretName",
            value=fallback.secret_name,
            description="Secrets Manager secret to put the LLM API key in",
        )
