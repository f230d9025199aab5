"""The Lex V2 bot, deployed from bot/bot.json with no console step.

DRAFT is built from the definition, published as a version whose logical id carries the
definition's digest (a changed bot publishes a new version; BotVersion has no update), and served
by an alias named `live` whose code hook, in every locale, is the code-hook Lambda (the router:
LLM fallback and the user's intent handlers; Lex V2 takes one code-hook Lambda per locale).
"""

from __future__ import annotations

import re

from aws_cdk import ArnFormat, Names, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lex as lex
from constructs import Construct

from . import bot_limits
from .bot_definition import BotDefinition, BotDefinitionError
from .nag import acknowledge

ALIAS_NAME = "live"
CODE_HOOK_INTERFACE_VERSION = "1.0"
MAX_BOT_NAME = 100  # Lex: ^([0-9a-zA-Z][_-]?){1,100}$
DIGEST_CHARS = 16


class LexBot(Construct):
    """Bot, published version and `live` alias; exposes ids and the alias ARN for the /chat Lambda."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        definition: BotDefinition,
        code_hook: lambda_.IFunction,
    ) -> None:
        super().__init__(scope, id)
        findings = bot_limits.problems(definition)
        if findings:
            raise BotDefinitionError(
                f"bot definition {definition.source} breaks Lex rules:\n  " + "\n  ".join(findings)
            )
        self.locale_ids: tuple[str, ...] = definition.locale_ids
        self.digest = definition.digest

        stack = Stack.of(self)
        role = iam.Role(
            self,
            "Role",
            # Confused-deputy guard: Lex may assume the role only for a bot (or its aliases) of this
            # account and region. The bot's own id cannot be named here: the bot needs this role's
            # ARN first, so naming it would be a circular dependency.
            assumed_by=iam.ServicePrincipal(
                "lexv2.amazonaws.com",
                conditions={
                    "StringEquals": {"aws:SourceAccount": stack.account},
                    "ArnLike": {
                        "aws:SourceArn": [
                            stack.format_arn(
                                service="lex",
                                resource=resource,
                                resource_name="*",
                                arn_format=ArnFormat.SLASH_RESOURCE_NAME,
                            )
                            for resource in ("bot", "bot-alias")
                        ]
                    },
                },
            ),
            description="Runtime role of the chatbot's Lex V2 bot",
        )
        # What AWS's AmazonLexV2BotPolicy grants a bot: Polly voices, for spoken replies.
        role.add_to_principal_policy(iam.PolicyStatement(actions=["polly:SynthesizeSpeech"], resources=["*"]))
        acknowledge(
            role,
            "AwsSolutions-IAM5[Resource::*]",
            "polly:SynthesizeSpeech has no resource to scope to (voices are not resources); "
            "this is AWS's own AmazonLexV2BotPolicy.",
        )

        properties = definition.to_cfn()
        bot = lex.CfnBot(
            self,
            "Bot",
            name=bot_name(self),
            role_arn=role.role_arn,
            data_privacy={"ChildDirected": False},
            idle_session_ttl_in_seconds=properties["IdleSessionTTLInSeconds"],
            auto_build_bot_locales=True,
            description=properties.get("Description"),
        )
        bot.add_property_override("BotLocales", properties["BotLocales"])
        if "BotTags" in properties:
            bot.add_property_override("BotTags", properties["BotTags"])

        version = lex.CfnBotVersion(
            self,
            f"Version{self.digest[:DIGEST_CHARS]}",
            bot_id=bot.attr_id,
            description=f"bot.json sha256 {self.digest}",
            bot_version_locale_specification=[
                lex.CfnBotVersion.BotVersionLocaleSpecificationProperty(
                    locale_id=locale_id,
                    bot_version_locale_details=lex.CfnBotVersion.BotVersionLocaleDetailsProperty(
                        source_bot_version="DRAFT"
                    ),
                )
                for locale_id in self.locale_ids
            ],
        )

        code_hook.add_permission(
            "InvokeByLex",
            principal=iam.ServicePrincipal("lexv2.amazonaws.com"),
            action="lambda:InvokeFunction",
            source_arn=Stack.of(self).format_arn(
                service="lex",
                resource="bot-alias",
                resource_name=f"{bot.attr_id}/*",
                arn_format=ArnFormat.SLASH_RESOURCE_NAME,
            ),
            source_account=Stack.of(self).account,
            scope=self,
        )

        alias = lex.CfnBotAlias(
            self,
            "LiveAlias",
            bot_alias_name=ALIAS_NAME,
            bot_id=bot.attr_id,
            bot_version=version.attr_bot_version,
            description="Published bot used by the /chat API (never the draft test alias)",
            bot_alias_locale_settings=[
                lex.CfnBotAlias.BotAliasLocaleSettingsItemProperty(
                    locale_id=locale_id,
                    bot_alias_locale_setting=lex.CfnBotAlias.BotAliasLocaleSettingsProperty(
                        enabled=True,
                        code_hook_specification=lex.CfnBotAlias.CodeHookSpecificationProperty(
                            lambda_code_hook=lex.CfnBotAlias.LambdaCodeHookProperty(
                                code_hook_interface_version=CODE_HOOK_INTERFACE_VERSION,
                                lambda_arn=code_hook.function_arn,
                            )
                        ),
                    ),
                )
                for locale_id in self.locale_ids
            ],
        )

        # Lex may call the hook as soon as the alias exists: let the permission come first.
        alias.node.add_dependency(self.node.find_child("InvokeByLex"))

        self.bot_id: str = bot.attr_id
        self.alias_id: str = alias.attr_bot_alias_id
        self.alias_arn: str = alias.attr_arn


def bot_name(scope: Construct) -> str:
    """A bot name unique to this stack and construct path, within Lex's pattern and length."""
    raw = Names.unique_resource_name(scope, max_length=MAX_BOT_NAME, separator="-")
    name = re.sub(r"[^0-9A-Za-z_-]", "", raw)
    name = re.sub(r"[_-]{2,}", "-", name).lstrip("_-")
    return name[:MAX_BOT_NAME]
