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
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .cfn_schema import validate_bot_definition
from .console_export import is_console_export, read_console_export
from .definition import (
    ALPHANUMERIC,
    BUILT_IN_SLOT_TYPES,
    CUSTOM_PAYLOAD,
    IMAGE_RESPONSE_CARD,
    PLAIN_TEXT,
    SSML,
    BotDef,
    CardButton,
    ClosingDef,
    ConfirmationDef,
    CustomSlotType,
    FulfillmentDef,
    ImageCard,
    IntentDef,
    LocaleDef,
    MessageGroup,
    MessageTemplate,
    PromptSpec,
    ResponseSpec,
    SlotDef,
    SlotTypeValue,
)
from .errors import BotDefinitionError
from .messages import slot_references

FALLBACK_SIGNATURE = "AMAZON.FallbackIntent"
_NAME = re.compile(r"^([0-9a-zA-Z][_-]?)+$")
_LOCALE = re.compile(r"^[a-z]{2}_[A-Z]{2}$")

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


# -- generic field checks -------------------------------------------------------------------------


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _object(
    raw: Any,
    path: str,
    *,
    supported: Iterable[str],
    harmless: Iterable[str] = (),
    required: Iterable[str] = (),
) -> dict[str, Any]:
    where = path or "the bot definition"
    if not isinstance(raw, dict):
        raise BotDefinitionError(path, f"{where} must be a JSON object")
    supported = tuple(supported)
    allowed = set(supported) | set(harmless)
    for key in raw:
        if key not in allowed:
            raise BotDefinitionError(
                _join(path, str(key)),
                "is not supported by the Lex emulator; supported here: " + ", ".join(sorted(allowed)),
            )
    for key in required:
        if key not in raw:
            raise BotDefinitionError(_join(path, key), "is required")
    return raw


def _str(raw: Any, path: str, *, min_len: int = 1, max_len: int | None = None) -> str:
    if not isinstance(raw, str):
        raise BotDefinitionError(path, "must be a string")
    if len(raw) < min_len:
        raise BotDefinitionError(path, f"must have at least {min_len} character(s)")
    if max_len is not None and len(raw) > max_len:
        raise BotDefinitionError(path, f"must have at most {max_len} characters")
    return raw


def _name(raw: Any, path: str) -> str:
    value = _str(raw, path, max_len=100)
    if not _NAME.match(value):
        raise BotDefinitionError(path, f"{value!r} is not a valid Lex name (letters, digits, single _ or -)")
    return value


def _bool(raw: Any, path: str) -> bool:
    if not isinstance(raw, bool):
        raise BotDefinitionError(path, "must be true or false")
    return raw


def _int(raw: Any, path: str, *, low: int, high: int) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise BotDefinitionError(path, "must be an integer")
    if not low <= raw <= high:
        raise BotDefinitionError(path, f"must be between {low} and {high}")
    return raw


def _number(raw: Any, path: str, *, low: float, high: float) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise BotDefinitionError(path, "must be a number")
    if not low <= raw <= high:
        raise BotDefinitionError(path, f"must be between {low:g} and {high:g}")
    return float(raw)


def _list(raw: Any, path: str, *, min_items: int = 0, max_items: int | None = None) -> list[Any]:
    if not isinstance(raw, list):
        raise BotDefinitionError(path, "must be a JSON array")
    if len(raw) < min_items:
        raise BotDefinitionError(path, f"must have at least {min_items} item(s)")
    if max_items is not None and len(raw) > max_items:
        raise BotDefinitionError(path, f"must have at most {max_items} items")
    return raw


def _must_be_off(raw: Any, path: str, key: str, *, off: Any, what: str) -> None:
    """Accept a setting only in the value that leaves it off (e.g. ``DialogCodeHook.Enabled: false``)."""
    fields = _object(raw, path, supported=(key,), required=(key,))
    if fields[key] != off:
        raise BotDefinitionError(_join(path, key), f"{what} is not implemented by the Lex emulator")


# -- messages ---------------------------------------------------------------------------------------


def _check_references(text: str, path: str, slot_names: tuple[str, ...]) -> None:
    for name in slot_references(text):
        if name not in slot_names:
            known = ", ".join(slot_names) or "none"
            raise BotDefinitionError(
                path, f"refers to {{{name}}}, which is not a slot of this intent (slots: {known})"
            )


