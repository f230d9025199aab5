"""Slots and custom slot types of a bot definition, checked field by field (`definition_loader` uses them).

A slot names its type (custom or one of the built-in types the emulator implements) and how it is
elicited: constraint, prompt, sample utterances, default values from contexts or literals, capture
and failure responses with next steps, and its code hooks. A custom slot type has values with
synonyms, a resolution strategy spelled as CloudFormation spells it, and, under
AMAZON.AlphaNumeric, a regex filter in Lex's regex dialect. Anything else is a
`BotDefinitionError` naming its path.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import loader_dialog
from .definition import ALPHANUMERIC, BUILT_IN_SLOT_TYPES, CustomSlotType, SlotDef, SlotTypeValue
from .errors import BotDefinitionError
from .loader_fields import _bool, _join, _list, _must_be_off, _name, _object, _prompt, _str, _utterances
from .slot_types.lex_regex import regex_problem


def slot(
    raw: Any, path: str, slot_types: Mapping[str, CustomSlotType], scope: loader_dialog.Scope
) -> SlotDef:
    """One slot of an intent (`Slots[i]`), its elicitation, capture and hooks checked."""
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


def slot_type(raw: Any, path: str) -> CustomSlotType:
    """One custom slot type of a locale (`SlotTypes[i]`): values, synonyms, resolution, regex filter."""
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
