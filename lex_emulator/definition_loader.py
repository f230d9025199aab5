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

from . import loader_dialog
from .cfn_schema import validate_bot_definition
from .console_export import is_console_export, read_console_export
from .definition import (
    ALPHANUMERIC,
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
    SlotDef,
    SlotTypeValue,
)
from .errors import BotDefinitionError
from .loader_fields import (
    _bool,
    _check_references,
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
)
from .locales import locale_problem
from .slot_types.lex_regex import regex_problem

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


def _utterances(raw: Any, path: str, slot_names: tuple[str, ...]) -> tuple[str, ...]:
    utterances: list[str] = []
    for index, item in enumerate(_list(raw, path)):
        item_path = f"{path}[{index}]"
        fields = _object(item, item_path, supported=("Utterance",), required=("Utterance",))
        text = _str(fields["Utterance"], _join(item_path, "Utterance"), max_len=200).strip()
        if not text:
            raise BotDefinitionError(_join(item_path, "Utterance"), "must not be blank")
        _check_references(text, _join(item_path, "Utterance"), slot_names)
        utterances.append(text)
    return tuple(utterances)


def _slot(
    raw: Any, path: str, slot_types: Mapping[str, CustomSlotType], scope: loader_dialog.Scope
) -> SlotDef:
    slot_names = scope.slot_names
    fields = _object(
        raw,
        path,
        supported=("Name", "SlotTypeName", "ValueElicitationSetting"),
        harmless=("Description", "ObfuscationSetting", "MultipleValuesSetting"),
        required=("Name", "SlotTypeName", "ValueElicitationSetting"),
    )
    name = _name(fields["Name"], _join(path, "Name"))
    slot_type = _str(fields["SlotTypeName"], _join(path, "SlotTypeName"))
    if slot_type not in BUILT_IN_SLOT_TYPES and slot_type not in slot_types:
        raise BotDefinitionError(
            _join(path, "SlotTypeName"),
            f"{slot_type} is neither a slot type of this locale nor a built-in type the emulator "
            f"implements ({', '.join(sorted(BUILT_IN_SLOT_TYPES))})",
        )
    if "ObfuscationSetting" in fields:
        obfuscation_path = _join(path, "ObfuscationSetting")
        obfuscation = _object(
            fields["ObfuscationSetting"],
            obfuscation_path,
            supported=("ObfuscationSettingType",),
            required=("ObfuscationSettingType",),
        )
        if obfuscation["ObfuscationSettingType"] not in ("None", "DefaultObfuscation"):
            raise BotDefinitionError(
                _join(obfuscation_path, "ObfuscationSettingType"), "must be None or DefaultObfuscation"
            )
    multiple = False
    if "MultipleValuesSetting" in fields:
        multiple_path = _join(path, "MultipleValuesSetting")
        multiple_fields = _object(
            fields["MultipleValuesSetting"], multiple_path, supported=("AllowMultipleValues",)
        )
        multiple = _bool(
            multiple_fields.get("AllowMultipleValues", False), _join(multiple_path, "AllowMultipleValues")
        )
        if multiple and slot_type in BUILT_IN_SLOT_TYPES:
            # Lex V2 "Using multiple values in a slot": only custom slot types take several values.
            raise BotDefinitionError(
                _join(multiple_path, "AllowMultipleValues"), "multiple values need a custom slot type"
            )
    elicitation_path = _join(path, "ValueElicitationSetting")
    elicitation = _object(
        fields["ValueElicitationSetting"],
        elicitation_path,
        supported=(
            "SlotConstraint",
            "PromptSpecification",
            "SampleUtterances",
            "DefaultValueSpecification",
            "SlotCaptureSetting",
        ),
        harmless=("WaitAndContinueSpecification",),
        required=("SlotConstraint",),
    )
    if "WaitAndContinueSpecification" in elicitation:
        _must_be_off(
            elicitation["WaitAndContinueSpecification"],
            _join(elicitation_path, "WaitAndContinueSpecification"),
            "IsActive",
            off=False,
            what="wait-and-continue (a streaming feature)",
        )
    constraint = elicitation["SlotConstraint"]
    if constraint not in ("Required", "Optional"):
        raise BotDefinitionError(_join(elicitation_path, "SlotConstraint"), "must be Required or Optional")
    prompt = None
    if "PromptSpecification" in elicitation:
        prompt = _prompt(
            elicitation["PromptSpecification"], _join(elicitation_path, "PromptSpecification"), slot_names
        )
    if constraint == "Required" and prompt is None:
        raise BotDefinitionError(
            _join(elicitation_path, "PromptSpecification"), "is required for a Required slot"
        )
    sample_utterances = _utterances(
        elicitation.get("SampleUtterances", []), _join(elicitation_path, "SampleUtterances"), slot_names
    )
    defaults: tuple[str, ...] = ()
    if "DefaultValueSpecification" in elicitation:
        defaults = loader_dialog.default_values(
            elicitation["DefaultValueSpecification"], _join(elicitation_path, "DefaultValueSpecification")
        )
    capture = failure = None
    hook = None
    elicitation_hook = None
    if "SlotCaptureSetting" in elicitation:
        capture_path = _join(elicitation_path, "SlotCaptureSetting")
        setting = _object(
            elicitation["SlotCaptureSetting"],
            capture_path,
            supported=(
                "CaptureResponse",
                "CaptureNextStep",
                "CaptureConditional",
                "FailureResponse",
                "FailureNextStep",
                "FailureConditional",
                "CodeHook",
                "ElicitationCodeHook",
            ),
        )
        capture = loader_dialog.prefixed_outcome(setting, capture_path, scope, "Capture")
        failure = loader_dialog.prefixed_outcome(setting, capture_path, scope, "Failure")
        if "CodeHook" in setting:
            hook = loader_dialog.code_hook(setting["CodeHook"], _join(capture_path, "CodeHook"), scope)
        if "ElicitationCodeHook" in setting:
            elicitation_hook = loader_dialog.elicitation_hook(
                setting["ElicitationCodeHook"], _join(capture_path, "ElicitationCodeHook")
            )
    return SlotDef(
        name=name,
        slot_type=slot_type,
        required=constraint == "Required",
        prompt=prompt,
        sample_utterances=sample_utterances,
        defaults=defaults,
        multiple_values=multiple,
        capture=capture,
        capture_failure=failure,
        code_hook=hook,
        elicitation_hook=elicitation_hook,
    )


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
            _slot(slot_raw, f"{path}.Slots[{index}]", slot_types, scope)
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