def _message(raw: Any, path: str, slot_names: tuple[str, ...]) -> MessageTemplate:
    kinds = ("PlainTextMessage", "CustomPayload", "SSMLMessage", "ImageResponseCard")
    fields = _object(raw, path, supported=kinds)
    present = [kind for kind in kinds if kind in fields]
    if len(present) != 1:
        raise BotDefinitionError(path, "must hold exactly one of " + ", ".join(kinds))
    kind = present[0]
    inner_path = _join(path, kind)
    if kind == "ImageResponseCard":
        card = _object(
            fields[kind],
            inner_path,
            supported=("Title", "Subtitle", "ImageUrl", "Buttons"),
            required=("Title",),
        )
        title = _str(card["Title"], _join(inner_path, "Title"), max_len=250)
        _check_references(title, _join(inner_path, "Title"), slot_names)
        subtitle = None
        if "Subtitle" in card:
            subtitle = _str(card["Subtitle"], _join(inner_path, "Subtitle"), max_len=250)
            _check_references(subtitle, _join(inner_path, "Subtitle"), slot_names)
        image_url = (
            _str(card["ImageUrl"], _join(inner_path, "ImageUrl"), max_len=250) if "ImageUrl" in card else None
        )
        buttons: list[CardButton] = []
        for index, button_raw in enumerate(
            _list(card.get("Buttons", []), _join(inner_path, "Buttons"), max_items=5)
        ):
            button_path = f"{inner_path}.Buttons[{index}]"
            button = _object(button_raw, button_path, supported=("Text", "Value"), required=("Text", "Value"))
            buttons.append(
                CardButton(
                    text=_str(button["Text"], _join(button_path, "Text"), max_len=50),
                    value=_str(button["Value"], _join(button_path, "Value"), max_len=50),
                )
            )
        return MessageTemplate(
            IMAGE_RESPONSE_CARD,
            card=ImageCard(title=title, subtitle=subtitle, image_url=image_url, buttons=tuple(buttons)),
        )
    value_fields = _object(fields[kind], inner_path, supported=("Value",), required=("Value",))
    value = _str(value_fields["Value"], _join(inner_path, "Value"), max_len=1000)
    content_type = {"PlainTextMessage": PLAIN_TEXT, "CustomPayload": CUSTOM_PAYLOAD, "SSMLMessage": SSML}[
        kind
    ]
    if content_type != CUSTOM_PAYLOAD:
        _check_references(value, _join(inner_path, "Value"), slot_names)
    return MessageTemplate(content_type, content=value)


def _groups(raw: Any, path: str, slot_names: tuple[str, ...]) -> tuple[MessageGroup, ...]:
    groups: list[MessageGroup] = []
    for index, group_raw in enumerate(_list(raw, path, min_items=1, max_items=5)):
        group_path = f"{path}[{index}]"
        group = _object(group_raw, group_path, supported=("Message", "Variations"), required=("Message",))
        variations = tuple(
            _message(variation, f"{group_path}.Variations[{v_index}]", slot_names)
            for v_index, variation in enumerate(
                _list(group.get("Variations", []), _join(group_path, "Variations"), max_items=2)
            )
        )
        groups.append(
            MessageGroup(
                message=_message(group["Message"], _join(group_path, "Message"), slot_names),
                variations=variations,
            )
        )
    return tuple(groups)


def _response(raw: Any, path: str, slot_names: tuple[str, ...]) -> ResponseSpec:
    fields = _object(
        raw,
        path,
        supported=("MessageGroupsList",),
        harmless=("AllowInterrupt",),
        required=("MessageGroupsList",),
    )
    if "AllowInterrupt" in fields:
        _bool(fields["AllowInterrupt"], _join(path, "AllowInterrupt"))
    return ResponseSpec(_groups(fields["MessageGroupsList"], _join(path, "MessageGroupsList"), slot_names))


