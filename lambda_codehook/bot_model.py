"""What the code hook needs to know about the bot, read from the bot definition (bot.json).

Per locale: the intents, their slot names, which code hooks they enable (a dialog code hook, or any
initial-response, slot-capture or confirmation step that invokes the hook, all arrive as
DialogCodeHook; the fulfillment code hook arrives as FulfillmentCodeHook) and whether the intent
defines a post-fulfillment failure response. Reading is forgiving; the stack and the emulator
check the definition's shape.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FALLBACK_INTENT = "FallbackIntent"


class BotModelError(ValueError):
    """The bot definition cannot be read; the message names the file."""


@dataclass(frozen=True)
class IntentInfo:
    """One intent of one locale."""

    name: str
    slots: frozenset[str]
    prompted_slots: frozenset[str]
    dialog_hook: bool
    fulfillment_hook: bool
    failure_response: bool
    confirmation: bool


@dataclass(frozen=True)
class BotModel:
    """Intents by locale, as the code hook sees them."""

    locales: Mapping[str, Mapping[str, IntentInfo]]
    source: str = "<dict>"

    @classmethod
    def from_file(cls, path: Path) -> BotModel:
        """A Properties `.json` (the stack bundles the definition as JSON; the dev server converts a
        console export `.zip` to JSON first)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise BotModelError(f"cannot read the bot definition {path}: {error.strerror}") from None
        except ValueError as error:
            raise BotModelError(f"the bot definition {path} is not valid JSON: {error}") from None
        return cls.from_dict(data, source=str(path))

    @classmethod
    def from_dict(cls, data: object, *, source: str = "<dict>") -> BotModel:
        locales_raw = data.get("BotLocales") if isinstance(data, Mapping) else None
        if not isinstance(locales_raw, list) or not locales_raw:
            raise BotModelError(f"the bot definition {source} has no BotLocales list")
        locales: dict[str, dict[str, IntentInfo]] = {}
        for locale in locales_raw:
            locale_id = locale.get("LocaleId") if isinstance(locale, Mapping) else None
            if not isinstance(locale_id, str):
                continue
            intents = locale.get("Intents")
            locales[locale_id] = {
                info.name: info
                for info in (_intent(raw) for raw in (intents if isinstance(intents, list) else []))
                if info is not None
            }
        return cls(locales=locales, source=source)

    def intent(self, locale: str, name: str) -> IntentInfo | None:
        return self.locales.get(locale, {}).get(name)

    def intent_names(self) -> list[str]:
        """Every intent name of any locale, in definition order, once each."""
        names: dict[str, None] = {}
        for intents in self.locales.values():
            names.update(dict.fromkeys(intents))
        return list(names)

    def hooks_anywhere(self, name: str) -> tuple[bool, bool]:
        """(dialog, fulfillment): whether the intent enables each kind of hook in some locale."""
        infos = [intents[name] for intents in self.locales.values() if name in intents]
        return any(i.dialog_hook for i in infos), any(i.fulfillment_hook for i in infos)


def _intent(raw: object) -> IntentInfo | None:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("Name"), str):
        return None
    slots = raw.get("Slots")
    fulfillment = _mapping(raw.get("FulfillmentCodeHook"))
    post = _mapping(fulfillment.get("PostFulfillmentStatusSpecification"))
    named = [
        slot
        for slot in (slots if isinstance(slots, list) else [])
        if isinstance(slot, Mapping) and isinstance(slot.get("Name"), str)
    ]
    return IntentInfo(
        name=raw["Name"],
        slots=frozenset(slot["Name"] for slot in named),
        prompted_slots=frozenset(
            slot["Name"]
            for slot in named
            if _mapping(_mapping(slot.get("ValueElicitationSetting")).get("PromptSpecification"))
        ),
        dialog_hook=_mapping(raw.get("DialogCodeHook")).get("Enabled") is True
        or _invokes_hook({k: v for k, v in raw.items() if k != "FulfillmentCodeHook"}),
        fulfillment_hook=fulfillment.get("Enabled") is True,
        failure_response=bool(post.get("FailureResponse")),
        confirmation=bool(_mapping(raw.get("IntentConfirmationSetting")).get("PromptSpecification")),
    )


def _invokes_hook(node: Any) -> bool:
    """Whether some step below `node` (initial response, slot capture, confirmation...) has a
    `CodeHook` with `EnableCodeHookInvocation: true`: Lex sends those as DialogCodeHook."""
    if isinstance(node, Mapping):
        hook = node.get("CodeHook")
        if isinstance(hook, Mapping) and hook.get("EnableCodeHookInvocation") is True:
            return True
        return any(_invokes_hook(value) for value in node.values())
    if isinstance(node, list):
        return any(_invokes_hook(item) for item in node)
    return False


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}
