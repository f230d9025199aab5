"""`IntentRequest`: what a handler reads from one Lex V2 code-hook event, and the few things it may change.

A read-only view of the event (intent, invocation source, locale, transcript, slots, confirmation
state, proposed next state, request attributes), plus two things a handler owns for the turn:
`session_attributes` (a mutable copy, returned to Lex with the response) and the slot values
(`set_slot`/`clear_slot`, so a validation can clear a bad value and elicit it again).
Reading is forgiving: a missing or odd field reads as empty, never as an exception. Field meanings
follow the Lex V2 developer guide's "AWS Lambda input event format for Lex V2": every dialog-side
hook (dialog code hook, initial response, slot capture, elicitation) arrives as DialogCodeHook,
told apart by `invocationLabel` and `proposedNextState` (what Lex would do on Delegate).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

DIALOG_CODE_HOOK = "DialogCodeHook"
FULFILLMENT_CODE_HOOK = "FulfillmentCodeHook"

LlmAsker = Callable[[str, str | None], str]
"""`(prompt, instructions) -> text`: how the code hook lets a handler ask the LLM."""


class LlmUnavailableError(RuntimeError):
    """`ask_llm` got no answer (no LLM configured, timeout, rate limit, provider failure).

    `kind` is the reason in one word ("not_configured", "timeout", "rate_limited", ...). A handler may
    catch it and answer something else; left uncaught, the turn fails with the intent's failure response.
    """

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"the LLM gave no answer ({kind}){': ' + detail if detail else ''}")
        self.kind = kind


@dataclass(frozen=True)
class SlotValue:
    """One slot's value as Lex understood it.

    `original` is what the user typed, `interpreted` what Lex made of it (the value to use),
    `resolved` the candidate values Lex considered. A multi-value slot (`AllowMultipleValues`) has
    its single values in `values`; its own `interpreted` is Lex's joined text.
    """

    interpreted: str
    original: str
    resolved: tuple[str, ...] = ()
    values: tuple[SlotValue, ...] = ()

    @property
    def is_list(self) -> bool:
        return bool(self.values)

    def interpreted_values(self) -> list[str]:
        """The interpreted value of each item of a multi-value slot, or `[interpreted]`."""
        return [value.interpreted for value in self.values] if self.values else [self.interpreted]


@dataclass(frozen=True)
class ProposedNextState:
    """What Lex would do next if the dialog hook delegates: its action, the slot it would elicit, the
    attempt ("Initial", "Retry1", ...). Only dialog code hooks of some steps carry one."""

    action: str
    slot_to_elicit: str | None
    attempt: str | None


class IntentRequest:
    """One code-hook invocation, as a handler sees it. Build it with `IntentRequest(event)`."""

    def __init__(self, event: Mapping[str, Any], *, ask_llm: LlmAsker | None = None) -> None:
        data: Mapping[str, Any] = event if isinstance(event, Mapping) else {}
        self._event = data
        state = _mapping(data.get("sessionState"))
        intent = _mapping(state.get("intent"))
        self._intent = intent
        slots = _mapping(intent.get("slots"))
        self._slots: dict[str, Any] = {
            name: copy.deepcopy(value) for name, value in slots.items() if isinstance(name, str)
        }
        attributes = _mapping(state.get("sessionAttributes"))
        self.session_attributes: dict[str, str] = {
            key: value for key, value in attributes.items() if isinstance(key, str) and isinstance(value, str)
        }
        """The session's attributes, yours to change; the response carries them back to Lex."""
        self._ask_llm = ask_llm

    # -- what the event says ------------------------------------------------------------------------

    @property
    def intent_name(self) -> str:
        return _text(self._intent.get("name"))

    @property
    def invocation_source(self) -> str:
        """ "DialogCodeHook" or "FulfillmentCodeHook"."""
        return _text(self._event.get("invocationSource"))

    @property
    def is_dialog(self) -> bool:
        return self.invocation_source == DIALOG_CODE_HOOK

    @property
    def is_fulfillment(self) -> bool:
        return self.invocation_source == FULFILLMENT_CODE_HOOK

    @property
    def invocation_label(self) -> str | None:
        """The label the bot gives this code-hook step (initial response, slot elicitation...), if any."""
        return _text(self._event.get("invocationLabel")) or None

    @property
    def locale(self) -> str:
        return _text(_mapping(self._event.get("bot")).get("localeId")) or "en_US"

    @property
    def session_id(self) -> str:
        return _text(self._event.get("sessionId"))

    @property
    def input_transcript(self) -> str:
        """What the user typed (or said) this turn."""
        return _text(self._event.get("inputTranscript"))

    @property
    def intent_state(self) -> str:
        return _text(self._intent.get("state")) or "InProgress"

    @property
    def confirmation_state(self) -> str:
        """ "None", "Confirmed" or "Denied"."""
        return _text(self._intent.get("confirmationState")) or "None"

    @property
    def request_attributes(self) -> Mapping[str, str]:
        raw = _mapping(self._event.get("requestAttributes"))
        return MappingProxyType({k: v for k, v in raw.items() if isinstance(k, str) and isinstance(v, str)})

    @property
    def proposed_next_state(self) -> ProposedNextState | None:
        proposed = _mapping(self._event.get("proposedNextState"))
        action = _mapping(proposed.get("dialogAction"))
        if not _text(action.get("type")):
            return None
        return ProposedNextState(
            action=_text(action.get("type")),
            slot_to_elicit=_text(action.get("slotToElicit")) or None,
            attempt=_text(_mapping(proposed.get("prompt")).get("attempt")) or None,
        )

    @property
    def active_contexts(self) -> list[Any] | None:
        """The session's active contexts as Lex sent them (a copy), returned unchanged."""
        contexts = _mapping(self._event.get("sessionState")).get("activeContexts")
        return copy.deepcopy(contexts) if isinstance(contexts, list) else None

    @property
    def event(self) -> Mapping[str, Any]:
        """The raw event, read-only, for anything this class does not expose."""
        return MappingProxyType(dict(self._event))

    # -- slots ------------------------------------------------------------------------------------

    @property
    def slot_names(self) -> tuple[str, ...]:
        return tuple(self._slots)

    def slot(self, name: str) -> SlotValue | None:
        """The slot's current value (after any `set_slot`), or None when it has none."""
        return _slot_value(self._slots.get(name))

    def value(self, name: str) -> str | None:
        """Shortcut: the slot's interpreted value, or None."""
        slot = self.slot(name)
        return slot.interpreted if slot else None

    @property
    def slots(self) -> Mapping[str, SlotValue | None]:
        """Every slot of the intent with its current value (None when empty)."""
        return MappingProxyType({name: _slot_value(raw) for name, raw in self._slots.items()})

    def set_slot(self, name: str, value: str | Sequence[str] | None) -> None:
        """Give the slot a value (a list for a multi-value slot); None clears it."""
        if value is None:
            self._slots[name] = None
        elif isinstance(value, str):
            self._slots[name] = _scalar_wire(value)
        else:
            items = [str(item) for item in value]
            self._slots[name] = {
                "shape": "List",
                "value": _scalar_wire(", ".join(items))["value"],
                "values": [_scalar_wire(item) for item in items],
            }

    def clear_slot(self, name: str) -> None:
        """Empty the slot, e.g. before eliciting it again after a bad value."""
        self.set_slot(name, None)

    def slots_wire(self) -> dict[str, Any]:
        """The slots in Lex V2's wire shape, as they will be returned (a copy)."""
        return copy.deepcopy(self._slots)

    # -- the LLM ----------------------------------------------------------------------------------

    def ask_llm(self, prompt: str, *, instructions: str | None = None) -> str:
        """Free text from the bot's LLM (same provider, deadline and conversation memory as the
        fallback). `instructions` replaces the default system prompt for this call. Raises
        `LlmUnavailableError` when no answer comes."""
        if self._ask_llm is None:
            raise LlmUnavailableError("not_configured", "this request was built without an LLM")
        return self._ask_llm(prompt, instructions)


def _scalar_wire(value: str) -> dict[str, Any]:
    return {
        "shape": "Scalar",
        "value": {"originalValue": value, "interpretedValue": value, "resolvedValues": [value]},
    }


def _slot_value(raw: object) -> SlotValue | None:
    slot = _mapping(raw)
    value = _mapping(slot.get("value"))
    items = [item for item in (_slot_value(v) for v in _list(slot.get("values"))) if item is not None]
    interpreted = _text(value.get("interpretedValue"))
    if not interpreted and items:
        interpreted = ", ".join(item.interpreted for item in items)
    if not interpreted:
        return None
    resolved = tuple(v for v in _list(value.get("resolvedValues")) if isinstance(v, str))
    return SlotValue(
        interpreted=interpreted,
        original=_text(value.get("originalValue")) or interpreted,
        resolved=resolved,
        values=tuple(items),
    )


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
