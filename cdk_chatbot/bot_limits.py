"""Lex V2 limits and rules a bot definition must meet before CloudFormation sees it.

The `AWS::Lex::Bot` schema checks shapes; these checks cover what the schema cannot: message
lengths, ranges, a FallbackIntent that can never turn into a 424, and `{Slot}` references.
`problems()` returns readable findings (an empty list means the definition is fine).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .bot_definition import BotDefinition

MAX_MESSAGE_CHARS = 1024
IDLE_TTL_RANGE = (60, 86_400)
CONFIDENCE_RANGE = (0.0, 1.0)
FALLBACK_SIGNATURE = "AMAZON.FallbackIntent"
_NAME_RE = re.compile(r"^([0-9a-zA-Z][_-]?){1,100}$")
_SLOT_REF_RE = re.compile(r"\{([^{}]*)\}")


def problems(definition: BotDefinition) -> list[str]:
    """Every Lex rule the definition breaks, as `where: what` lines."""
    found: list[str] = []
    props = definition.properties
    ttl = props.get("IdleSessionTTLInSeconds")
    if not isinstance(ttl, int) or not IDLE_TTL_RANGE[0] <= ttl <= IDLE_TTL_RANGE[1]:
        found.append(
            f"IdleSessionTTLInSeconds: must be {IDLE_TTL_RANGE[0]}..{IDLE_TTL_RANGE[1]}, got {ttl!r}"
        )
    for locale in props["BotLocales"]:
        found.extend(_locale_problems(locale))
    return found


def _locale_problems(locale: dict[str, Any]) -> Iterator[str]:
    where = locale["LocaleId"]
    threshold = locale.get("NluConfidenceThreshold")
    if not isinstance(threshold, int | float) or not CONFIDENCE_RANGE[0] <= threshold <= CONFIDENCE_RANGE[1]:
        yield f"{where}: NluConfidenceThreshold must be 0..1, got {threshold!r}"
    intents = locale["Intents"]
    names = [intent.get("Name") for intent in intents]
    if len(set(names)) != len(names):
        yield f"{where}: intent names must be unique, got {names}"
    fallbacks = [i for i in intents if i.get("ParentIntentSignature") == FALLBACK_SIGNATURE]
    if len(fallbacks) != 1:
        yield f"{where}: needs exactly one intent with ParentIntentSignature {FALLBACK_SIGNATURE}"
    for intent in intents:
        yield from _intent_problems(where, intent)


def _intent_problems(locale_id: str, intent: dict[str, Any]) -> Iterator[str]:
    name = intent.get("Name")
    where = f"{locale_id}/{name}"
    if not isinstance(name, str) or not _NAME_RE.fullmatch(name):
        yield f"{where}: intent name must match {_NAME_RE.pattern}"
    slots = {slot.get("Name") for slot in intent.get("Slots", [])}
    for priority in intent.get("SlotPriorities", []):
        if priority.get("SlotName") not in slots:
            yield f"{where}: SlotPriorities names unknown slot {priority.get('SlotName')!r}"
    for utterance in intent.get("SampleUtterances", []):
        for ref in _SLOT_REF_RE.findall(utterance.get("Utterance", "")):
            if ref not in slots:
                yield f"{where}: sample utterance {utterance.get('Utterance')!r} names unknown slot {{{ref}}}"
    for path, text in _messages(intent):
        if not 1 <= len(text) <= MAX_MESSAGE_CHARS:
            yield f"{where}: message at {path} must be 1..{MAX_MESSAGE_CHARS} characters, has {len(text)}"
        for ref in _SLOT_REF_RE.findall(text):
            if ref not in slots:
                yield f"{where}: message at {path} names unknown slot {{{ref}}}"
    if intent.get("ParentIntentSignature") == FALLBACK_SIGNATURE:
        yield from _fallback_problems(where, intent)


def _fallback_problems(where: str, intent: dict[str, Any]) -> Iterator[str]:
    for forbidden in ("SampleUtterances", "Slots", "IntentConfirmationSetting"):
        if intent.get(forbidden):
            yield f"{where}: FallbackIntent cannot have {forbidden}"
    hook = intent.get("FulfillmentCodeHook") or {}
    if hook.get("Enabled") is not True:
        yield f"{where}: FallbackIntent needs FulfillmentCodeHook.Enabled true (the LLM answers it)"
    if hook.get("IsActive") is False:
        yield f"{where}: FallbackIntent's FulfillmentCodeHook must be active"
    status = hook.get("PostFulfillmentStatusSpecification") or {}
    for response in ("FailureResponse", "TimeoutResponse"):
        if not (status.get(response) or {}).get("MessageGroupsList"):
            yield (
                f"{where}: FallbackIntent needs PostFulfillmentStatusSpecification.{response} "
                "so a failing LLM never becomes a 424"
            )


def _messages(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every (path, text) of a plain-text or SSML message under `node`."""
    if isinstance(node, dict):
        for key, value in node.items():
            child = f"{path}.{key}" if path else key
            if key in ("PlainTextMessage", "SSMLMessage") and isinstance(value, dict):
                yield child, str(value.get("Value", ""))
            elif key == "CustomPayload" and isinstance(value, dict):
                continue
            else:
                yield from _messages(value, child)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _messages(item, f"{path}[{index}]")
