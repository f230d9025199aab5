"""Builds the chatbot app the same way for `cdk synth`/`cdk deploy` (app.py) and for the tests.

Reads the configuration from the app's context, loads the bot definition, adds the stack and
registers cdk-nag's AwsSolutions checks as a validation plugin (an unacknowledged finding fails
`app.synth()`). The stack is environment-agnostic, so any account and region can deploy it.
"""

from __future__ import annotations

from pathlib import Path

from aws_cdk import App, Validations
from cdk_nag import AwsSolutionsChecks

from .bot_definition import BotDefinition
from .config import ChatbotConfig
from .stack import ChatbotStack

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def add_chatbot(
    app: App, *, project_root: Path = PROJECT_ROOT, bot_definition: BotDefinition | None = None
) -> ChatbotStack:
    """Add the configured ChatbotStack and cdk-nag to `app`; `bot_definition` overrides bot/bot.json."""
    config = ChatbotConfig.from_context(app.node.try_get_context)
    definition = bot_definition or BotDefinition.from_file(project_root / config.bot_definition)
    stack = ChatbotStack(
        app,
        config.stack_name,
        config=config,
        bot_definition=definition,
        project_root=project_root,
        description="Lex V2 chatbot with an LLM fallback: page, /chat API, bot and fallback Lambda",
    )
    Validations.of(app).add_plugins(AwsSolutionsChecks(app, write_suppressions_to_cloud_formation=True))
    return stack
