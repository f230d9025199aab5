"""The dialog Lex runs for one locale of one bot alias: recognise, fill slots, confirm, fulfil, close.

One `LocaleRuntime` per (deployment, locale). `recognize_text` runs one turn on a session the caller
has locked; `put_session` applies a PutSession. Both return a `TurnResult` in wire shapes.

This module turns a request into the point of the flow it answers; `dialog_flow` runs the flow
from there (next steps, conditional branches, code hooks, fulfilment, closing). A turn is:

1. Contexts whose time ran out are dropped; an intent with input contexts is recognisable only
   while they are all active ("Setting intent context").
2. Waiting for a slot: the input fills it (several values for a multi-value slot, "Using multiple
   values in a slot"), then the slot's capture path runs (its code hook, response, conditional or
   next step). An input that is no value but clearly another intent (a sample utterance of it)
   switches to that intent ("intent switching"); otherwise the elicitation code hook (if any) is
   called and the prompt repeated up to ``MaxRetries`` times, then the slot's failure path, else
   FallbackIntent (the guide: the fallback intent is invoked after the configured number of tries).
3. Waiting for a confirmation: yes / no / neither, each with its path; declined with no path given
   closes the intent Failed with the declination response.
4. Anything else is a new input: recognition, slot values from the utterance, and the intent's
   initial response path (its dialog code hook runs first when the intent enables it).
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections.abc import Callable
from typing import Any

from . import contexts
from . import session_state as session_state_io
from .code_hook import HandlerFunction
from .definition import CodeHookDef, ElicitationHookDef, IntentDef, LocaleDef, OutcomeDef
from .dialog_flow import DialogFlow
from .errors import ValidationException
from .hook_events import BotInfo, Proposed
from .multi_values import as_said, split_values
from .recognition import TEMPLATE_MATCH_SCORE, IntentRanker, Ranked
from .session_state import TurnResult
from .sessions import Session
from .slot_types import resolve_slot_value
from .state import (
    CLOSE,
    CONFIRM_INTENT,
    CONFIRMED,
    DELEGATE,
    DENIED,
    ELICIT_SLOT,
    FAILED,
    IN_PROGRESS,
    DialogAction,
    IntentState,
    SlotValue,
)
from .text import fold
from .turn import Turn, blank_intent
from .utterances import compile_templates, match_slots
from .yes_no import Answer, classify_yes_no

__all__ = ["BotInfo", "LocaleRuntime", "TurnResult"]

CONTINUING_SCORE = 1.0
# "Intent switching": during slot elicitation an input that is no value for the slot but matches
# another intent this well (one of its sample utterances, with or without slots) starts that intent.
SWITCH_SCORE = TEMPLATE_MATCH_SCORE


class LocaleRuntime(DialogFlow):
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
        today: Callable[[], datetime.date] = datetime.date.today,
    ) -> None:
        self.bot = bot
        self.locale = locale
        self._ranker = ranker
        self._hook = hook
        self._hook_name = hook_name
        self._hook_timeout = hook_timeout
        self._rng = rng
        self._clock = clock
        self._today = today
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
        saved = session_state_io.save(session)
        try:
            turn = Turn(request_id=str(uuid.uuid4()), text=text, request_attributes=request_attributes)
            if session_state is not None:
                session_state_io.apply_session_state(session, session_state, self._intent_def, self._clock())
            contexts.expire(session, self._clock())
            existing = contexts.active_names(session)
            action = session.dialog_action.type if session.dialog_action else None
            intent = session.intent
            if action == ELICIT_SLOT and intent is not None and intent.state == IN_PROGRESS:
                self._answer_slot(turn, session, intent)
            elif action == CONFIRM_INTENT and intent is not None and intent.state == IN_PROGRESS:
                self._answer_confirmation(turn, session, intent)
            else:
                self._new_input(turn, session)
            contexts.count_turn(session, existing)
            return session_state_io.finish(turn, session, self._intent_def)
        except BaseException:
            session_state_io.restore(session, saved)
            raise

    def put_session(
        self,
        session: Session,
        *,
        session_state: dict[str, Any],
        messages: list[dict[str, Any]] | None,
        request_attributes: dict[str, str] | None,
    ) -> TurnResult:
        saved = session_state_io.save(session)
        try:
            turn = Turn(request_id=str(uuid.uuid4()), text="", request_attributes=request_attributes)
            session_state_io.apply_session_state(session, session_state, self._intent_def, self._clock())
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
                self._advance(turn, session)
            return session_state_io.finish(turn, session, self._intent_def, with_interpretations=False)
        except BaseException:
            session_state_io.restore(session, saved)
            raise

    # -- turn steps ---------------------------------------------------------------------------------

    def _rank(self, turn: Turn, session: Session) -> list[Ranked]:
        """Interpretations, without the intents whose input contexts are not all active."""
        active = contexts.active_names(session)
        ranked = self._ranker.rank(turn.text, self._resolver)
        return [item for item in ranked if contexts.recognisable(self._intent_def(item.intent), active)]

    def _new_input(self, turn: Turn, session: Session, ranked: list[Ranked] | None = None) -> None:
        turn.ranked = ranked if ranked is not None else self._rank(turn, session)
        chosen = self._intent_def(turn.ranked[0].intent)
        intent = blank_intent(chosen)
        if not chosen.is_fallback:
            found = match_slots(
                turn.text, self._ranker.templates(chosen.name), self._resolver(chosen.name, turn.text)
            )
            intent.slots.update(found or {})
        session.intent = intent
        session.attempts = 0
        turn.top = intent
        self.begin_intent(turn, session, intent)

    def _continuing(self, turn: Turn, intent: IntentState, ranked: list[Ranked]) -> None:
        others = [item for item in ranked if item.intent != intent.name]
        turn.ranked = [Ranked(intent.name, CONTINUING_SCORE), *others][:5]
        turn.top = intent

    def _switch_target(self, ranked: list[Ranked], intent: IntentState, text: str) -> bool:
        """Whether an input that is no value for the slot changes the subject: the best
        interpretation is another intent, and the input is one of its sample utterances (score
        `SWITCH_SCORE`) or says one of its slot-free sample utterances of two or more words within
        more ("actually, I want to rent a car"). The guide names no rule; this one is ours."""
        top = ranked[0] if ranked else None
        if top is None or top.intent == intent.name or top.score is None:
            return False
        target = self._intent_def(top.intent)
        if target.is_fallback:
            return False
        if top.score >= SWITCH_SCORE:
            return True
        said = f" {fold(text)} "
        return any(
            len(sample.split()) >= 2 and "{" not in sample and f" {fold(sample)} " in said
            for sample in target.sample_utterances
        )

    def _answer_slot(self, turn: Turn, session: Session, intent: IntentState) -> None:
        ranked = self._rank(turn, session)
        definition = self._intent_def(intent.name)
        slot_name = session.dialog_action.slot_to_elicit if session.dialog_action else None
        slot = definition.slot(slot_name) if slot_name else None
        if slot is None:
            self._new_input(turn, session, ranked)
            return
        found = self._slot_answer(intent.name, slot.name, turn.text)
        if found is None and self._switch_target(ranked, intent, turn.text):
            intent.state = FAILED
            self._new_input(turn, session, ranked)
            return
        self._continuing(turn, intent, ranked)
        if found is not None:
            intent.slots[slot.name] = found
            session.attempts = 0
            hook = self._point_hook(definition, slot.code_hook)
            self._run_outcome(turn, session, slot.capture, hook=hook)
            return
        if slot.prompt is not None and session.attempts < slot.prompt.max_retries:
            proposed = Proposed(ELICIT_SLOT, slot.name, f"Retry{session.attempts + 1}")
            retried = self._retry_hook(turn, session, definition, slot.elicitation_hook, proposed)
            if retried is None:
                return
            session.attempts += 1
            turn.messages.extend(self._render(slot.prompt, retried, attempt=session.attempts))
        elif slot.capture_failure is not None and (
            slot.capture_failure.step is not None or slot.capture_failure.conditional is not None
        ):
            session.attempts = 0
            self._run_outcome(turn, session, slot.capture_failure)
        else:
            if slot.capture_failure is not None:
                self._say(turn, slot.capture_failure.response, intent)
            self._invoke_fallback(turn, session, intent)

    def _retry_hook(
        self,
        turn: Turn,
        session: Session,
        definition: IntentDef,
        setting: ElicitationHookDef | None,
        proposed: Proposed,
    ) -> IntentState | None:
        """The dialog code hook between elicitation attempts (``ElicitationCodeHook``; with no
        setting, the intent's dialog code hook). Returns the intent to re-prompt for, or None when
        the hook's answer took the turn (anything but Delegate)."""
        intent = session.intent
        runs = setting.enabled if setting is not None else definition.dialog_hook
        if not (definition.dialog_hook and runs and self._hook is not None):
            return intent
        before = session.dialog_action
        hook = CodeHookDef(enabled=True, label=setting.label if setting else None)
        self._dialog_hook(turn, session, hook, proposed=proposed, delegate=lambda: None)
        if session.dialog_action is not before or session.intent is None or intent is None:
            return None
        if session.intent.name != intent.name:
            return None
        return session.intent

    # -- helpers ------------------------------------------------------------------------------------

    def _answer_confirmation(self, turn: Turn, session: Session, intent: IntentState) -> None:
        self._continuing(turn, intent, self._rank(turn, session))
        definition = self._intent_def(intent.name)
        confirmation = definition.confirmation
        if confirmation is None:
            self._advance(turn, session)
            return
        answer = classify_yes_no(turn.text, self.locale.locale_id)
        hook = self._point_hook(definition, confirmation.code_hook)
        if answer is Answer.YES:
            intent.confirmation_state = CONFIRMED
            session.attempts = 0
            confirmed = confirmation.confirmed or OutcomeDef(response=confirmation.confirmation_response)
            self._run_outcome(turn, session, confirmed, hook=hook)
        elif answer is Answer.NO:
            intent.confirmation_state = DENIED
            session.attempts = 0

            def declined() -> None:
                intent.state = FAILED
                session.dialog_action = DialogAction(CLOSE)

            self._run_outcome(
                turn,
                session,
                confirmation.declined or OutcomeDef(response=confirmation.declination_response),
                hook=hook,
                then=declined,
            )
        elif session.attempts < confirmation.prompt.max_retries:
            proposed = Proposed(CONFIRM_INTENT, None, f"Retry{session.attempts + 1}")
            retried = self._retry_hook(turn, session, definition, confirmation.elicitation_hook, proposed)
            if retried is None:
                return
            session.attempts += 1
            turn.messages.extend(self._render(confirmation.prompt, retried, attempt=session.attempts))
        elif confirmation.failure is not None and (
            confirmation.failure.step is not None or confirmation.failure.conditional is not None
        ):
            session.attempts = 0
            self._run_outcome(turn, session, confirmation.failure)
        else:
            if confirmation.failure is not None:
                self._say(turn, confirmation.failure.response, intent)
            self._invoke_fallback(turn, session, intent)

    def _invoke_fallback(self, turn: Turn, session: Session, abandoned: IntentState) -> None:
        abandoned.state = FAILED
        fallback = self.locale.fallback
        intent = blank_intent(fallback)
        session.intent = intent
        session.attempts = 0
        turn.ranked = [Ranked(fallback.name, None)]
        turn.top = intent
        self.begin_intent(turn, session, intent)

    def _slot_answer(self, intent_name: str, slot_name: str, text: str) -> SlotValue | None:
        matched = match_slots(
            text, self._slot_templates.get((intent_name, slot_name), ()), self._resolver(intent_name, text)
        )
        found = (matched or {}).get(slot_name)
        return found if found is not None else self._resolve(intent_name, slot_name, text)

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
        if slot.multiple_values:
            return split_values(text, lambda part: self._resolve_one(slot.slot_type, part))
        return self._resolve_one(slot.slot_type, text)

    def _resolve_one(self, slot_type: str, text: str) -> SlotValue | None:
        return resolve_slot_value(
            slot_type, text, self.locale.slot_types, locale_id=self.locale.locale_id, today=self._today()
        )

    def _resolver(self, intent_name: str, said: str | None = None) -> Callable[[str, str], SlotValue | None]:
        """Resolves a slot's text; given what was ``said``, a multi-value slot's text captured by a
        sample utterance is taken as said (with its commas), so its phrase reads as the user wrote it."""
        definition = self.locale.intent(intent_name)

        def resolve(slot_name: str, text: str) -> SlotValue | None:
            slot = definition.slot(slot_name) if definition is not None else None
            if said is not None and slot is not None and slot.multiple_values:
                text = as_said(said, text)
            return self._resolve(intent_name, slot_name, text)

        return resolve
