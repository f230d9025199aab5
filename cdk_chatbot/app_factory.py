"""Builds the chatbot app the same way for `cdk synth`/`cdk deploy` (app.py) and for the tests.

Reads the configuration from the app's context, loads the bot definition, adds the stack and
registers cdk-nag's AwsSolutions checks as a validation plugin (an unacknowledged finding fails
`app.synth()`). The stack is environment-agnostic, so any account can deploy it, in any region
that has what it needs: a target region without Lex V2 is refused first (regions.py).
"""

from __future__ import annotations

from pathlib import Path

from aws_cdk import App, Validations
from cdk_nag import AwsSolutionsChecks

from .bot_definition import BotDefinition
from .config import ChatbotConfig
from .regions import check_region, target_region
from .stack import ChatbotStack

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def add_chatbot(
    app: App,
    *,
    project_root: Path = PROJECT_ROOT,
    bot_definition: BotDefinition | None = None,
    handlers_dir: Path | None = None,
    bot_file: Path | None = None,
) -> ChatbotStack:
    """Add the configured ChatbotStack and cdk-nag to `app`.

    The bot is the context's `botDefinition` file and its handlers the `handlers/` folder beside
    it; `bot_definition` overrides the file (then `handlers_dir` names the handlers, if any, and
    `bot_file` the file the page is named after and whose page.json it takes, if any).
    """
    check_region(target_region())  # before anything else: an unsupported region fails at once
    config = ChatbotConfig.from_context(app.node.try_get_context)
    if bot_definition is None:
        bot_file = project_root / config.bot_definition
        definition = BotDefinition.from_file(bot_file)
        handlers_dir = handlers_dir or bot_file.parent / "handlers"
    else:
        definition = bot_definition
    stack = ChatbotStack(
        app,
        config.stack_name,
        config=config,
        bot_definition=definition,
        project_root=project_root,
        handlers_dir=handlers_dir,
        bot_file=bot_file,
        description="Lex V2 chatbot with an LLM fallback: page, /chat API, bot and code-hook Lambda",
    )
    Validations.of(app).add_plugins(AwsSolutionsChecks(app, write_suppressions_to_cloud_formation=True))
    return stack
