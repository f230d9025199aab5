"""The dialog Lex runs for one locale of one bot alias: recognise, fill slots, confirm, fulfil, close.

One `LocaleRuntime` per (deployment, locale). `recognize_text` runs one turn on a session the caller
has locked; `put_session` applies a PutSession. Both return a `TurnResult` in wire shapes.

The default conversation path of Lex V2 (no conditional branches or next steps):

1. A new input is recognised (see `recognition`); slot values in it fill slots at once.
2. Each required, empty slot is elicited in ``SlotPriorities`` order with its prompt, re-prompted up
   to ``MaxRetries`` times; when the input is still not a value, FallbackIntent takes the turn (the
   Lex V2 guide: the fallback intent is invoked when an intent does not recognise the input as a
   slot value, or as an answer to the confirmation prompt, after the configured number of tries).
3. The confirmation prompt, if active: yes goes on (``ConfirmationResponse`` if any); no gives
   ``DeclinationResponse``, confirmation state Denied, intent Failed, and the dialog closes.
4. Fulfilment: the code hook when the fulfillment code hook is enabled and active. Its Close answer
   ends the turn with its messages (or, with none, the post-fulfillment response for its intent
   state). An exception, a timeout or an invalid answer gives the ``FailureResponse`` /
   ``TimeoutResponse`` if configured, else DependencyFailedException. Without a hook the intent is
   Fulfilled with the ``SuccessResponse``.
5. After a post-fulfillment response, the closing response (when active), and dialogAction Close.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .code_hook import FakeLambdaContext, HandlerFunction, HookOutcome, invoke
from .definition import IntentDef, LocaleDef, PromptSpec, ResponseSpec
from .errors import DependencyFailedException, ValidationException
from .hook_contract import HookResponse, InvalidHookResponseError, validate_hook_response
from .messages import MAX_MESSAGES, render_response
from .recognition import IntentRanker, Ranked
from .sessions import Session
from .slot_types import resolve_slot_value
from .state import (
    CLOSE,
    CONFIRM_INTENT,
    CONFIRMED,
    DELEGATE,
    DENIED,
    ELICIT_INTENT,
    ELICIT_SLOT,
    FAILED,
    FULFILLED,
    IN_PROGRESS,
    NO_CONFIRMATION,
    READY_FOR_FULFILLMENT,
    DialogAction,
    IntentState,
    SlotValue,
)
from .utterances import compile_templates, match_slots
from .yes_no import Answer, classify_yes_no

TEXT_CONTENT_TYPE = "text/plain; charset=utf-8"
CONTINUING_SCORE = 1.0


@dataclass(frozen=True)
class BotInfo:
    """The bot and alias a locale belongs to, as a code-hook event names them."""

    bot_id: str
    bot_name: str
    alias_id: str
    alias_name: str
    version: str


@dataclass
class TurnResult:
    messages: list[dict[str, Any]]
    interpretations: list[dict[str, Any]]
    session_state: dict[str, Any]
    request_attributes: dict[str, str] | None


@dataclass
class _Turn:
    """What one request builds up: messages so far and the interpretations to report."""

    request_id: str
    text: str
    request_attributes: dict[str, str] | None
    messages: list[dict[str, Any]] = field(default_factory=list)
    ranked: list[Ranked] = field(default_factory=list)
    top: IntentState | None = None  # the live intent shown as the first interpretation


def _blank_intent(definition: IntentDef) -> IntentState:
    return IntentState(name=definition.name, slots={name: None for name in definition.slot_names})


class LocaleRuntime:
    def __init__(
        self,
        *,
        bot: BotInfo,
        locale: LocaleDef,
        ranker: IntentRanker,
        hook: HandlerFunction | None,
        hook_name: str,
        hook_timeout: float,
        rng: random.Random,
        clock: Callable[[], float],
    ) -> None:
        self.bot = bot
        self.locale = locale
        self._ranker = ranker
        self._hook = hook
        self._hook_name = hook_name
        self._hook_timeout = hook_timeout
        self._rng = rng
        self._clock = clock
        self._slot_templates = {
            (intent.name, slot.name): compile_templates(slot.sample_utterances)
            for intent in locale.intents
            for slot in intent.slots
        }

    # -- public operations --------------------------------------------------------------------------

    def recognize_text(
        self,
        session: Session,
        text: str,
        *,
        request_attributes: dict[str, str] | None,
        session_state: dict[str, Any] | None,
    ) -> TurnResult:
        saved = _save(session)
        try:
            turn = _Turn(request_id=str(uuid.uuid4()), text=text, request_attributes=request_attributes)
            if session_state is not None:
                self._apply_session_state(session, session_state)
            action = session.dialog_action.type if session.dialog_action else None
            intent = session.intent
            if action == ELICIT_SLOT and intent is not None and intent.state == IN_PROGRESS:
                self._answer_slot(turn, session, intent)
            elif action == CONFIRM_INTENT and intent is not None and intent.state == IN_PROGRESS:
                self._answer_confirmation(turn, session, intent)
            else:
                self._new_input(turn, session)
            return self._finish(turn, session)
        except BaseException:
            _restore(session, saved)
            raise

    def put_session(
        self,
        session: Session,
        *,
        session_state: dict[str, Any],
        messages: list[dict[str, Any]] | None,
        request_attributes: dict[str, str] | None,
    ) -> TurnResult:
        saved = _save(session)
        try:
            turn = _Turn(request_id=str(uuid.uuid4()), text="", request_attributes=request_attributes)
            self._apply_session_state(session, session_state)
            turn.messages.extend(messages or [])
            action = session.dialog_action
            intent = session.intent
            if action is not None and intent is not None and not messages:
                definition = self._intent_def(intent.name)
                if action.type == ELICIT_SLOT and action.slot_to_elicit:
                    slot = definition.slot(action.slot_to_elicit)
                    if slot is not None and slot.prompt is not None:
                        turn.messages.extend(self._render(slot.prompt, intent))
                elif action.type == CONFIRM_INTENT and definition.confirmation is not None:
                    turn.messages.extend(self._render(definition.confirmation.prompt, intent))
            if action is not None and action.type == DELEGATE:
                if intent is None:
                    raise ValidationException(
                        "PutSession with dialogAction Delegate needs sessionState.intent"
                    )
                self._advance(turn, session, self._intent_def(intent.name), intent)
            return self._finish(turn, session, with_interpretations=False)
        except BaseException:
            _restore(session, saved)
            raise

    # -- turn steps ---------------------------------------------------------------------------------

    def _new_input(self, turn: _Turn, session: Session) -> None:
        turn.ranked = self._ranker.rank(turn.text, self._resolver)
        chosen = self._intent_def(turn.ranked[0].intent)
        intent = _blank_intent(chosen)
        if not chosen.is_fallback:
            found = match_slots(turn.text, self._ranker.templates(chosen.name), self._resolver(chosen.name))
            intent.slots.update(found or {})
        session.intent = intent
        session.attempts = 0
        turn.top = intent
        self._advance(turn, session, chosen, intent)

    def _continuing(self, turn: _Turn, intent: IntentState) -> None:
        others = [item for item in self._ranker.rank(turn.text, self._resolver) if item.intent != intent.name]
        turn.ranked = [Ranked(intent.name, CONTINUING_SCORE), *others][:5]
        turn.top = intent

    def _answer_slot(self, turn: _Turn, session: Session, intent: IntentState) -> None:
        self._continuing(turn, intent)
        definition = self._intent_def(intent.name)
        slot_name = session.dialog_action.slot_to_elicit if session.dialog_action else None
        slot = definition.slot(slot_name) if slot_name else None
        if slot is None:
            self._new_input(turn, session)
            return
        value = match_slots(
            turn.text, self._slot_templates.get((intent.name, slot.name), ()), self._resolver(intent.name)
        )
        found = (value or {}).get(slot.name) or self._resolve(intent.name, slot.name, turn.text)
        if found is not None:
            intent.slots[slot.name] = found
            session.attempts = 0
            self._advance(turn, session, definition, intent)
        elif slot.prompt is not None and session.attempts < slot.prompt.max_retries:
            session.attempts += 1
            turn.messages.extend(self._render(slot.prompt, intent))
        else:
            self._invoke_fallback(turn, session, intent)

    def _answer_confirmation(self, turn: _Turn, session: Session, intent: IntentState) -> None:
        self._continuing(turn, intent)
        definition = self._intent_def(intent.name)
        confirmation = definition.confirmation
        if confirmation is None:
            self._advance(turn, session, definition, intent)
            return
        answer = classify_yes_no(turn.text)
        if answer is Answer.YES:
            intent.confirmation_state = CONFIRMED
            session.attempts = 0
            turn.messages.extend(self._render(confirmation.confirmation_response, intent))
            self._advance(turn, session, definition, intent)
        elif answer is Answer.NO:
            intent.confirmation_state = DENIED
            intent.state = FAILED
            session.attempts = 0
            session.dialog_action = DialogAction(CLOSE)
            turn.messages.extend(self._render(confirmation.declination_response, intent))
        elif session.attempts < confirmation.prompt.max_retries:
            session.attempts += 1
            turn.messages.extend(self._render(confirmation.prompt, intent))
        else:
            self._invoke_fallback(turn, session, intent)

    def _invoke_fallback(self, turn: _Turn, session: Session, abandoned: IntentState) -> None:
        abandoned.state = FAILED
        fallback = self.locale.fallback
        intent = _blank_intent(fallback)
        session.intent = intent
        session.attempts = 0
        others = [item for item in turn.ranked if item.intent != fallback.name]
        turn.ranked = [Ranked(fallback.name, None), *others][:5]
        turn.top = intent
        self._advance(turn, session, fallback, intent)

    def _advance(
        self,
        turn: _Turn,
        session: Session,
        definition: IntentDef,
        intent: IntentState,
        *,
        may_fulfil: bool = True,
    ) -> None:
        """The next step for an intent in progress: elicit a slot, confirm, or fulfil."""
        intent.state = IN_PROGRESS
        for slot in definition.slots:
            if slot.required and intent.slots.get(slot.name) is None:
                session.dialog_action = DialogAction(ELICIT_SLOT, slot.name)
                session.attempts = 0
                if slot.prompt is not None:
                    turn.messages.extend(self._render(slot.prompt, intent))
                return
        confirmation = definition.confirmation
        if confirmation is not None and confirmation.active and intent.confirmation_state == NO_CONFIRMATION:
            session.dialog_action = DialogAction(CONFIRM_INTENT)
            session.attempts = 0
            turn.messages.extend(self._render(confirmation.prompt, intent))
            return
        if not may_fulfil:
            raise DependencyFailedException(
                "Invalid Lambda Response: the fulfillment code hook returned Delegate for an intent that "
                "is ready for fulfillment again; it must close the intent, elicit something, or fail."
            )
        self._fulfil(turn, session, definition, intent)

    def _fulfil(self, turn: _Turn, session: Session, definition: IntentDef, intent: IntentState) -> None:
        fulfillment = definition.fulfillment
        intent.state = READY_FOR_FULFILLMENT
        if fulfillment is None or not fulfillment.runs_code_hook:
            intent.state = FULFILLED
            turn.messages.extend(self._render(fulfillment.success_response if fulfillment else None, intent))
            self._close(turn, session, definition)
            return
        outcome = self._call_hook(turn, session, intent)
        if outcome.timed_out:
            self._post_fulfilment_failure(
                turn,
                session,
                definition,
                intent,
                fulfillment.timeout_response,
                f"Lambda code hook {self._hook_name} did not respond within {self._hook_timeout:g} seconds.",
            )
            return
        if outcome.error is not None:
            self._post_fulfilment_failure(
                turn,
                session,
                definition,
                intent,
                fulfillment.failure_response,
                f"Received error response from Lambda code hook {self._hook_name}: {outcome.error}",
            )
            return
        try:
            answer = validate_hook_response(outcome.response, self.locale)
        except InvalidHookResponseError as error:
            self._post_fulfilment_failure(
                turn,
                session,
                definition,
                intent,
                fulfillment.failure_response,
                f"Invalid Lambda Response: {error}",
            )
            return
        self._apply_hook_answer(turn, session, definition, intent, answer)

    def _post_fulfilment_failure(
        self,
        turn: _Turn,
        session: Session,
        definition: IntentDef,
        intent: IntentState,
        response: ResponseSpec | None,
        reason: str,
    ) -> None:
        if response is None:
            raise DependencyFailedException(reason)
        intent.state = FAILED
        turn.messages.extend(self._render(response, intent))
        self._close(turn, session, definition)

    def _apply_hook_answer(
        self, turn: _Turn, session: Session, definition: IntentDef, intent: IntentState, answer: HookResponse
    ) -> None:
        if answer.session_attributes is not None:
            session.attributes = dict(answer.session_attributes)
        if answer.active_contexts is not None:
            session.active_contexts = list(answer.active_contexts)
        action = answer.dialog_action
        returned = answer.intent
        if returned is None:
            returned = intent
            if action.type == CLOSE:
                returned.state = FULFILLED
        returned_def = self._intent_def(returned.name)
        session.intent = returned
        if turn.top is intent:
            turn.top = returned
        fulfillment = returned_def.fulfillment
        if action.type == CLOSE:
            session.dialog_action = DialogAction(CLOSE)
            if answer.messages:
                turn.messages.extend(answer.messages)
            elif returned.state == FULFILLED:
                turn.messages.extend(
                    self._render(fulfillment.success_response if fulfillment else None, returned)
                )
                self._close(turn, session, returned_def)
            elif returned.state == FAILED:
                turn.messages.extend(
                    self._render(fulfillment.failure_response if fulfillment else None, returned)
                )
                self._close(turn, session, returned_def)
            return
        turn.messages.extend(answer.messages)
        if action.type == DELEGATE:
            if returned.state == FULFILLED:
                turn.messages.extend(
                    self._render(fulfillment.success_response if fulfillment else None, returned)
                )
                self._close(turn, session, returned_def)
            elif returned.state == FAILED:
                turn.messages.extend(
                    self._render(fulfillment.failure_response if fulfillment else None, returned)
                )
                self._close(turn, session, returned_def)
            else:
                self._advance(turn, session, returned_def, returned, may_fulfil=False)
        elif action.type == ELICIT_SLOT:
            returned.state = IN_PROGRESS
            session.dialog_action = action
            session.attempts = 0
            slot = returned_def.slot(action.slot_to_elicit or "")
            if not answer.messages:
                if slot is None or slot.prompt is None:
                    raise DependencyFailedException(
                        f"Invalid Lambda Response: ElicitSlot for {action.slot_to_elicit} has no messages "
                        "and the slot has no prompt"
                    )
                turn.messages.extend(self._render(slot.prompt, returned))
        elif action.type == CONFIRM_INTENT:
            returned.state = IN_PROGRESS
            returned.confirmation_state = NO_CONFIRMATION
            if returned_def.confirmation is None:
                raise DependencyFailedException(
                    f"Invalid Lambda Response: ConfirmIntent for {returned.name}, which has no "
                    "confirmation prompt (the emulator needs its MaxRetries)"
                )
            session.dialog_action = action
            session.attempts = 0
        elif action.type == ELICIT_INTENT:
            # The next input is recognised afresh; the intent (if the hook gave one) is only reported.
            session.dialog_action = action
            session.intent = answer.intent

    def _close(self, turn: _Turn, session: Session, definition: IntentDef) -> None:
        closing = definition.closing
        if closing is not None and closing.active and session.intent is not None:
            turn.messages.extend(self._render(closing.response, session.intent))
        session.dialog_action = DialogAction(CLOSE)

    # -- the code hook ------------------------------------------------------------------------------

    def _call_hook(self, turn: _Turn, session: Session, intent: IntentState) -> HookOutcome:
        assert self._hook is not None  # the deployment refuses an enabled hook without a handler
        event = self.hook_event(turn, session, intent)
        context = FakeLambdaContext(self._hook_name, self._hook_timeout, clock=self._clock)
        return invoke(self._hook, event, context, self._hook_timeout)

    def hook_event(self, turn: _Turn, session: Session, intent: IntentState) -> dict[str, Any]:
        """The Lex V2 code-hook event for fulfilling ``intent`` (message version 1.0)."""
        interpretations = []
        for ranked in turn.ranked or [Ranked(intent.name, None)]:
            shown = intent if ranked.intent == intent.name else _blank_intent(self._intent_def(ranked.intent))
            item: dict[str, Any] = {"intent": shown.to_wire(with_shape=True), "interpretationSource": "Lex"}
            if ranked.score is not None:
                item["nluConfidence"] = ranked.score
            interpretations.append(item)
        session_state: dict[str, Any] = {
            "sessionAttributes": dict(session.attributes),
            "intent": intent.to_wire(with_shape=True),
            "originatingRequestId": turn.request_id,
        }
        if session.active_contexts:
            session_state["activeContexts"] = list(session.active_contexts)
        event: dict[str, Any] = {
            "messageVersion": "1.0",
            "invocationSource": "FulfillmentCodeHook",
            "inputMode": "Text",
            "responseContentType": TEXT_CONTENT_TYPE,
            "sessionId": session.session_id,
            "inputTranscript": turn.text,
            "bot": {
                "id": self.bot.bot_id,
                "name": self.bot.bot_name,
                "localeId": self.locale.locale_id,
                "version": self.bot.version,
                "aliasId": self.bot.alias_id,
                "aliasName": self.bot.alias_name,
            },
            "interpretations": interpretations,
            "sessionState": session_state,
        }
        if turn.request_attributes is not None:
            event["requestAttributes"] = dict(turn.request_attributes)
        return event

    # -- helpers ------------------------------------------------------------------------------------

    def _intent_def(self, name: str) -> IntentDef:
        definition = self.locale.intent(name)
        if definition is None:
            raise ValidationException(f"Intent {name} does not exist in locale {self.locale.locale_id}.")
        return definition

    def _resolve(self, intent_name: str, slot_name: str, text: str) -> SlotValue | None:
        definition = self.locale.intent(intent_name)
        slot = definition.slot(slot_name) if definition else None
        if slot is None:
            return None
        return resolve_slot_value(slot.slot_type, text, self.locale.slot_types)

    def _resolver(self, intent_name: str) -> Callable[[str, str], SlotValue | None]:
        def resolve(slot_name: str, text: str) -> SlotValue | None:
            return self._resolve(intent_name, slot_name, text)

        return resolve

    def _render(self, spec: ResponseSpec | PromptSpec | None, intent: IntentState) -> list[dict[str, Any]]:
        if isinstance(spec, PromptSpec):
            return render_response(spec.response, intent.slot_text(), self._rng, ordered=spec.ordered)
        return render_response(spec, intent.slot_text(), self._rng)

    def _apply_session_state(self, session: Session, state: dict[str, Any]) -> None:
        """A client-supplied sessionState (already shape-checked): attributes, contexts, intent, action."""
        if "sessionAttributes" in state:
            session.attributes = dict(state["sessionAttributes"] or {})
        if "activeContexts" in state:
            session.active_contexts = list(state["activeContexts"] or [])
        if "intent" not in state and "dialogAction" not in state:
            return
        intent = None
        if state.get("intent") is not None:
            intent = self._intent_from_client(state["intent"])
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

    def _intent_from_client(self, raw: dict[str, Any]) -> IntentState:
        definition = self._intent_def(raw["name"])
        slots: dict[str, SlotValue | None] = {name: None for name in definition.slot_names}
        for name, slot in (raw.get("slots") or {}).items():
            if name not in slots:
                raise ValidationException(f"Slot {name} does not exist in intent {definition.name}.")
            if slot is not None and slot.get("value") is not None:
                slots[name] = SlotValue.from_wire(slot)
        return IntentState(
            name=definition.name,
            slots=slots,
            state=raw.get("state") or IN_PROGRESS,
            confirmation_state=raw.get("confirmationState") or NO_CONFIRMATION,
        )

    def _finish(self, turn: _Turn, session: Session, *, with_interpretations: bool = True) -> TurnResult:
        messages = turn.messages[:MAX_MESSAGES]
        interpretations: list[dict[str, Any]] = []
        if with_interpretations:
            for ranked in turn.ranked:
                if turn.top is not None and ranked.intent == turn.top.name:
                    shown = turn.top
                else:
                    shown = _blank_intent(self._intent_def(ranked.intent))
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
            state["activeContexts"] = list(session.active_contexts)
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


def _save(session: Session) -> tuple[Any, ...]:
    return (
        dict(session.attributes),
        list(session.active_contexts),
        session.intent.copy() if session.intent else None,
        session.dialog_action,
        session.attempts,
    )


def _restore(session: Session, saved: tuple[Any, ...]) -> None:
    session.attributes, session.active_contexts, session.intent, session.dialog_action, session.attempts = (
        saved
    )
