"""Turn a Lex V2 console export (.zip, "Export bot", LexJson format) into ``AWS::Lex::Bot`` Properties.

The export is Lex's own layout (developer guide, "JSON format for importing and exporting bots in
Lex V2")::

    manifest.json                       {"metadata": {"fileFormat": "LexJson", "resourceType": "Bot"}}
    <BotName>/Bot.json                  name, dataPrivacy, idleSessionTTLInSeconds, description
    <BotName>/BotLocales/<locale>/BotLocale.json
        .../Intents/<intent>/Intent.json
        .../Intents/<intent>/Slots/<slot>/Slot.json
        .../SlotTypes/<slot type>/SlotType.json

Its files speak the Lex models API (camelCase keys, ``active``, ``messageGroups``, maps keyed by
slot name, ``OriginalValue``); CloudFormation speaks PascalCase (``IsActive``, ``MessageGroupsList``,
lists of ``{SlotName, SlotValueOverride}``, ``ORIGINAL_VALUE``) and nests slots in their intent and
intents and slot types in their locale. The conversion walks each file along the resource schema
cfn-lint ships, so every key lands on the schema's own name; what has no counterpart keeps a
PascalCase name and is refused by the schema check that follows, naming the field and the
export's file it came from (`read_console_export`). The deployment's own properties (the bot's
name, data privacy) are left out: the stack sets them.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any, cast

from .cfn_schema import property_schema, resolve, resource_schema, schema_definitions, validate_bot_definition
from .errors import BotDefinitionError

MAX_ENTRIES = 20_000
MAX_TOTAL_BYTES = 64 * 1024 * 1024
# The models API's names that differ from CloudFormation's by more than letter case.
_KEY_ALIASES = {
    "active": "IsActive",
    "messageGroups": "MessageGroupsList",
    "messageGroupList": "MessageGroupsList",
    "guardrail": "BedrockGuardrailConfiguration",
    "traceStatus": "BedrockTraceStatus",
    "customPrompt": "BedrockModelCustomPrompt",
    # older spellings the developer guide's examples show
    "slotValueElicitationSetting": "ValueElicitationSetting",
    "sampleValueElicitingUtterances": "SampleUtterances",
    "defaultValueSpec": "DefaultValueSpecification",
    "allowMutlipleValues": "AllowMultipleValues",  # sic: exports have carried this misspelling
}
_FIELD_SOURCE = re.compile(r"^BotLocales\[(\d+)\](?:\.(Intents|SlotTypes)\[(\d+)\](?:\.Slots\[(\d+)\])?)?")
# Bookkeeping of the export with no meaning in a template.
_METADATA_KEYS = frozenset(
    {"identifier", "version", "creationDateTime", "lastUpdatedDateTime", "itemId", "botId", "botVersion"}
)


def is_console_export(path: Path) -> bool:
    """Whether `path` names a console export (a ``.zip``) rather than a Properties ``.json``."""
    return path.suffix.lower() == ".zip"


def read_console_export(path: Path) -> dict[str, Any]:
    """The ``AWS::Lex::Bot`` Properties a console export zip describes, checked by the schema.

    A `BotDefinitionError` names the field in the Properties and the export's file it came from.
    """
    files = _read_zip(path)
    properties = convert_console_export(files)
    try:
        return validate_bot_definition(properties)
    except BotDefinitionError as error:
        source = source_file(files, properties, error.path)
        raise BotDefinitionError(error.path, f"{error.problem} (from {source} in {path.name})") from None


def source_file(files: Mapping[str, Any], properties: Mapping[str, Any], field: str) -> str:
    """The export's file a field of the converted Properties comes from (Bot.json above the locales)."""
    bot_dir = PurePosixPath(_bot_file(files)).parent
    match = _FIELD_SOURCE.match(field)
    if match is None:
        return str(bot_dir / "Bot.json")
    locale_index, kind, item_index, slot_index = match.groups()
    try:
        locale = properties["BotLocales"][int(locale_index)]
        folder = bot_dir / "BotLocales" / str(locale["LocaleId"])
        if kind is None:
            return str(folder / "BotLocale.json")
        item = locale[kind][int(item_index)]
        if kind == "SlotTypes":
            return str(folder / "SlotTypes" / str(item["Name"]) / "SlotType.json")
        folder = folder / "Intents" / str(item["Name"])
        if slot_index is None:
            return str(folder / "Intent.json")
        return str(folder / "Slots" / str(item["Slots"][int(slot_index)]["Name"]) / "Slot.json")
    except (KeyError, IndexError, TypeError):
        return str(bot_dir)


def _read_zip(path: Path) -> dict[str, Any]:
    try:
        with zipfile.ZipFile(path) as archive:
            return _read_members(archive, path)
    except FileNotFoundError:
        raise BotDefinitionError("", f"cannot read bot definition {path}: no such file") from None
    except zipfile.BadZipFile:
        raise BotDefinitionError("", f"{path} is not a zip file (a Lex V2 console export)") from None
    except OSError as error:
        raise BotDefinitionError(
            "", f"cannot read bot definition {path}: {error.strerror or error}"
        ) from None


