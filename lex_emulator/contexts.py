"""Intent contexts: active contexts with their time to live, input-context gating, slot default values.

Lex V2 developer guide, "Setting intent context": an intent with input contexts can be recognised
only while all of them are active; an intent's output contexts become active when it is fulfilled,
carrying the intent's slot values as context attributes, and stay active for ``TurnsToLive`` turns
or ``TimeToLiveInSeconds`` seconds, whichever ends first. "Using default slot values": before a slot
is elicited, its ``DefaultValueSpecification`` is tried in order: ``#context.slot`` (an attribute of
an active context), ``[attribute]`` (a session attribute), ``<attribute>`` (a request attribute of
this request) or a literal value; the first that exists fills the slot.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from .definition import IntentDef, OutputContextDef
from .sessions import Session
from .state import IntentState

_CONTEXT_REFERENCE = re.compile(r"^#([0-9A-Za-z_-]+)\.([0-9A-Za-z_-]+)$")
_SESSION_REFERENCE = re.compile(r"^\[(.+)\]$")
_REQUEST_REFERENCE = re.compile(r"^<(.+)>$")


def active_names(session: Session) -> set[str]:
    return {str(context.get("name")) for context in session.active_contexts}


def expire(session: Session, now: float) -> None:
    """Drop contexts whose seconds ran out or whose turns are used up."""
    kept = []
    for context in session.active_contexts:
        name = str(context.get("name"))
        turns = (context.get("timeToLive") or {}).get("turnsToLive")
        deadline = session.context_expiry.get(name)
        if (deadline is not None and now >= deadline) or (isinstance(turns, int) and turns <= 0):
            session.context_expiry.pop(name, None)
            continue
        kept.append(context)
    session.active_contexts = kept


def count_turn(session: Session, existing: set[str]) -> None:
    """One turn used by every context that was already active when the turn began."""
    for context in session.active_contexts:
        if context.get("name") in existing:
            ttl = context.setdefault("timeToLive", {})
            if isinstance(ttl.get("turnsToLive"), int):
                ttl["turnsToLive"] -= 1
    session.active_contexts = [
        context
        for context in session.active_contexts
        if not isinstance((context.get("timeToLive") or {}).get("turnsToLive"), int)
        or context["timeToLive"]["turnsToLive"] > 0
    ]


def set_output_contexts(
    session: Session, contexts: tuple[OutputContextDef, ...], intent: IntentState, now: float
) -> None:
    """Activate an intent's output contexts, with its slot values as context attributes."""
    attributes = {name: value.interpreted for name, value in intent.slots.items() if value is not None}
    for definition in contexts:
        session.active_contexts = [c for c in session.active_contexts if c.get("name") != definition.name]
        session.active_contexts.append(
            {
                "name": definition.name,
                "timeToLive": {
                    "timeToLiveInSeconds": definition.ttl_seconds,
                    "turnsToLive": definition.turns,
                },
                "contextAttributes": dict(attributes),
            }
        )
        session.context_expiry[definition.name] = now + definition.ttl_seconds


def track_client_contexts(session: Session, now: float) -> None:
    """Deadlines for contexts a client set through sessionState (their seconds count from now)."""
    names = active_names(session)
    for name in list(session.context_expiry):
        if name not in names:
            del session.context_expiry[name]
    for context in session.active_contexts:
        name = str(context.get("name"))
        seconds = (context.get("timeToLive") or {}).get("timeToLiveInSeconds")
        if name not in session.context_expiry and isinstance(seconds, int | float):
            session.context_expiry[name] = now + float(seconds)


def recognisable(intent: IntentDef, active: set[str]) -> bool:
    return all(name in active for name in intent.input_contexts)


def default_value(
    candidates: tuple[str, ...],
    session: Session,
    resolve: Callable[[str], Any],
    *,
    request_attributes: Mapping[str, str] | None = None,
) -> Any:
    """The first default that exists, resolved by ``resolve`` (text -> slot value or None)."""
    for candidate in candidates:
        text: str | None
        context_ref = _CONTEXT_REFERENCE.match(candidate)
        session_ref = _SESSION_REFERENCE.match(candidate)
        request_ref = _REQUEST_REFERENCE.match(candidate)
        if context_ref:
            text = None
            for context in session.active_contexts:
                if context.get("name") == context_ref.group(1):
                    text = (context.get("contextAttributes") or {}).get(context_ref.group(2))
        elif session_ref:
            text = session.attributes.get(session_ref.group(1))
        elif request_ref:
            text = (request_attributes or {}).get(request_ref.group(1))
        else:
            text = candidate
        if text:
            value = resolve(text)
            if value is not None:
                return value
    return None
