"""What local mode says at start about a bot file it runs but the stack would not deploy as it is.

Local mode runs any bot the emulator accepts, as Lex would run it: a bot written elsewhere (say, a
definition that sets its own Name and RoleArn, whose FallbackIntent has no code hook) works, but
what it does not recognise then gets Lex's empty answer instead of the LLM's, and `make deploy`
refuses the file. The dev server's banner says both, with the fields to change; the checks are the
stack's own (`cdk_chatbot.bot_definition`, `cdk_chatbot.bot_limits`), so the two cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cdk_chatbot import bot_limits
from cdk_chatbot.bot_definition import ALLOWED_KEYS, DEPLOYMENT_KEYS, BotDefinition
from lex_emulator.cfn_schema import validate_bot_definition
from lex_emulator.errors import BotDefinitionError


def _normalised(properties: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The Properties as the emulator reads them (strings for booleans converted), or None when
    they are not valid (the emulator says why)."""
    try:
        return validate_bot_definition(dict(properties))
    except BotDefinitionError:
        return None


def locales_without_llm(properties: Mapping[str, Any]) -> list[str]:
    """The locales whose unrecognised questions never reach the LLM: their FallbackIntent is
    missing or its fulfillment code hook is off."""
    normalised = _normalised(properties)
    if normalised is None:
        return []
    found = []
    for locale in normalised.get("BotLocales", []):
        fallbacks = [
            intent
            for intent in locale.get("Intents", [])
            if intent.get("ParentIntentSignature") == bot_limits.FALLBACK_SIGNATURE
        ]
        hooks = [intent.get("FulfillmentCodeHook") or {} for intent in fallbacks]
        if not any(hook.get("Enabled") is True and hook.get("IsActive") is not False for hook in hooks):
            found.append(str(locale["LocaleId"]))
    return found


def deploy_problems(properties: Mapping[str, Any]) -> list[str]:
    """What `make deploy` refuses in this bot file, as `field: what` lines (none for a file it takes)."""
    normalised = _normalised(properties)
    if normalised is None:
        return []
    found = []
    stack_set = sorted(DEPLOYMENT_KEYS & normalised.keys())
    if stack_set:
        found.append(f"{', '.join(stack_set)}: set by the stack; remove from the file")
    unknown = sorted(normalised.keys() - ALLOWED_KEYS - DEPLOYMENT_KEYS)
    if unknown:
        found.append(f"{', '.join(unknown)}: valid for AWS::Lex::Bot, but this stack does not deploy it")
    found.extend(bot_limits.problems(BotDefinition(properties=normalised)))
    return found


def banner_lines(properties: Mapping[str, Any]) -> list[str]:
    """The banner's lines about the bot file: nothing for a bot the stack deploys as it is."""
    lines = []
    without = locales_without_llm(properties)
    if without:
        lines.append(
            f"  fallback: no LLM in {', '.join(without)}: FallbackIntent's fulfillment code hook is off "
            "there, so what the bot does not recognise gets Lex's empty answer"
        )
    problems = deploy_problems(properties)
    if problems:
        lines.append("  deploy:   make deploy would refuse this bot file as it is:")
        lines.extend(f"              {problem}" for problem in problems)
    return lines