def _read_members(archive: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    infos = [info for info in archive.infolist() if not info.is_dir() and info.filename.endswith(".json")]
    if len(infos) > MAX_ENTRIES or sum(info.file_size for info in infos) > MAX_TOTAL_BYTES:
        raise BotDefinitionError("", f"{path} is too large for a bot export")
    files: dict[str, Any] = {}
    for info in infos:
        if info.filename.startswith("__MACOSX/"):
            continue
        try:
            files[info.filename] = json.loads(archive.read(info).decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise BotDefinitionError("", f"{path}: {info.filename} is not valid JSON ({error})") from None
    return files


def _bot_file(files: Mapping[str, Any]) -> str:
    bots = sorted((name for name in files if PurePosixPath(name).name == "Bot.json"), key=len)
    if not bots:
        if any(name.endswith("BotLocale.json") for name in files):
            raise BotDefinitionError(
                "", "this is a bot locale export (no <BotName>/Bot.json): export the whole bot (Export bot)"
            )
        raise BotDefinitionError(
            "", "no <BotName>/Bot.json found: not a Lex V2 console export of a bot (Export bot, LexJson)"
        )
    return bots[0]


def convert_console_export(files: Mapping[str, Any]) -> dict[str, Any]:
    """Properties (not yet validated) from an export's parsed JSON files, keyed by their path in the zip."""
    bot_file = _bot_file(files)
    bot_dir = PurePosixPath(bot_file).parent
    _check_manifest(files, bot_dir)
    bot = _object(files[bot_file], bot_file)
    properties = _convert_object(
        {key: value for key, value in bot.items() if key not in ("name", "dataPrivacy")}, resource_schema()
    )
    # Settings an export may carry at their defaults, which a template leaves out.
    if properties.get("BotType") == "Bot":
        del properties["BotType"]
    if properties.get("ErrorLogSettings") == {"Enabled": False}:
        del properties["ErrorLogSettings"]
    locales = _children(files, bot_dir / "BotLocales", "BotLocale.json")
    properties["BotLocales"] = [_locale(files, folder, name) for folder, name in locales]
    return properties


def _check_manifest(files: Mapping[str, Any], bot_dir: PurePosixPath) -> None:
    manifests = [name for name in files if PurePosixPath(name).name.lower() == "manifest.json"]
    if not manifests:
        return
    manifest = _object(files[manifests[0]], manifests[0])
    metadata = manifest.get("metadata") or manifest.get("metaData") or {}
    fmt, kind = metadata.get("fileFormat"), metadata.get("resourceType")
    if fmt not in (None, "LexJson") or kind not in (None, "Bot", "BOT"):
        raise BotDefinitionError(
            "", f"{manifests[0]} describes a {kind} export in {fmt} format; a Bot export in LexJson is needed"
        )


def _children(files: Mapping[str, Any], folder: PurePosixPath, leaf: str) -> list[tuple[PurePosixPath, str]]:
    """(folder, file name) of every ``folder/<name>/leaf``, sorted by name."""
    found = []
    for name in files:
        path = PurePosixPath(name)
        if path.name == leaf and path.parent.parent == folder:
            found.append((path.parent, name))
    return sorted(found)


def _object(raw: Any, name: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise BotDefinitionError("", f"{name} must hold a JSON object")
    return raw


def _locale(files: Mapping[str, Any], folder: PurePosixPath, name: str) -> dict[str, Any]:
    definitions = schema_definitions()
    raw = _object(files[name], name)
    locale_id = raw.get("identifier") or raw.get("localeId") or folder.name
    body = {key: value for key, value in raw.items() if key not in ("name", "identifier", "localeId")}
    locale = _convert_object(body, definitions["BotLocale"])
    locale = {"LocaleId": locale_id, **locale}
    slot_types = [
        _object(files[type_name], type_name)
        for _, type_name in _children(files, folder / "SlotTypes", "SlotType.json")
    ]
    type_names = {str(t.get("identifier")): str(t.get("name")) for t in slot_types if t.get("identifier")}
    if slot_types:
        locale["SlotTypes"] = [_slot_type(raw_type) for raw_type in slot_types]
    intents = _children(files, folder / "Intents", "Intent.json")
    if intents:
        locale["Intents"] = [_intent(files, i_folder, i_name, type_names) for i_folder, i_name in intents]
    vocabulary = folder / "CustomVocabulary" / "CustomVocabulary.json"
    if str(vocabulary) in files:
        locale["CustomVocabulary"] = _convert(files[str(vocabulary)], definitions["CustomVocabulary"])
    return locale


def _slot_type(raw: dict[str, Any]) -> dict[str, Any]:
    body = dict(raw)
    strategy = body.pop("valueSelectionStrategy", None)  # the guide's older, flat spelling
    if strategy is not None and not body.get("valueSelectionSetting"):
        body["valueSelectionSetting"] = {"resolutionStrategy": strategy}
    return _convert_object(body, schema_definitions()["SlotType"])


def _intent(
    files: Mapping[str, Any], folder: PurePosixPath, name: str, type_names: Mapping[str, str]
) -> dict[str, Any]:
    raw = _object(files[name], name)
    slot_files = [
        _object(files[slot_name], slot_name)
        for _, slot_name in _children(files, folder / "Slots", "Slot.json")
    ]
    slot_names = {str(s.get("identifier")): str(s.get("name")) for s in slot_files if s.get("identifier")}
    body = {key: value for key, value in raw.items() if key != "slotPriorities"}
    intent = _convert_object(body, schema_definitions()["Intent"])
    if slot_files:
        intent["Slots"] = [_slot(slot, type_names) for slot in slot_files]
    priorities = [_priority(item, slot_names, name) for item in raw.get("slotPriorities") or []]
    if priorities:
        intent["SlotPriorities"] = priorities
    return intent


def _priority(item: Any, slot_names: Mapping[str, str], where: str) -> dict[str, Any]:
    """A slot priority names its slot; the export may name it by the slot's id."""
    if not isinstance(item, dict):
        raise BotDefinitionError("", f"{where}: a slotPriorities item must be a JSON object")
    slot = item.get("slotName")
    if slot is None and item.get("slotId") is not None:
        slot = slot_names.get(str(item["slotId"]))
        if slot is None:
            raise BotDefinitionError(
                "", f"{where}: slotPriorities names slot id {item['slotId']}, not in Slots/"
            )
    return {"Priority": item.get("priority"), "SlotName": slot}


def _slot(raw: dict[str, Any], type_names: Mapping[str, str]) -> dict[str, Any]:
    body = dict(raw)
    type_id = body.pop("slotTypeId", None)
    if not body.get("slotTypeName") and type_id is not None:
        # a built-in type's id is its name (AMAZON.Date); a custom one's is the SlotType.json identifier
        body["slotTypeName"] = type_names.get(str(type_id), str(type_id))
    constraint = body.pop("slotConstraint", None)  # the guide's older, flat spelling
    elicitation = body.get("valueElicitationSetting") or body.get("slotValueElicitationSetting")
    if constraint is not None and isinstance(elicitation, dict):
        elicitation.setdefault("slotConstraint", constraint)
    if isinstance(elicitation, dict) and (elicitation.get("slotResolutionSetting") or {}).get(
        "slotResolutionStrategy"
    ) in (None, "Default"):
        elicitation.pop("slotResolutionSetting", None)  # the default; CloudFormation has no such setting
    return _convert_object(body, schema_definitions()["Slot"])


# -- the schema-guided walk ---------------------------------------------------------------------------


def _cfn_key(key: str, schema: Mapping[str, Any]) -> str:
    names = {str(name).lower(): str(name) for name in schema.get("properties", {})}
    if key.lower() in names:
        return names[key.lower()]
    alias = _KEY_ALIASES.get(key)
    if alias is not None and alias in schema.get("properties", {}):
        return alias
    return key[:1].upper() + key[1:]


def _convert_object(value: Mapping[str, Any], schema: Mapping[str, Any] | None) -> dict[str, Any]:
    return cast(dict[str, Any], _convert(value, schema))


def _convert(value: Any, schema: Mapping[str, Any] | None) -> Any:
    resolved = resolve(schema, schema_definitions())
    if isinstance(value, dict):
        if resolved.get("type") == "array":
            return _map_to_list(value, resolved)
        keep_keys = bool(resolved.get("patternProperties")) and not resolved.get("properties")
        out: dict[str, Any] = {}
        for key, item in value.items():
            if item is None or key in _METADATA_KEYS:
                continue
            cfn_key = str(key) if keep_keys else _cfn_key(str(key), resolved)
            out[cfn_key] = _convert(item, property_schema(resolved, cfn_key))
        return out
    if isinstance(value, list):
        items = resolved.get("items")
        return [
            _convert(item, items if isinstance(items, dict) else None) for item in value if item is not None
        ]
    allowed = resolved.get("enum")
    if isinstance(value, str) and allowed and value not in allowed:
        snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", value).upper()
        if snake in allowed:
            return snake
    return value


def _map_to_list(value: Mapping[str, Any], schema: Mapping[str, Any]) -> list[Any]:
    """The API's maps (slot name -> override, attribute -> value, tag -> value) as CloudFormation's lists."""
    item_schema = resolve(schema.get("items"), schema_definitions())
    fields = set(item_schema.get("properties", {}))
    if fields == {"SlotName", "SlotValueOverride"}:
        inner = item_schema["properties"]["SlotValueOverride"]
        return [{"SlotName": key, "SlotValueOverride": _convert(item, inner)} for key, item in value.items()]
    if {"Key", "Value"} <= fields:
        return [{"Key": key, "Value": item} for key, item in value.items()]
    return [_convert(value, item_schema)]