# -- slot types and locales -----------------------------------------------------------------------


def _slot_type(raw: Any, path: str) -> CustomSlotType:
    fields = _object(
        raw,
        path,
        supported=("Name", "SlotTypeValues", "ValueSelectionSetting", "ParentSlotTypeSignature"),
        harmless=("Description",),
        required=("Name",),
    )
    name = _name(fields["Name"], _join(path, "Name"))
    parent = fields.get("ParentSlotTypeSignature")
    if parent is not None and parent != ALPHANUMERIC:
        raise BotDefinitionError(
            _join(path, "ParentSlotTypeSignature"),
            f"{parent} is not implemented by the Lex emulator (only {ALPHANUMERIC}, for a regex filter)",
        )
    values: list[SlotTypeValue] = []
    for index, value_raw in enumerate(_list(fields.get("SlotTypeValues", []), _join(path, "SlotTypeValues"))):
        value_path = f"{path}.SlotTypeValues[{index}]"
        value_fields = _object(
            value_raw, value_path, supported=("SampleValue", "Synonyms"), required=("SampleValue",)
        )
        sample = _object(
            value_fields["SampleValue"],
            _join(value_path, "SampleValue"),
            supported=("Value",),
            required=("Value",),
        )
        synonyms: list[str] = []
        for s_index, synonym_raw in enumerate(
            _list(value_fields.get("Synonyms", []), _join(value_path, "Synonyms"))
        ):
            synonym_path = f"{value_path}.Synonyms[{s_index}]"
            synonym = _object(synonym_raw, synonym_path, supported=("Value",), required=("Value",))
            synonyms.append(_str(synonym["Value"], _join(synonym_path, "Value"), max_len=140))
        values.append(
            SlotTypeValue(
                value=_str(sample["Value"], _join(value_path, "SampleValue.Value"), max_len=140),
                synonyms=tuple(synonyms),
            )
        )
    resolution = "OriginalValue"
    regex: str | None = None
    if "ValueSelectionSetting" in fields:
        setting_path = _join(path, "ValueSelectionSetting")
        setting = _object(
            fields["ValueSelectionSetting"],
            setting_path,
            supported=("ResolutionStrategy", "RegexFilter"),
            harmless=("AdvancedRecognitionSetting",),
            required=("ResolutionStrategy",),
        )
        resolution = _resolution_strategy(
            setting["ResolutionStrategy"], _join(setting_path, "ResolutionStrategy")
        )
        if "RegexFilter" in setting:
            regex_path = _join(setting_path, "RegexFilter")
            regex_fields = _object(
                setting["RegexFilter"], regex_path, supported=("Pattern",), required=("Pattern",)
            )
            regex = _str(regex_fields["Pattern"], _join(regex_path, "Pattern"), max_len=300)
            if (regex_reason := regex_problem(regex)) is not None:
                raise BotDefinitionError(_join(regex_path, "Pattern"), regex_reason)
            if parent != ALPHANUMERIC:
                raise BotDefinitionError(
                    regex_path, f"a regex filter needs ParentSlotTypeSignature {ALPHANUMERIC}"
                )
    if parent is None and not values:
        raise BotDefinitionError(_join(path, "SlotTypeValues"), "a custom slot type needs at least one value")
    return CustomSlotType(name=name, values=tuple(values), resolution=resolution, parent=parent, regex=regex)


# CloudFormation's spelling of ResolutionStrategy -> the emulator's internal name for it. The models
# API (CreateSlotType) spells them OriginalValue / TopResolution, which CloudFormation rejects.
_RESOLUTION_STRATEGIES = {"ORIGINAL_VALUE": "OriginalValue", "TOP_RESOLUTION": "TopResolution"}


def _resolution_strategy(raw: Any, path: str) -> str:
    for cloudformation, internal in _RESOLUTION_STRATEGIES.items():
        if raw == internal:
            raise BotDefinitionError(
                path,
                f"{raw} is the Lex models API's spelling; AWS::Lex::Bot (CloudFormation) spells it "
                f"{cloudformation}",
            )
        if raw == cloudformation:
            return internal
    raise BotDefinitionError(
        path, f"{raw!r} is not implemented by the Lex emulator (ORIGINAL_VALUE or TOP_RESOLUTION)"
    )


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
        slot_type = _slot_type(type_raw, f"{path}.SlotTypes[{index}]")
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
