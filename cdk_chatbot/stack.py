"""ChatbotStack: composes the web, chat API, bot, code hook and streamed answers' constructs, nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from aws_cdk import CfnOutput, Stack
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from .answer_table import AnswerTable
from .answer_worker import AnswerWorker
from .answers_api import PACKAGE as ANSWERS_PACKAGE
from .answers_api import AnswersApi, method_options
from .bot_definition import BotDefinition
from .chat_api import ChatApi
from .code_hook import CodeHook
from .config import ChatbotConfig, ConfigError
from .lex_bot import LexBot
from .limits import Limits
from .observability import LlmTarget, Observability, StreamedAnswers
from .packaging import pinned_requirements
from .page_config import page_config
from .page_texts import bot_display_name
from .web import Web

# Third-party packages each Lambda imports (boto3 comes with the runtime); versions from requirements.txt.
CHAT_REQUIREMENTS = ("aws-lambda-powertools",)
CODE_HOOK_REQUIREMENTS = ("requests", "aws-lambda-powertools")
ANSWERS_REQUIREMENTS = ("aws-lambda-powertools",)


class ChatbotStack(Stack):
    """One deployment of the chatbot: page, /chat API, Lex bot with its `live` alias, code hook."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        config: ChatbotConfig,
        bot_definition: BotDefinition,
        project_root: Path,
        handlers_dir: Path | None = None,
        bot_file: Path | None = None,
        **kwargs: Any,
    ) -> None:
        """`bot_file` is the file `bot_definition` was read from: the page is named after it and
        takes the page.json beside it (None: the page's texts come from the definition alone)."""
        super().__init__(scope, id, **kwargs)
        if config.default_locale not in bot_definition.locale_ids:
            raise ConfigError(
                f"cdk context 'defaultLocale' is {config.default_locale!r}, but the bot only has "
                f"{', '.join(bot_definition.locale_ids)}"
            )
        for folder in (
            "lambda_lex",
            "lambda_codehook",
            "lambda_chatgpt",
            "lexhook",
            "chat_metrics",
            "answer_store",
            "apigw_proxy",
            "container_setup",
            ANSWERS_PACKAGE,
            "html",
        ):
            if not (project_root / folder).is_dir():
                raise ConfigError(f"project folder {folder}/ is missing (looked in {project_root})")
        requirements_file = project_root / "requirements.txt"

        code_hook = CodeHook(
            self,
            "CodeHook",
            project_root=project_root,
            definition=bot_definition,
            handlers_dir=handlers_dir,
            requirements=pinned_requirements(CODE_HOOK_REQUIREMENTS, requirements_file),
            config=config,
        )
        code_hook_function = cast(lambda_.Function, code_hook.function)
        # Streamed answers (docs/streaming-design.md): the code hook hands the LLM call to the worker.
        answers = AnswerTable(self, "Answers", ttl_seconds=config.streaming.conversation_ttl_seconds)
        worker = AnswerWorker(
            self, "AnswerWorker", project_root=project_root, code_hook=code_hook, table=answers, config=config
        )
        answers.grant(code_hook_function, "code-hook")
        worker.grant_invoke(code_hook_function)
        bot = LexBot(self, "LexBot", definition=bot_definition, code_hook=code_hook.function)
        chat = ChatApi(
            self,
            "ChatApi",
            package_dir=project_root / "lambda_lex",
            project_root=project_root,
            requirements=pinned_requirements(CHAT_REQUIREMENTS, requirements_file),
            config=config,
            bot_id=bot.bot_id,
            bot_alias_id=bot.alias_id,
            bot_alias_arn=bot.alias_arn,
            locale_ids=bot.locale_ids,
            method_options=method_options(config),
        )
        answers.grant(chat.function, "chat")
        answers_api = AnswersApi(
            self,
            "AnswersApi",
            project_root=project_root,
            api=chat.api,
            requirements=pinned_requirements(ANSWERS_REQUIREMENTS, requirements_file),
            table=answers,
            worker=worker,
            llm_environment=code_hook.llm_environment,
            config=config,
        )
        limits = Limits(
            self,
            "Limits",
            config=config.limits,
            api=chat.api,
            chat_function=chat.function,
            code_hook=code_hook_function,
            answer_worker=worker.function,
        )
        web = Web(
            self,
            "Web",
            site_dir=project_root / "html",
            page_config=page_config(
                project_root / "html",
                locale_ids=bot.locale_ids,
                default_locale=config.default_locale,
                bot_properties=bot_definition.properties,
                bot_name=page_bot_name(bot_file, project_root),
                bot_file=bot_file,
            ),
            chat_api=chat.api,
            log_retention_days=config.log_retention_days,
            chat_origin_headers=limits.origin_headers,
            chat_viewer_request=limits.viewer_request_function,
        )
        # Metrics in a namespace named after the stack (a second copy gets its own), dashboard, alarms.
        Observability(
            self,
            "Observability",
            namespace=config.stack_name,
            chat_function=chat.function,
            code_hook_function=code_hook_function,
            api=chat.api,
            access_logs=chat.access_logs,
            llm=LlmTarget(config.llm_provider, config.llm_model, config.llm_deadline_seconds),
            locale_ids=bot.locale_ids,
            alarm_email=config.alarm_email,
            streamed=StreamedAnswers(
                worker=worker.function,
                worker_timeout_seconds=config.streaming.worker_timeout_seconds,
                answers=answers_api.function,
            ),
        )

        CfnOutput(self, "WebUrl", value=web.url, description="The chat page")
        CfnOutput(
            self,
            "ChatApiUrl",
            value=chat.url,
            description="POST /chat on API Gateway; answers only through CloudFront",
        )
        CfnOutput(self, "BotId", value=bot.bot_id, description="Lex V2 bot id")
        CfnOutput(self, "BotAliasId", value=bot.alias_id, description="Lex V2 alias 'live' id")
        CfnOutput(
            self,
            "LlmSecretName",
            value=code_hook.secret_name,
            description="Secrets Manager secret to put the LLM API key in",
        )


def page_bot_name(bot_file: Path | None, project_root: Path) -> str:
    """The bot's name on the page, as the dev server shows it (`bot_display_name`); a bot given as
    data, with no file, is "ChatBot"."""
    if bot_file is None:
        return "ChatBot"
    return bot_display_name(bot_file, shipped_bot=project_root / "bot" / "bot.json")
