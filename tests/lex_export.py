"""Build Lex V2 console export zips for tests, from ``AWS::Lex::Bot`` Properties we write ourselves.

`export_zip` lays the Properties out the way the console's "Export bot" does (LexJson format: a
manifest, <BotName>/Bot.json, BotLocales/<locale>/BotLocale.json, Intents/<name>/Intent.json,
Slots/<name>/Slot.json, SlotTypes/<name>/SlotType.json) in the models API's spelling: camelCase
keys, ``active``, ``messageGroups``, maps keyed by slot or attribute name, ``OriginalValue``, the
empty alternatives as ``null``, and slot priorities naming slots by id. It is the inverse of
`lex_emulator.console_export`, written independently of it, so a round trip tests the conversion.
"""

from __future__ import annotations

import copy
import json
import zipfile
from pathlib import Path
from typing import Any

_KEYS = {"IsActive": "active", "MessageGroupsList": "messageGroups", "SSMLMessage": "ssmlMessage"}
_MESSAGE_KINDS = ("plainTextMessage", "customPayload", "ssmlMessage", "imageResponseCard")


def api_key(key: str) -> str:
    return _KEYS.get(key, key[:1].lower() + key[1:])


def api_spelling(value: Any, key: str = "") -> Any:
    """CloudFormation's spelling of a value turned into the Lex models API's (what an export holds)."""
    if isinstance(value, dict):
        if key == "PromptAttemptsSpecification":  # a map keyed by attempt (Initial, Retry1, ...)
            return {k: api_spelling(v) for k, v in value.items()}
        out = {api_key(k): api_spelling(v, k) for k, v in value.items()}
        if key in ("Message", "Variations") or set(out) & set(_MESSAGE_KINDS):
            out = {kind: out.get(kind) for kind in _MESSAGE_KINDS}  # the export writes null for the others
        if key == "MessageGroupsList" or "message" in out:
            out.setdefault("variations", None)
        return out
    if isinstance(value, list):
        if key == "SessionAttributes":
            return {item["Key"]: item["Value"] for item in value}
        if value and all(isinstance(item, dict) and "SlotValueOverride" in item for item in value):
            return {item["SlotName"]: api_spelling(item["SlotValueOverride"]) for item in value}
        return [api_spelling(item, key) for item in value]
    if key == "ResolutionStrategy" and isinstance(value, str):
        return "".join(part.capitalize() for part in value.split("_"))  # ORIGINAL_VALUE -> OriginalValue
    return value


def _ident(kind: str, index: int) -> str:
    return f"{kind[:4].upper()}{index:06d}"


def export_files(properties: dict[str, Any], bot_name: str = "TestBot") -> dict[str, Any]:
    """The export's JSON files, by their path inside the zip."""
    root = bot_name
    files: dict[str, Any] = {
        "manifest.json": {"metadata": {"schemaVersion": "1", "fileFormat": "LexJson", "resourceType": "Bot"}},
        f"{root}/Bot.json": {
            "name": bot_name,
            "identifier": "BOTID12345",
            "version": "DRAFT",
            "description": properties.get("Description"),
            "dataPrivacy": {"childDirected": False},
            "idleSessionTTLInSeconds": properties["IdleSessionTTLInSeconds"],
        },
    }
    for locale in properties["BotLocales"]:
        folder = f"{root}/BotLocales/{locale['LocaleId']}"
        body = {k: v for k, v in locale.items() if k not in ("LocaleId", "Intents", "SlotTypes")}
        files[f"{folder}/BotLocale.json"] = {
            "name": f"Locale {locale['LocaleId']}",
            "identifier": locale["LocaleId"],
            "version": "DRAFT",
            **api_spelling(body),
        }
        for index, slot_type in enumerate(locale.get("SlotTypes", [])):
            files[f"{folder}/SlotTypes/{slot_type['Name']}/SlotType.json"] = {
                "identifier": _ident("type", index),
                **api_spelling(slot_type),
            }
        for i_index, intent in enumerate(locale.get("Intents", [])):
            intent_folder = f"{folder}/Intents/{intent['Name']}"
            slot_ids = {
                slot["Name"]: _ident("slot", i_index * 100 + n)
                for n, slot in enumerate(intent.get("Slots", []))
            }
            body = {k: v for k, v in intent.items() if k not in ("Slots", "SlotPriorities")}
            files[f"{intent_folder}/Intent.json"] = {
                "identifier": _ident("intent", i_index),
                "inputContexts": None,
                "kendraConfiguration": None,
                **api_spelling(body),
                "slotPriorities": [
                    {"priority": item["Priority"], "slotId": slot_ids[item["SlotName"]]}
                    for item in intent.get("SlotPriorities", [])
                ],
            }
            for slot in intent.get("Slots", []):
                files[f"{intent_folder}/Slots/{slot['Name']}/Slot.json"] = {
                    "identifier": slot_ids[slot["Name"]],
                    "obfuscationSetting": None,
                    **api_spelling(slot),
                }
    return files


def canonical(properties: dict[str, Any]) -> dict[str, Any]:
    """`properties` with locales, slot types, intents and slots in name order, as a converted export has them.

    An export keeps each of these in a folder of its own, so it has no order for them (nor has
    CloudFormation: the schema marks these lists insertionOrder false).
    """
    out = copy.deepcopy(properties)
    out["BotLocales"].sort(key=lambda locale: locale["LocaleId"])
    for locale in out["BotLocales"]:
        for key in ("SlotTypes", "Intents"):
            if key in locale:
                locale[key].sort(key=lambda item: item["Name"])
        for intent in locale.get("Intents", []):
            if "Slots" in intent:
                intent["Slots"].sort(key=lambda slot: slot["Name"])
    return out


def write_zip(files: dict[str, Any], path: Path) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, json.dumps(content, ensure_ascii=False, indent=2))
    return path


def export_zip(properties: dict[str, Any], path: Path, bot_name: str = "TestBot") -> Path:
    """Write the console export of `properties` to `path` (a ``.zip``)."""
    return write_zip(export_files(properties, bot_name), path)
