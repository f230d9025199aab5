"""The Lex V2 conversation flow after an input is understood: next steps, branches, hooks, fulfilment.

Lex V2 developer guide, "Creating conversation paths" and "Add conditions to branch conversations":
every point of an intent (initial response, slot capture, confirmation, fulfilment, closing) plays
its response, then follows its next step; a next step of EvaluateConditional (or none) evaluates the
point's conditional when it is active (the first branch whose condition holds, else the default
branch). With neither, the default is the dialog code hook when
it runs there ("Invoking Lambda functions during a conversation"), else what Lex picks: fill the
next required slot (its default values first, "Using default slot values"), confirm, fulfil, close.

`DialogFlow` is the half of `dialog.LocaleRuntime` that runs those steps; the other half turns a
request into the point the flow starts from.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import contexts
from .conditions import Environment, evaluate
from .definition import (
    CLOSE_INTENT,
    CONFIRM_INTENT_STEP,
    ELICIT_INTENT_STEP,
    ELICIT_SLOT_STEP,
    END_CONVERSATION,
    EVALUATE_CONDITIONAL,
    FULFILL_INTENT,
    INVOKE_DIALOG_CODE_HOOK,
    START_INTENT,
    CodeHookDef,
    ConditionalDef,
    IntentDef,
    OutcomeDef,
    PromptSpec,
    ResponseSpec,
    SlotDef,
    StepDef,
)
from .dialog_hooks import CodeHookCalls
from .errors import DependencyFailedException, ValidationException
from .hook_events import FULFILLMENT_CODE_HOOK, Proposed
from .messages import render_response
from .sessions import Session
from .state import (
    CLOSE,
    CONFIRM_INTENT,
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
from .turn import Then, Turn, blank_intent

MAX_STEPS_PER_TURN = 40


class DialogFlow(CodeHookCalls):
    # -- provided by LocaleRuntime ------------------------------------------------------------------

    def _intent_def(self, name: str) -> IntentDef:
        raise NotImplementedError

    def _resolve(self, intent_name: str, slot_name: str, text: str) -> SlotValue | None:
        raise NotImplementedError

    def _invoke_fallback(self, turn: Turn, session: Session, abandoned: IntentState) -> None:
        raise NotImplementedError

    # -- rendering ----------------------------------------------------------------------------------

    def _render(
        self, spec: ResponseSpec | PromptSpec | None, intent: IntentState, *, attempt: int = 0
    ) -> list[dict[str, Any]]:
        if isinstance(spec, PromptSpec):
            return render_response(
                spec.response, intent.slot_text(), self._rng, ordered=spec.ordered, attempt=attempt
            )
        return render_response(spec, intent.slot_text(), self._rng)

    def _say(self, turn: Turn, spec: ResponseSpec | PromptSpec | None, intent: IntentState) -> None:
        turn.messages.extend(self._render(spec, intent))

    # -- outcomes, conditionals and steps -----------------------------------------------------------

    def _hook_runs(self, definition: IntentDef, hook: CodeHookDef | None) -> bool:
        return definition.dialog_hook and hook is not None and hook.runs and self._hook is not None

    def _point_hook(self, definition: IntentDef, explicit: CodeHookDef | None) -> CodeHookDef | None:
        """The code-hook setting of a point; with none given, the intent's dialog code hook as is."""
        if explicit is not None:
            return explicit
        return CodeHookDef(enabled=True) if definition.dialog_hook else None

    def _run_outcome(
        self,
        turn: Turn,
        session: Session,
        outcome: OutcomeDef | None,
        *,
        hook: CodeHookDef | None = None,
        then: Then | None = None,
        play: bool = True,
    ) -> None:
        """Play a point's response, then its conditional, next step, code hook or ``then`` (or Lex picks)."""
        intent = self._live(session)
        if outcome is not None and play:
            self._say(turn, outcome.response, intent)
        if outcome is not None and outcome.step is not None:
            self._step(turn, session, outcome.step, hook=hook, conditional=outcome.conditional)
        elif outcome is not None and outcome.conditional is not None and outcome.conditional.active:
            self._branch(turn, session, outcome.conditional, hook)
        elif self._hook_runs(self._intent_def(intent.name), hook):
            assert hook is not None
            self._dialog_hook(turn, session, hook)
        elif then is not None:
            then()
        else:
            self._advance(turn, session)

    def _branch(
        self, turn: Turn, session: Session, conditional: ConditionalDef, hook: CodeHookDef | None
    ) -> None:
        intent = self._live(session)
        env = Environment(
            slots=intent.slot_values(),
            session_attributes=session.attributes,
            request_attributes=turn.request_attributes or {},
            input_transcript=turn.text,
        )
        for branch in conditional.branches:
            if evaluate(branch.condition, env):
                self._say(turn, branch.response, intent)
                self._step(turn, session, branch.step, hook=hook, conditional=None)
                return
        self._say(turn, conditional.default_response, intent)
        self._step(turn, session, conditional.default_step, hook=hook, conditional=None)

    def _step(
        self,
        turn: Turn,
        session: Session,
        step: StepDef,
        *,
        hook: CodeHookDef | None,
        conditional: ConditionalDef | None,
    ) -> None:
        turn.steps += 1
        if turn.steps > MAX_STEPS_PER_TURN:
            raise DependencyFailedException(
                f"The conversation flow ran more than {MAX_STEPS_PER_TURN} steps in one turn; "
                "the bot's next steps loop."
            )
        for key, value in step.session_attributes:
            session.attributes[key] = value
        intent = self._live(session)
        target = intent
        if step.action == START_INTENT and step.intent_name is not None:
            intent.state = FAILED if intent.state == IN_PROGRESS else intent.state
            target = blank_intent(self._intent_def(step.intent_name))
        elif step.intent_name is not None and step.intent_name != intent.name:
            target = blank_intent(self._intent_def(step.intent_name))
            session.intent = target
        self._set_slots(target, step)
        turn.suppress_next = step.suppress_next_message
        action = step.action
        definition = self._intent_def(target.name)
        if action is None or action == EVALUATE_CONDITIONAL:
            # A next step that only sets values, or EvaluateConditional: the point's conditional
            # when it is active, else Lex picks.
            if conditional is not None and conditional.active:
                self._branch(turn, session, conditional, hook)
            else:
                self._advance(turn, session)
        elif action == START_INTENT:
            session.intent = target
            session.attempts = 0
            turn.top = turn.top if turn.top is not None and turn.top.name == target.name else target
            self.begin_intent(turn, session, target)
        elif action == ELICIT_SLOT_STEP:
            slot = definition.slot(step.slot_to_elicit or "")
            assert slot is not None  # the loader checks the slot
            self._elicit(turn, session, slot)
        elif action == CONFIRM_INTENT_STEP:
            self._confirm(turn, session)
        elif action == ELICIT_INTENT_STEP:
            session.dialog_action = DialogAction(ELICIT_INTENT)
        elif action == FULFILL_INTENT:
            self._fulfil(turn, session)
        elif action == CLOSE_INTENT:
            self._close(turn, session)
        elif action == END_CONVERSATION:
            session.dialog_action = DialogAction(CLOSE)
        elif action == INVOKE_DIALOG_CODE_HOOK:
            if self._hook_runs(definition, hook):
                assert hook is not None
                self._dialog_hook(turn, session, hook)
            else:
                self._advance(turn, session)

    def _set_slots(self, intent: IntentState, step: StepDef) -> None:
        definition = self._intent_def(intent.name)
        for name, values in step.slot_values:
            if values is None:
                intent.slots[name] = None
                continue
            slot = definition.slot(name)
            items = tuple(SlotValue(value, value, (value,)) for value in values)
            if slot is not None and slot.multiple_values:
                intent.slots[name] = SlotValue.of_list(", ".join(values), items)
            else:
                intent.slots[name] = items[0]

    def _live(self, session: Session) -> IntentState:
        if session.intent is None:  # every flow step runs on an intent
            raise ValidationException("The conversation has no active intent.")
        return session.intent

    # -- what Lex picks -----------------------------------------------------------------------------

    def begin_intent(self, turn: Turn, session: Session, intent: IntentState) -> None:
        """A newly recognised (or started) intent: its initial response, then the flow."""
        definition = self._intent_def(intent.name)
        session.intent = intent
        self._fill_defaults(turn, session, intent)
        initial = definition.initial
        hook = self._point_hook(definition, initial.code_hook if initial else None)
        self._run_outcome(turn, session, initial.outcome if initial else None, hook=hook)

    def _fill_defaults(self, turn: Turn, session: Session, intent: IntentState) -> None:
        """Lex V2 guide, "Using default slot values": when the intent is recognised, each empty slot
        with defaults takes the first that exists (a request attribute lives for its request only).
        A slot still empty is tried again when it is next to elicit."""
        for slot in self._intent_def(intent.name).slots:
            if slot.defaults and intent.slots.get(slot.name) is None:
                value = contexts.default_value(
                    slot.defaults,
                    session,
                    self._default_resolver(intent.name, slot),
                    request_attributes=turn.request_attributes,
                )
                if value is not None:
                    intent.slots[slot.name] = value

    def _next_slot(
        self,
        session: Session,
        intent: IntentState,
        *,
        fill_defaults: bool,
        request_attributes: dict[str, str] | None = None,
    ) -> SlotDef | None:
        definition = self._intent_def(intent.name)
        for slot in definition.slots:
            if not slot.required or intent.slots.get(slot.name) is not None:
                continue
            if fill_defaults and slot.defaults:
                value = contexts.default_value(
                    slot.defaults,
                    session,
                    self._default_resolver(intent.name, slot),
                    request_attributes=request_attributes,
                )
                if value is not None:
                    intent.slots[slot.name] = value
                    continue
            return slot
        return None

    def _default_resolver(self, intent_name: str, slot: SlotDef) -> Callable[[str], SlotValue]:
        def resolve(text: str) -> SlotValue:
            return self._resolve(intent_name, slot.name, text) or SlotValue(text, text, (text,))

        return resolve

    def proposed(
        self, session: Session, intent: IntentState, request_attributes: dict[str, str] | None = None
    ) -> Proposed | None:
        """What `_advance` would do next, as ``proposedNextState`` (None when that is fulfilment)."""
        definition = self._intent_def(intent.name)
        slot = self._next_slot(
            session, intent.copy(), fill_defaults=True, request_attributes=request_attributes
        )
        if slot is not None:
            return Proposed(ELICIT_SLOT, slot.name)
        confirmation = definition.confirmation
        if confirmation is not None and confirmation.active and intent.confirmation_state == NO_CONFIRMATION:
            return Proposed(CONFIRM_INTENT)
        return None

    def _advance(self, turn: Turn, session: Session) -> None:
        intent = self._live(session)
        if intent.state in (FULFILLED, FAILED):
            self._close(turn, session)
            return
        if intent.confirmation_state == DENIED:  # declined, and nothing said what to do instead
            intent.state = FAILED
            session.dialog_action = DialogAction(CLOSE)
            return
        definition = self._intent_def(intent.name)
        slot = self._next_slot(
            session, intent, fill_defaults=True, request_attributes=turn.request_attributes
        )
        if slot is not None:
            self._elicit(turn, session, slot)
            return
        confirmation = definition.confirmation
        if confirmation is not None and confirmation.active and intent.confirmation_state == NO_CONFIRMATION:
            self._confirm(turn, session)
            return
        self._fulfil(turn, session)

    def _elicit(self, turn: Turn, session: Session, slot: SlotDef) -> None:
        intent = self._live(session)
        intent.state = IN_PROGRESS
        session.dialog_action = DialogAction(ELICIT_SLOT, slot.name)
        session.attempts = 0
        if not turn.suppress_next:
            self._say(turn, slot.prompt, intent)
        turn.suppress_next = False

    def _confirm(self, turn: Turn, session: Session) -> None:
        intent = self._live(session)
        confirmation = self._intent_def(intent.name).confirmation
        if confirmation is None:
            raise DependencyFailedException(f"Intent {intent.name} has no confirmation prompt to ask.")
        intent.state = IN_PROGRESS
        intent.confirmation_state = NO_CONFIRMATION
        session.dialog_action = DialogAction(CONFIRM_INTENT)
        session.attempts = 0
        if not turn.suppress_next:
            self._say(turn, confirmation.prompt, intent)
        turn.suppress_next = False

    # -- fulfilment and closing ---------------------------------------------------------------------

    def _fulfil(self, turn: Turn, session: Session) -> None:
        intent = self._live(session)
        if turn.fulfilled:
            raise DependencyFailedException(
                "Invalid Lambda Response: the fulfillment code hook returned Delegate for an intent that "
                "is ready for fulfillment again; it must close the intent, elicit something, or fail."
            )
        turn.fulfilled = True
        definition = self._intent_def(intent.name)
        fulfillment = definition.fulfillment
        intent.state = READY_FOR_FULFILLMENT
        session.dialog_action = DialogAction(CLOSE)
        contexts.set_output_contexts(session, definition.output_contexts, intent, self._clock())
        if fulfillment is None or not fulfillment.runs_code_hook:
            # Without an active fulfillment code hook Lex reports the intent ReadyForFulfillment:
            # fulfilment is left to the client ("Fulfillment": it succeeds without invoking Lambda).
            self._run_outcome(
                turn, session, fulfillment.success if fulfillment else None, then=self._closer(turn, session)
            )
            return
        outcome = self._call_hook(turn, session, intent, FULFILLMENT_CODE_HOOK)
        answer = self._checked(outcome)
        if isinstance(answer, str):
            timed_out = outcome.timed_out
            failure = fulfillment.timeout if timed_out else fulfillment.failure
            if failure is None:
                raise DependencyFailedException(answer)
            intent.state = FAILED
            self._run_outcome(turn, session, failure, then=self._closer(turn, session))
            return
        self._apply_answer(turn, session, answer, fulfilment=True)

    def _close(self, turn: Turn, session: Session) -> None:
        intent = self._live(session)
        session.dialog_action = DialogAction(CLOSE)
        closing = self._intent_def(intent.name).closing
        if closing is None or not closing.active:
            return

        def end() -> None:
            session.dialog_action = DialogAction(CLOSE)

        self._run_outcome(turn, session, closing.outcome, then=end)
