"""Rules a bot definition must meet beyond the ``AWS::Lex::Bot`` schema: Lex's build rules and ours.

`lex_build_problems` holds what Lex refuses when it builds a locale (which fails the deployment) but
no JSON schema can say: a locale or intent name used twice, a slot priority, utterance or message
naming a slot the intent does not have. `lex_emulator.cfn_schema.validate_bot_definition` applies
them after the schema, so the emulator and the stack refuse the same definitions.

`problems` holds this project's own rules, applied only by the stack (`LexBot`): every locale has
exactly one FallbackIntent whose fulfillment code hook (the LLM) is on and which has failure and
timeout responses, so a failing LLM never turns into a 424 for the user. The emulator does not
apply them, so its tests can run a bot without those responses.

This module imports nothing from the CDK: local mode uses it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .bot_definition import BotDefinition

FALLBACK_SIGNATURE = "AMAZON.FallbackIntent"
# A reference to a slot in an utterance or message: {SlotName} (Lex's syntax).
_SLOT_REF_RE = re.compile(r"\{([^{}]*)\}")


def lex_build_problems(properties: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(field path, reason) for each Lex build rule that schema-valid `properties` break."""
    found: list[tuple[str, str]] = []
    seen_locales: set[str] = set()
    for index, locale in enumerate(properties.get("BotLocales", [])):
        path = f"BotLocales[{index}]"
        if locale["LocaleId"] in seen_locales:
            found.append((f"{path}.LocaleId", f"locale {locale['LocaleId']} appears twice"))
        seen_locales.add(locale["LocaleId"])
        seen_intents: set[str] = set()
        for i_index, intent in enumerate(locale.get("Intents", [])):
            intent_path = f"{path}.Intents[{i_index}]"
            if intent["Name"] in seen_intents:
                found.append(
                    (f"{intent_path}.Name", f"intent {intent['Name']} is defined twice in this locale")
                )
            seen_intents.add(intent["Name"])
            found.extend(_intent_problems(intent_path, intent))
    return found


def _intent_problems(path: str, intent: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    slots = [slot["Name"] for slot in intent.get("Slots", [])]
    known = ", ".join(slots) or "none"
    for index, priority in enumerate(intent.get("SlotPriorities", [])):
        if priority["SlotName"] not in slots:
            yield (
                f"{path}.SlotPriorities[{index}].SlotName",
                f"{priority['SlotName']} is not a slot of this intent (slots: {known})",
            )
    for index, utterance in enumerate(intent.get("SampleUtterances", [])):
        for ref in _SLOT_REF_RE.findall(utterance["Utterance"]):
            if ref not in slots:
                yield (
                    f"{path}.SampleUtterances[{index}].Utterance",
                    f"refers to {{{ref}}}, which is not a slot of this intent (slots: {known})",
                )
    for message_path, text in _messages(intent, path):
        for ref in _SLOT_REF_RE.findall(text):
            if ref not in slots:
                yield (
                    message_path,
                    f"refers to {{{ref}}}, which is not a slot of this intent (slots: {known})",
                )


def problems(definition: BotDefinition) -> list[str]:
    """This project's rules the (already schema-valid) definition breaks, as ``path: what`` lines."""
    found: list[str] = []
    for index, locale in enumerate(definition.properties["BotLocales"]):
        path = f"BotLocales[{index}]"
        intents = locale.get("Intents", [])
        fallbacks = [i for i in intents if i.get("ParentIntentSignature") == FALLBACK_SIGNATURE]
        if len(fallbacks) != 1:
            found.append(
                f"{path}.Intents: {locale['LocaleId']} needs exactly one intent with ParentIntentSignature "
                f"{FALLBACK_SIGNATURE} (the LLM answers it), has {len(fallbacks)}"
            )
        for i_index, intent in enumerate(intents):
            if intent.get("ParentIntentSignature") == FALLBACK_SIGNATURE:
                found.extend(_fallback_problems(f"{path}.Intents[{i_index}]", intent))
    return found


def _fallback_problems(path: str, intent: Mapping[str, Any]) -> Iterator[str]:
    for forbidden in ("SampleUtterances", "Slots", "IntentConfirmationSetting"):
        if intent.get(forbidden):
            yield f"{path}.{forbidden}: FallbackIntent cannot have {forbidden}"
    hook = intent.get("FulfillmentCodeHook") or {}
    if hook.get("Enabled") is not True:
        yield f"{path}.FulfillmentCodeHook.Enabled: FallbackIntent needs it true (the LLM answers it)"
    if hook.get("IsActive") is False:
        yield f"{path}.FulfillmentCodeHook.IsActive: FallbackIntent's code hook must be active"
    status = hook.get("PostFulfillmentStatusSpecification") or {}
    for response in ("FailureResponse", "TimeoutResponse"):
        if not (status.get(response) or {}).get("MessageGroupsList"):
            yield (
                f"{path}.FulfillmentCodeHook.PostFulfillmentStatusSpecification.{response}: "
                "FallbackIntent needs it so a failing LLM never becomes a 424"
            )


def _messages(node: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every (path of its Value, text) of a plain-text or SSML message under `node`."""
    if isinstance(node, dict):
        for key, value in node.items():
            child = f"{path}.{key}"
            if key in ("PlainTextMessage", "SSMLMessage") and isinstance(value, dict):
                yield f"{child}.Value", str(value.get("Value", ""))
            elif key != "CustomPayload":
                yield from _messages(value, child)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _messages(item, f"{path}[{index}]")
