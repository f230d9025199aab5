"""A turn's session state in and out: a client's sessionState applied, the answer built, undo on error.

`apply_session_state` applies RecognizeText's or PutSession's (already shape-checked) sessionState;
`finish` builds the `TurnResult` in wire shapes and keeps it as what GetSession shows; `save` and
`restore` let a turn that fails (for example DependencyFailedException) leave the session as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import contexts
from .definition import IntentDef
from .errors import ValidationException
from .messages import MAX_MESSAGES
from .sessions import Session
from .state import (
    CONFIRM_INTENT,
    DELEGATE,
    ELICIT_SLOT,
    IN_PROGRESS,
    NO_CONFIRMATION,
    DialogAction,
    IntentState,
    SlotValue,
)
from .turn import Turn, blank_intent

IntentLookup = Callable[[str], IntentDef]  # an intent of the locale by name (ValidationException if none)


@dataclass
class TurnResult:
    messages: list[dict[str, Any]]
    interpretations: list[dict[str, Any]]
    session_state: dict[str, Any]
    request_attributes: dict[str, str] | None


def apply_session_state(session: Session, state: dict[str, Any], intents: IntentLookup, now: float) -> None:
    """A client-supplied sessionState (already shape-checked): attributes, contexts, intent, action."""
    if "sessionAttributes" in state:
        session.attributes = dict(state["sessionAttributes"] or {})
    if "activeContexts" in state:
        session.active_contexts = list(state["activeContexts"] or [])
    if "intent" not in state and "dialogAction" not in state:
        return
    intent = None
    if state.get("intent") is not None:
        intent = intent_from_client(state["intent"], intents)
    action = state.get("dialogAction")
    if action is not None:
        action_type = action["type"]
        slot_to_elicit = action.get("slotToElicit")
        if action_type in (ELICIT_SLOT, CONFIRM_INTENT, DELEGATE) and intent is None:
            raise ValidationException(
                f"sessionState.intent is required with dialogAction type {action_type}."
            )
        if action_type == ELICIT_SLOT:
            assert intent is not None
            if not slot_to_elicit or slot_to_elicit not in intent.slots:
                raise ValidationException(
                    f"sessionState.dialogAction.slotToElicit must name a slot of intent {intent.name}."
                )
        session.dialog_action = DialogAction(
            action_type, slot_to_elicit if action_type == ELICIT_SLOT else None
        )
    else:
        session.dialog_action = None
    session.intent = intent
    session.attempts = 0
    contexts.track_client_contexts(session, now)


def intent_from_client(raw: dict[str, Any], intents: IntentLookup) -> IntentState:
    definition = intents(raw["name"])
    slots: dict[str, SlotValue | None] = {name: None for name in definition.slot_names}
    for name, slot in (raw.get("slots") or {}).items():
        if name not in slots:
            raise ValidationException(f"Slot {name} does not exist in intent {definition.name}.")
        if slot is not None and (slot.get("value") is not None or slot.get("shape") == "List"):
            slots[name] = SlotValue.from_wire(slot)
    return IntentState(
        name=definition.name,
        slots=slots,
        state=raw.get("state") or IN_PROGRESS,
        confirmation_state=raw.get("confirmationState") or NO_CONFIRMATION,
    )


def finish(
    turn: Turn, session: Session, intents: IntentLookup, *, with_interpretations: bool = True
) -> TurnResult:
    """The turn's answer in wire shapes; also what GetSession shows until the next turn."""
    messages = turn.messages[:MAX_MESSAGES]
    interpretations: list[dict[str, Any]] = []
    if with_interpretations:
        for ranked in turn.ranked:
            if turn.top is not None and ranked.intent == turn.top.name:
                shown = turn.top
            else:
                shown = blank_intent(intents(ranked.intent))
            item: dict[str, Any] = {"intent": shown.to_wire(), "interpretationSource": "Lex"}
            if ranked.score is not None:
                item["nluConfidence"] = {"score": ranked.score}
            interpretations.append(item)
    state: dict[str, Any] = {}
    if session.dialog_action is not None:
        state["dialogAction"] = session.dialog_action.to_wire()
    if session.intent is not None:
        state["intent"] = session.intent.to_wire()
    state["sessionAttributes"] = dict(session.attributes)
    if session.active_contexts:
        state["activeContexts"] = [
            dict(context, timeToLive=dict(context.get("timeToLive") or {}))
            for context in session.active_contexts
        ]
    state["originatingRequestId"] = turn.request_id
    session.view = {
        "sessionId": session.session_id,
        "messages": messages,
        "interpretations": interpretations,
        "sessionState": state,
    }
    return TurnResult(
        messages=messages,
        interpretations=interpretations,
        session_state=state,
        request_attributes=turn.request_attributes,
    )


def save(session: Session) -> tuple[Any, ...]:
    return (
        dict(session.attributes),
        [
            dict(context, timeToLive=dict(context.get("timeToLive") or {}))
            for context in session.active_contexts
        ],
        dict(session.context_expiry),
        session.intent.copy() if session.intent else None,
        session.dialog_action,
        session.attempts,
    )


def restore(session: Session, saved: tuple[Any, ...]) -> None:
    (
        session.attributes,
        session.active_contexts,
        session.context_expiry,
        session.intent,
        session.dialog_action,
        session.attempts,
    ) = saved
