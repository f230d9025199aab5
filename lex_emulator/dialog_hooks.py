"""Calling the code hook during the dialog and following its answer (the code-hook half of the flow).

Lex V2 guide, "AWS Lambda response format for Lex V2": the answer's ``dialogAction`` decides what
happens next: Delegate (Lex picks the next step, or the PostCodeHookSpecification success path of a
dialog code hook), ElicitSlot, ConfirmIntent, ElicitIntent, or Close (with the intent state the hook
gives). An exception, a timeout or an answer outside the contract (`hook_contract`) takes the
failure or timeout path when the bot defines one, else DependencyFailedException.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from . import contexts
from .code_hook import FakeLambdaContext, HandlerFunction, HookOutcome, invoke
from .definition import CodeHookDef, IntentDef, LocaleDef, OutcomeDef, PromptSpec, ResponseSpec
from .errors import DependencyFailedException
from .hook_contract import HookResponse, InvalidHookResponseError, validate_hook_response
from .hook_events import DIALOG_CODE_HOOK, BotInfo, Proposed, build_event
from .recognition import Ranked
from .sessions import Session
from .state import (
    CLOSE,
    CONFIRM_INTENT,
    DELEGATE,
    ELICIT_INTENT,
    ELICIT_SLOT,
    FAILED,
    FULFILLED,
    IN_PROGRESS,
    NO_CONFIRMATION,
    READY_FOR_FULFILLMENT,
    DialogAction,
    IntentState,
)
from .turn import Then, Turn, blank_intent


class CodeHookCalls:
    """Calls the deployment's handler and applies its answer; the flow methods come from `DialogFlow`."""

    bot: BotInfo
    locale: LocaleDef
    _hook: HandlerFunction | None
    _hook_name: str
    _hook_timeout: float
    _rng: random.Random
    _clock: Callable[[], float]

    def _intent_def(self, name: str) -> IntentDef:
        raise NotImplementedError

    def _live(self, session: Session) -> IntentState:
        raise NotImplementedError

    def _say(self, turn: Turn, spec: ResponseSpec | PromptSpec | None, intent: IntentState) -> None:
        raise NotImplementedError

    def proposed(
        self, session: Session, intent: IntentState, request_attributes: dict[str, str] | None = None
    ) -> Proposed | None:
        raise NotImplementedError

    def _run_outcome(
        self,
        turn: Turn,
        session: Session,
        outcome: OutcomeDef | None,
        *,
        hook: CodeHookDef | None = None,
        then: Then | None = None,
    ) -> None:
        raise NotImplementedError

    def _advance(self, turn: Turn, session: Session) -> None:
        raise NotImplementedError

    def _fulfil(self, turn: Turn, session: Session) -> None:
        raise NotImplementedError

    def _close(self, turn: Turn, session: Session) -> None:
        raise NotImplementedError

    def _closer(self, turn: Turn, session: Session) -> Then:
        return lambda: self._close(turn, session)

    # -- code hooks ---------------------------------------------------------------------------------

    def _call_hook(
        self,
        turn: Turn,
        session: Session,
        intent: IntentState,
        source: str,
        *,
        label: str | None = None,
        proposed: Proposed | None = None,
    ) -> HookOutcome:
        assert self._hook is not None  # the deployment refuses a hook setting without a handler
        interpretations: list[tuple[IntentState, float | None]] = []
        for ranked in turn.ranked or [Ranked(intent.name, None)]:
            shown = intent if ranked.intent == intent.name else blank_intent(self._intent_def(ranked.intent))
            interpretations.append((shown, ranked.score))
        event = build_event(
            source=source,
            bot=self.bot,
            locale_id=self.locale.locale_id,
            session_id=session.session_id,
            transcript=turn.text,
            request_id=turn.request_id,
            intent=intent,
            interpretations=interpretations,
            session_attributes=session.attributes,
            active_contexts=session.active_contexts,
            request_attributes=turn.request_attributes,
            label=label,
            proposed=proposed,
        )
        context = FakeLambdaContext(self._hook_name, self._hook_timeout, clock=self._clock)
        return invoke(self._hook, event, context, self._hook_timeout)

    def _checked(self, outcome: HookOutcome) -> HookResponse | str:
        """The validated answer, or the DependencyFailedException message Lex would give."""
        if outcome.timed_out:
            return (
                f"Lambda code hook {self._hook_name} did not respond within {self._hook_timeout:g} seconds."
            )
        if outcome.error is not None:
            return f"Received error response from Lambda code hook {self._hook_name}: {outcome.error}"
        try:
            return validate_hook_response(outcome.response, self.locale)
        except InvalidHookResponseError as error:
            return f"Invalid Lambda Response: {error}"

    def _dialog_hook(
        self,
        turn: Turn,
        session: Session,
        hook: CodeHookDef,
        *,
        proposed: Proposed | None = None,
        delegate: Then | None = None,
    ) -> None:
        """Invoke the dialog code hook; Delegate follows the PostCodeHookSpecification success path."""
        intent = self._live(session)
        outcome = self._call_hook(
            turn,
            session,
            intent,
            DIALOG_CODE_HOOK,
            label=hook.label,
            proposed=proposed or self.proposed(session, intent, turn.request_attributes),
        )
        answer = self._checked(outcome)
        if isinstance(answer, str):
            failure = hook.timeout if outcome.timed_out and hook.timeout else hook.failure
            if failure is None:
                raise DependencyFailedException(answer)
            self._run_outcome(turn, session, failure)
            return
        self._apply_answer(
            turn,
            session,
            answer,
            fulfilment=False,
            on_delegate=delegate or (lambda: self._run_outcome(turn, session, hook.success)),
        )

    def _apply_answer(
        self,
        turn: Turn,
        session: Session,
        answer: HookResponse,
        *,
        fulfilment: bool,
        on_delegate: Then | None = None,
    ) -> None:
        """Follow a code hook's answer (the Lex V2 "Response format" page, dialogAction types)."""
        if answer.session_attributes is not None:
            session.attributes = dict(answer.session_attributes)
        if answer.active_contexts is not None:
            session.active_contexts = list(answer.active_contexts)
            contexts.track_client_contexts(session, self._clock())
        current = self._live(session)
        action = answer.dialog_action
        returned = answer.intent
        if returned is None:
            returned = current
            if action.type == CLOSE and fulfilment:
                returned.state = FULFILLED
        elif not answer.confirmation_given and returned.name == current.name:
            # The answer's intent is what Lex reports ("Response format"); a confirmationState it
            # leaves out stays as it was (the guide is silent; our choice).
            returned.confirmation_state = current.confirmation_state
        if turn.top is not None and turn.top is current:
            turn.top = returned
        session.intent = returned
        definition = self._intent_def(returned.name)
        fulfillment = definition.fulfillment
        if action.type == CLOSE:
            session.dialog_action = DialogAction(CLOSE)
            if answer.messages:
                turn.messages.extend(answer.messages)
            elif fulfilment and returned.state == FULFILLED:
                self._run_outcome(
                    turn,
                    session,
                    fulfillment.success if fulfillment else None,
                    then=self._closer(turn, session),
                )
            elif fulfilment and returned.state == FAILED:
                self._run_outcome(
                    turn,
                    session,
                    fulfillment.failure if fulfillment else None,
                    then=self._closer(turn, session),
                )
            return
        turn.messages.extend(answer.messages)
        if action.type == DELEGATE:
            if returned.state == FULFILLED and fulfilment:
                self._run_outcome(
                    turn,
                    session,
                    fulfillment.success if fulfillment else None,
                    then=self._closer(turn, session),
                )
            elif returned.state == FAILED:
                if fulfilment:
                    self._run_outcome(
                        turn,
                        session,
                        fulfillment.failure if fulfillment else None,
                        then=self._closer(turn, session),
                    )
                else:
                    self._close(turn, session)
            elif returned.state == READY_FOR_FULFILLMENT and not fulfilment:
                self._fulfil(turn, session)
            elif on_delegate is not None:
                on_delegate()
            else:
                self._advance(turn, session)
        elif action.type == ELICIT_SLOT:
            returned.state = IN_PROGRESS
            session.dialog_action = action
            session.attempts = 0
            slot = definition.slot(action.slot_to_elicit or "")
            if not answer.messages:
                if slot is None or slot.prompt is None:
                    raise DependencyFailedException(
                        f"Invalid Lambda Response: ElicitSlot for {action.slot_to_elicit} has no messages "
                        "and the slot has no prompt"
                    )
                self._say(turn, slot.prompt, returned)
        elif action.type == CONFIRM_INTENT:
            returned.state = IN_PROGRESS
            returned.confirmation_state = NO_CONFIRMATION
            if definition.confirmation is None:
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
