"""Load a bot definition in CloudFormation's ``AWS::Lex::Bot`` shape, refusing what is not implemented.

The file holds a subset of the resource's Properties: ``Description``, ``IdleSessionTTLInSeconds`` and
``BotLocales`` (plus properties that only matter to the deployment, such as ``Name`` or ``RoleArn``,
which are accepted and not used). Every field is either implemented, explicitly accepted as harmless
for a text-only runtime (descriptions, ``AllowInterrupt``, voice settings, ...), or a
`BotDefinitionError` naming its path, e.g. ``BotLocales[0].Intents[1].DialogCodeHook.Enabled``.
Nothing is silently ignored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import loader_dialog, loader_slots
from .cfn_schema import validate_bot_definition
from .console_export import is_console_export, read_console_export
from .definition import (
    BUILT_IN_SLOT_TYPES,
    BotDef,
    ClosingDef,
    ConfirmationDef,
    CustomSlotType,
    FulfillmentDef,
    IntentDef,
    LocaleDef,
    OutcomeDef,
    ResponseSpec,
)
from .errors import BotDefinitionError
from .loader_fields import (
    _bool,
    _int,
    _join,
    _list,
    _must_be_off,
    _name,
    _number,
    _object,
    _prompt,
    _response,
    _str,
    _utterances,
)
from .locales import locale_problem

FALLBACK_SIGNATURE = "AMAZON.FallbackIntent"
_LOCALE = re.compile(r"^[a-z]{2}_(?:[A-Z]{2}|419)$")  # es_419: Spanish (Latin America)

# Properties of AWS::Lex::Bot that describe the deployment, not the conversation.
_BOT_DEPLOYMENT_ONLY = (
    "Name",
    "RoleArn",
    "DataPrivacy",
    "AutoBuildBotLocales",
    "BotTags",
    "TestBotAliasTags",
    "TestBotAliasSettings",
)


def load_bot_definition(path: Path) -> BotDef:
    """Read and check a bot definition file; `BotDefinitionError` names what is wrong and where."""
    if is_console_export(path):  # a Lex V2 console export .zip, converted to the same Properties
        return parse_bot_definition(read_console_export(path))
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise BotDefinitionError(
            "", f"cannot read bot definition {path}: {error.strerror or error}"
        ) from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise BotDefinitionError(
            "", f"{path} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    return parse_bot_definition(raw)


def parse_bot_definition(raw: Any) -> BotDef:
    """Check an already-parsed definition (the Properties of an ``AWS::Lex::Bot``)."""
    raw = validate_bot_definition(raw)  # CloudFormation's own schema first, as the stack does
    fields = _object(
        raw,
        "",
        supported=("Description", "IdleSessionTTLInSeconds", "BotLocales"),
        harmless=_BOT_DEPLOYMENT_ONLY,
        required=("IdleSessionTTLInSeconds", "BotLocales"),
    )
    ttl = _int(fields["IdleSessionTTLInSeconds"], "IdleSessionTTLInSeconds", low=60, high=86400)
    locales_raw = _list(fields["BotLocales"], "BotLocales", min_items=1)
    locales: dict[str, LocaleDef] = {}
    for index, locale_raw in enumerate(locales_raw):
        locale = _locale(locale_raw, f"BotLocales[{index}]")
        if locale.locale_id in locales:
            raise BotDefinitionError(
                f"BotLocales[{index}].LocaleId", f"locale {locale.locale_id} appears twice"
            )
        locales[locale.locale_id] = locale
    description = fields.get("Description")
    return BotDef(
        description=_str(description, "Description") if description is not None else None,
        idle_session_ttl_seconds=ttl,
        locales=locales,
    )


# -- intents ----------------------------------------------------------------------------------------


def _confirmation(raw: Any, path: str, scope: loader_dialog.Scope) -> ConfirmationDef:
    slot_names = scope.slot_names
    fields = _object(
        raw,
        path,
        supported=(
            "PromptSpecification",
            "IsActive",
            *(
                f"{kind}{part}"
                for kind in ("Confirmation", "Declination", "Failure")
                for part in ("Response", "NextStep", "Conditional")
            ),
            "CodeHook",
            "ElicitationCodeHook",
        ),
        required=("PromptSpecification",),
    )
    return ConfirmationDef(
        confirmed=loader_dialog.prefixed_outcome(fields, path, scope, "Confirmation"),
        declined=loader_dialog.prefixed_outcome(fields, path, scope, "Declination"),
        failure=loader_dialog.prefixed_outcome(fields, path, scope, "Failure"),
        code_hook=(
            loader_dialog.code_hook(fields["CodeHook"], _join(path, "CodeHook"), scope)
            if "CodeHook" in fields
            else None
        ),
        elicitation_hook=(
            loader_dialog.elicitation_hook(fields["ElicitationCodeHook"], _join(path, "ElicitationCodeHook"))
            if "ElicitationCodeHook" in fields
            else None
        ),
        prompt=_prompt(fields["PromptSpecification"], _join(path, "PromptSpecification"), slot_names),
        active=_bool(fields.get("IsActive", True), _join(path, "IsActive")),
        confirmation_response=(
            _response(fields["ConfirmationResponse"], _join(path, "ConfirmationResponse"), slot_names)
            if "ConfirmationResponse" in fields
            else None
        ),
        declination_response=(
            _response(fields["DeclinationResponse"], _join(path, "DeclinationResponse"), slot_names)
            if "DeclinationResponse" in fields
            else None
        ),
    )


def _fulfillment(raw: Any, path: str, scope: loader_dialog.Scope) -> FulfillmentDef:
    fields = _object(
        raw,
        path,
        supported=("Enabled", "IsActive", "PostFulfillmentStatusSpecification"),
        harmless=("FulfillmentUpdatesSpecification",),
        required=("Enabled",),
    )
    if "FulfillmentUpdatesSpecification" in fields:
        # Fulfillment updates only exist in streaming conversations (StartConversation).
        _must_be_off(
            fields["FulfillmentUpdatesSpecification"],
            _join(path, "FulfillmentUpdatesSpecification"),
            "Active",
            off=False,
            what="fulfillment updates (a streaming-only feature)",
        )
    outcomes: dict[str, OutcomeDef | None] = {}
    if "PostFulfillmentStatusSpecification" in fields:
        post_path = _join(path, "PostFulfillmentStatusSpecification")
        post = _object(
            fields["PostFulfillmentStatusSpecification"],
            post_path,
            supported=tuple(
                f"{kind}{part}"
                for kind in ("Success", "Failure", "Timeout")
                for part in ("Response", "NextStep", "Conditional")
            ),
        )
        for kind in ("Success", "Failure", "Timeout"):
            outcomes[kind] = loader_dialog.prefixed_outcome(post, post_path, scope, kind)

    def response(kind: str) -> ResponseSpec | None:
        found = outcomes.get(kind)
        return found.response if found else None

    return FulfillmentDef(
        enabled=_bool(fields["Enabled"], _join(path, "Enabled")),
        active=_bool(fields.get("IsActive", True), _join(path, "IsActive")),
        success_response=response("Success"),
        failure_response=response("Failure"),
        timeout_response=response("Timeout"),
        success=outcomes.get("Success"),
        failure=outcomes.get("Failure"),
        timeout=outcomes.get("Timeout"),
    )


def _closing(raw: Any, path: str, scope: loader_dialog.Scope) -> ClosingDef:
    fields = _object(raw, path, supported=("ClosingResponse", "IsActive", "NextStep", "Conditional"))
    outcome = loader_dialog.outcome(
        fields, path, scope, response="ClosingResponse", next_step="NextStep", conditional_key="Conditional"
    )
    return ClosingDef(
        response=outcome.response if outcome else None,
        active=_bool(fields.get("IsActive", True), _join(path, "IsActive")),
        outcome=outcome,
    )


def _slot_names_of(raw: dict[str, Any], path: str) -> tuple[str, ...]:
    names: list[str] = []
    for index, slot_raw in enumerate(_list(raw.get("Slots", []), _join(path, "Slots"), max_items=100)):
        slot_path = f"{path}.Slots[{index}]"
        if not isinstance(slot_raw, dict) or "Name" not in slot_raw:
            raise BotDefinitionError(_join(slot_path, "Name"), "is required")
        name = _name(slot_raw["Name"], _join(slot_path, "Name"))
        if name in names:
            raise BotDefinitionError(_join(slot_path, "Name"), f"slot {name} appears twice in this intent")
        names.append(name)
    return tuple(names)


def _priorities(raw: Any, path: str, slot_names: tuple[str, ...]) -> list[str]:
    ordered: list[tuple[int, str]] = []
    for index, item in enumerate(_list(raw, path)):
        item_path = f"{path}[{index}]"
        fields = _object(
            item, item_path, supported=("Priority", "SlotName"), required=("Priority", "SlotName")
        )
        priority = _int(fields["Priority"], _join(item_path, "Priority"), low=0, high=100)
        slot_name = _str(fields["SlotName"], _join(item_path, "SlotName"))
        if slot_name not in slot_names:
            raise BotDefinitionError(
                _join(item_path, "SlotName"), f"{slot_name} is not a slot of this intent"
            )
        if any(existing == slot_name for _, existing in ordered):
            raise BotDefinitionError(_join(item_path, "SlotName"), f"{slot_name} has more than one priority")
        if any(existing == priority for existing, _ in ordered):
            raise BotDefinitionError(_join(item_path, "Priority"), f"priority {priority} is used twice")
        ordered.append((priority, slot_name))
    missing = [name for name in slot_names if name not in {slot for _, slot in ordered}]
    if missing:
        raise BotDefinitionError(path, "every slot needs a priority; missing: " + ", ".join(missing))
    return [name for _, name in sorted(ordered)]


def _intent(
    raw: Any, path: str, slot_types: Mapping[str, CustomSlotType], checks: loader_dialog.StepChecks
) -> IntentDef:
    fields = _object(
        raw,
        path,
        supported=(
            "Name",
            "ParentIntentSignature",
            "SampleUtterances",
            "Slots",
            "SlotPriorities",
            "IntentConfirmationSetting",
            "FulfillmentCodeHook",
            "IntentClosingSetting",
            "DialogCodeHook",
            "InitialResponseSetting",
            "InputContexts",
            "OutputContexts",
        ),
        harmless=("Description", "DisplayName"),
        required=("Name",),
    )
    name = _name(fields["Name"], _join(path, "Name"))
    dialog_hook = False
    if "DialogCodeHook" in fields:
        hook_path = _join(path, "DialogCodeHook")
        hook_fields = _object(
            fields["DialogCodeHook"], hook_path, supported=("Enabled",), required=("Enabled",)
        )
        dialog_hook = _bool(hook_fields["Enabled"], _join(hook_path, "Enabled"))
    parent = fields.get("ParentIntentSignature")
    is_fallback = False
    if parent is not None:
        if parent != FALLBACK_SIGNATURE:
            raise BotDefinitionError(
                _join(path, "ParentIntentSignature"),
                f"built-in intent {parent} is not implemented by the Lex emulator "
                f"(only {FALLBACK_SIGNATURE})",
            )
        is_fallback = True
        for forbidden in ("SampleUtterances", "Slots", "SlotPriorities", "IntentConfirmationSetting"):
            if fields.get(forbidden):
                raise BotDefinitionError(_join(path, forbidden), "a fallback intent cannot have this")
    slot_names = _slot_names_of(fields, path)
    scope = loader_dialog.Scope(intent=name, slot_names=slot_names, checks=checks)
    slots_by_name = {
        slot.name: slot
        for slot in (
            loader_slots.slot(slot_raw, f"{path}.Slots[{index}]", slot_types, scope)
            for index, slot_raw in enumerate(fields.get("Slots", []))
        )
    }
    order = _priorities(fields.get("SlotPriorities", []), _join(path, "SlotPriorities"), slot_names)
    utterances = _utterances(fields.get("SampleUtterances", []), _join(path, "SampleUtterances"), slot_names)
    if not is_fallback and not utterances:
        raise BotDefinitionError(
            _join(path, "SampleUtterances"), "an intent needs at least one sample utterance"
        )
    return IntentDef(
        name=name,
        is_fallback=is_fallback,
        sample_utterances=utterances,
        slots=tuple(slots_by_name[slot_name] for slot_name in order),
        confirmation=(
            _confirmation(
                fields["IntentConfirmationSetting"], _join(path, "IntentConfirmationSetting"), scope
            )
            if "IntentConfirmationSetting" in fields
            else None
        ),
        fulfillment=(
            _fulfillment(fields["FulfillmentCodeHook"], _join(path, "FulfillmentCodeHook"), scope)
            if "FulfillmentCodeHook" in fields
            else None
        ),
        closing=(
            _closing(fields["IntentClosingSetting"], _join(path, "IntentClosingSetting"), scope)
            if "IntentClosingSetting" in fields
            else None
        ),
        dialog_hook=dialog_hook,
        initial=(
            loader_dialog.initial_response(
                fields["InitialResponseSetting"], _join(path, "InitialResponseSetting"), scope
            )
            if "InitialResponseSetting" in fields
            else None
        ),
        input_contexts=(
            loader_dialog.input_contexts(fields["InputContexts"], _join(path, "InputContexts"))
            if "InputContexts" in fields
            else ()
        ),
        output_contexts=(
            loader_dialog.output_contexts(fields["OutputContexts"], _join(path, "OutputContexts"))
            if "OutputContexts" in fields
            else ()
        ),
    )


# -- locales ---------------------------------------------------------------------------------------------


def _locale(raw: Any, path: str) -> LocaleDef:
    fields = _object(
        raw,
        path,
        supported=("LocaleId", "NluConfidenceThreshold", "Intents", "SlotTypes"),
        harmless=("Description", "VoiceSettings", "SpeechDetectionSensitivity"),
        required=("LocaleId", "NluConfidenceThreshold", "Intents"),
    )
    locale_id = _str(fields["LocaleId"], _join(path, "LocaleId"))
    if not _LOCALE.match(locale_id):
        raise BotDefinitionError(_join(path, "LocaleId"), f"{locale_id!r} is not a locale id like en_US")
    if (locale_reason := locale_problem(locale_id)) is not None:
        raise BotDefinitionError(_join(path, "LocaleId"), locale_reason)
    threshold = _number(
        fields["NluConfidenceThreshold"], _join(path, "NluConfidenceThreshold"), low=0.0, high=1.0
    )
    slot_types: dict[str, CustomSlotType] = {}
    for index, type_raw in enumerate(_list(fields.get("SlotTypes", []), _join(path, "SlotTypes"))):
        slot_type = loader_slots.slot_type(type_raw, f"{path}.SlotTypes[{index}]")
        if slot_type.name in slot_types or slot_type.name in BUILT_IN_SLOT_TYPES:
            raise BotDefinitionError(
                f"{path}.SlotTypes[{index}].Name", f"slot type {slot_type.name} is defined twice"
            )
        slot_types[slot_type.name] = slot_type
    intents: list[IntentDef] = []
    checks = loader_dialog.StepChecks()
    for index, intent_raw in enumerate(_list(fields["Intents"], _join(path, "Intents"), min_items=1)):
        intent = _intent(intent_raw, f"{path}.Intents[{index}]", slot_types, checks)
        if any(existing.name == intent.name for existing in intents):
            raise BotDefinitionError(
                f"{path}.Intents[{index}].Name", f"intent {intent.name} is defined twice"
            )
        intents.append(intent)
    fallbacks = [intent for intent in intents if intent.is_fallback]
    if len(fallbacks) != 1:
        raise BotDefinitionError(
            _join(path, "Intents"),
            f"a locale needs exactly one intent with ParentIntentSignature {FALLBACK_SIGNATURE} "
            f"(found {len(fallbacks)})",
        )
    checks.check({intent.name: intent.slot_names for intent in intents})
    return LocaleDef(locale_id=locale_id, threshold=threshold, intents=tuple(intents), slot_types=slot_types)