def _prompt(raw: Any, path: str, slot_names: tuple[str, ...]) -> PromptSpec:
    fields = _object(
        raw,
        path,
        supported=("MessageGroupsList", "MaxRetries", "MessageSelectionStrategy"),
        harmless=("AllowInterrupt",),
        required=("MessageGroupsList", "MaxRetries"),
    )
    if "AllowInterrupt" in fields:
        _bool(fields["AllowInterrupt"], _join(path, "AllowInterrupt"))
    strategy = fields.get("MessageSelectionStrategy", "Random")
    if strategy not in ("Random", "Ordered"):
        raise BotDefinitionError(_join(path, "MessageSelectionStrategy"), "must be Random or Ordered")
    return PromptSpec(
        groups=_groups(fields["MessageGroupsList"], _join(path, "MessageGroupsList"), slot_names),
        max_retries=_int(fields["MaxRetries"], _join(path, "MaxRetries"), low=0, high=5),
        ordered=strategy == "Ordered",
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
    raw: Any, path: str, slot_types: Mapping[str, CustomSlotType], slot_names: tuple[str, ...]
) -> SlotDef:
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
    if "MultipleValuesSetting" in fields:
        _must_be_off(
            fields["MultipleValuesSetting"],
            _join(path, "MultipleValuesSetting"),
            "AllowMultipleValues",
            off=False,
            what="a multi-valued slot",
        )
    elicitation_path = _join(path, "ValueElicitationSetting")
    elicitation = _object(
        fields["ValueElicitationSetting"],
        elicitation_path,
        supported=("SlotConstraint", "PromptSpecification", "SampleUtterances"),
        required=("SlotConstraint",),
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
    return SlotDef(
        name=name,
        slot_type=slot_type,
        required=constraint == "Required",
        prompt=prompt,
        sample_utterances=sample_utterances,
    )


def _confirmation(raw: Any, path: str, slot_names: tuple[str, ...]) -> ConfirmationDef:
    fields = _object(
        raw,
        path,
        supported=("PromptSpecification", "DeclinationResponse", "ConfirmationResponse", "IsActive"),
        required=("PromptSpecification",),
    )
    return ConfirmationDef(
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


def _fulfillment(raw: Any, path: str, slot_names: tuple[str, ...]) -> FulfillmentDef:
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
    responses: dict[str, ResponseSpec] = {}
    if "PostFulfillmentStatusSpecification" in fields:
        post_path = _join(path, "PostFulfillmentStatusSpecification")
        post = _object(
            fields["PostFulfillmentStatusSpecification"],
            post_path,
            supported=("SuccessResponse", "FailureResponse", "TimeoutResponse"),
        )
        for key, value in post.items():
            responses[key] = _response(value, _join(post_path, key), slot_names)
    return FulfillmentDef(
        enabled=_bool(fields["Enabled"], _join(path, "Enabled")),
        active=_bool(fields.get("IsActive", True), _join(path, "IsActive")),
        success_response=responses.get("SuccessResponse"),
        failure_response=responses.get("FailureResponse"),
        timeout_response=responses.get("TimeoutResponse"),
    )


def _closing(raw: Any, path: str, slot_names: tuple[str, ...]) -> ClosingDef:
    fields = _object(raw, path, supported=("ClosingResponse", "IsActive"))
    return ClosingDef(
        response=(
            _response(fields["ClosingResponse"], _join(path, "ClosingResponse"), slot_names)
            if "ClosingResponse" in fields
            else None
        ),
        active=_bool(fields.get("IsActive", True), _join(path, "IsActive")),
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


def _intent(raw: Any, path: str, slot_types: Mapping[str, CustomSlotType]) -> IntentDef:
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
        ),
        harmless=("Description", "DisplayName", "DialogCodeHook"),
        required=("Name",),
    )
    name = _name(fields["Name"], _join(path, "Name"))
    if "DialogCodeHook" in fields:
        _must_be_off(
            fields["DialogCodeHook"],
            _join(path, "DialogCodeHook"),
            "Enabled",
            off=False,
            what="the dialog code hook (DialogCodeHook invocations)",
        )
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
    slots_by_name = {
        slot.name: slot
        for slot in (
            _slot(slot_raw, f"{path}.Slots[{index}]", slot_types, slot_names)
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
                fields["IntentConfirmationSetting"], _join(path, "IntentConfirmationSetting"), slot_names
            )
            if "IntentConfirmationSetting" in fields
            else None
        ),
        fulfillment=(
            _fulfillment(fields["FulfillmentCodeHook"], _join(path, "FulfillmentCodeHook"), slot_names)
            if "FulfillmentCodeHook" in fields
            else None
        ),
        closing=(
            _closing(fields["IntentClosingSetting"], _join(path, "IntentClosingSetting"), slot_names)
            if "IntentClosingSetting" in fields
            else None
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
        resolution = setting["ResolutionStrategy"]
        if resolution not in ("OriginalValue", "TopResolution"):
            raise BotDefinitionError(
                _join(setting_path, "ResolutionStrategy"),
                f"{resolution} is not implemented by the Lex emulator (OriginalValue or TopResolution)",
            )
        if "RegexFilter" in setting:
            regex_path = _join(setting_path, "RegexFilter")
            regex_fields = _object(
                setting["RegexFilter"], regex_path, supported=("Pattern",), required=("Pattern",)
            )
            regex = _str(regex_fields["Pattern"], _join(regex_path, "Pattern"), max_len=300)
            try:
                re.compile(regex)
            except re.error as error:
                raise BotDefinitionError(
                    _join(regex_path, "Pattern"), f"is not a valid pattern: {error}"
                ) from None
            if parent != ALPHANUMERIC:
                raise BotDefinitionError(
                    regex_path, f"a regex filter needs ParentSlotTypeSignature {ALPHANUMERIC}"
                )
    if parent is None and not values:
        raise BotDefinitionError(_join(path, "SlotTypeValues"), "a custom slot type needs at least one value")
    return CustomSlotType(name=name, values=tuple(values), resolution=resolution, parent=parent, regex=regex)


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
    for index, intent_raw in enumerate(_list(fields["Intents"], _join(path, "Intents"), min_items=1)):
        intent = _intent(intent_raw, f"{path}.Intents[{index}]", slot_types)
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
    return LocaleDef(locale_id=locale_id, threshold=threshold, intents=tuple(intents), slot_types=slot_types)
