"""The bot definition as the emulator runs it: small frozen dataclasses, built by `definition_loader`.

They mirror the parts of CloudFormation's ``AWS::Lex::Bot`` properties the emulator implements
(locales, intents, slots, slot types, prompts and responses); everything else is refused at load.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FIRST_NAME = "AMAZON.FirstName"
NUMBER = "AMAZON.Number"
ALPHANUMERIC = "AMAZON.AlphaNumeric"
from .slot_types import BUILT_IN_SLOT_TYPES as BUILT_IN_SLOT_TYPES  # noqa: E402

PLAIN_TEXT = "PlainText"
CUSTOM_PAYLOAD = "CustomPayload"
SSML = "SSML"
IMAGE_RESPONSE_CARD = "ImageResponseCard"


@dataclass(frozen=True)
class CardButton:
    text: str
    value: str


@dataclass(frozen=True)
class ImageCard:
    title: str
    subtitle: str | None = None
    image_url: str | None = None
    buttons: tuple[CardButton, ...] = ()


@dataclass(frozen=True)
class MessageTemplate:
    """One message as defined; ``{Slot}`` references are filled in when it is sent."""

    content_type: str
    content: str | None = None
    card: ImageCard | None = None


@dataclass(frozen=True)
class MessageGroup:
    """Lex sends one message per group: the message or one of its variations."""

    message: MessageTemplate
    variations: tuple[MessageTemplate, ...] = ()


@dataclass(frozen=True)
class ResponseSpec:
    groups: tuple[MessageGroup, ...]


@dataclass(frozen=True)
class PromptSpec:
    groups: tuple[MessageGroup, ...]
    max_retries: int
    ordered: bool = False

    @property
    def response(self) -> ResponseSpec:
        return ResponseSpec(self.groups)


# -- next steps, conditional branches and code-hook settings (the Lex V2 conversation flow) -------------

# DialogAction types a next step (CloudFormation's DialogState) can name.
CLOSE_INTENT = "CloseIntent"
CONFIRM_INTENT_STEP = "ConfirmIntent"
ELICIT_INTENT_STEP = "ElicitIntent"
ELICIT_SLOT_STEP = "ElicitSlot"
END_CONVERSATION = "EndConversation"
EVALUATE_CONDITIONAL = "EvaluateConditional"
FULFILL_INTENT = "FulfillIntent"
INVOKE_DIALOG_CODE_HOOK = "InvokeDialogCodeHook"
START_INTENT = "StartIntent"
STEP_TYPES = (
    CLOSE_INTENT,
    CONFIRM_INTENT_STEP,
    ELICIT_INTENT_STEP,
    ELICIT_SLOT_STEP,
    END_CONVERSATION,
    EVALUATE_CONDITIONAL,
    FULFILL_INTENT,
    INVOKE_DIALOG_CODE_HOOK,
    START_INTENT,
)


@dataclass(frozen=True)
class StepDef:
    """A next step (``DialogState``): what to do, values to set first, and the intent to run it on."""

    action: str | None  # one of STEP_TYPES; None = Lex picks the next step
    slot_to_elicit: str | None = None
    suppress_next_message: bool = False
    intent_name: str | None = None  # StartIntent's target, or the intent whose slots are set
    slot_values: tuple[tuple[str, tuple[str, ...] | None], ...] = ()  # name -> values (None clears)
    session_attributes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class BranchDef:
    name: str
    condition: Any  # a parsed `conditions.Expression`
    expression: str
    response: ResponseSpec | None
    step: StepDef


@dataclass(frozen=True)
class ConditionalDef:
    active: bool
    branches: tuple[BranchDef, ...]
    default_response: ResponseSpec | None
    default_step: StepDef


@dataclass(frozen=True)
class OutcomeDef:
    """What happens at one point of the flow: a response, then a conditional (if active) or a next step."""

    response: ResponseSpec | None = None
    step: StepDef | None = None
    conditional: ConditionalDef | None = None


@dataclass(frozen=True)
class CodeHookDef:
    """``DialogCodeHookInvocationSetting``: whether the dialog code hook runs here, and what follows it."""

    enabled: bool
    active: bool = True
    label: str | None = None
    success: OutcomeDef = OutcomeDef()
    failure: OutcomeDef | None = None
    timeout: OutcomeDef | None = None

    @property
    def runs(self) -> bool:
        return self.enabled and self.active


@dataclass(frozen=True)
class ElicitationHookDef:
    """``ElicitationCodeHookInvocationSetting``: the dialog code hook between elicitation attempts."""

    enabled: bool
    label: str | None = None


@dataclass(frozen=True)
class SlotDef:
    name: str
    slot_type: str
    required: bool
    prompt: PromptSpec | None
    sample_utterances: tuple[str, ...] = ()
    defaults: tuple[str, ...] = ()  # DefaultValueSpecification, in order
    multiple_values: bool = False
    capture: OutcomeDef | None = None  # SlotCaptureSetting: Capture*
    capture_failure: OutcomeDef | None = None  # SlotCaptureSetting: Failure*
    code_hook: CodeHookDef | None = None  # SlotCaptureSetting.CodeHook
    elicitation_hook: ElicitationHookDef | None = None


@dataclass(frozen=True)
class ConfirmationDef:
    prompt: PromptSpec
    active: bool = True
    confirmation_response: ResponseSpec | None = None
    declination_response: ResponseSpec | None = None
    confirmed: OutcomeDef | None = None  # Confirmation{NextStep,Conditional}
    declined: OutcomeDef | None = None  # Declination{NextStep,Conditional}
    failure: OutcomeDef | None = None  # Failure{Response,NextStep,Conditional}
    code_hook: CodeHookDef | None = None
    elicitation_hook: ElicitationHookDef | None = None


@dataclass(frozen=True)
class FulfillmentDef:
    enabled: bool
    active: bool = True
    success_response: ResponseSpec | None = None
    failure_response: ResponseSpec | None = None
    timeout_response: ResponseSpec | None = None
    success: OutcomeDef | None = None
    failure: OutcomeDef | None = None
    timeout: OutcomeDef | None = None

    @property
    def runs_code_hook(self) -> bool:
        return self.enabled and self.active


@dataclass(frozen=True)
class ClosingDef:
    response: ResponseSpec | None
    active: bool = True
    outcome: OutcomeDef | None = None


@dataclass(frozen=True)
class InitialResponseDef:
    outcome: OutcomeDef
    code_hook: CodeHookDef | None = None


@dataclass(frozen=True)
class OutputContextDef:
    name: str
    ttl_seconds: int
    turns: int


@dataclass(frozen=True)
class IntentDef:
    name: str
    is_fallback: bool = False
    sample_utterances: tuple[str, ...] = ()
    slots: tuple[SlotDef, ...] = ()  # in SlotPriorities order
    confirmation: ConfirmationDef | None = None
    fulfillment: FulfillmentDef | None = None
    closing: ClosingDef | None = None
    dialog_hook: bool = False  # DialogCodeHook.Enabled
    initial: InitialResponseDef | None = None
    input_contexts: tuple[str, ...] = ()
    output_contexts: tuple[OutputContextDef, ...] = ()

    def slot(self, name: str) -> SlotDef | None:
        for slot in self.slots:
            if slot.name == name:
                return slot
        return None

    @property
    def slot_names(self) -> tuple[str, ...]:
        return tuple(slot.name for slot in self.slots)


@dataclass(frozen=True)
class SlotTypeValue:
    value: str
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class CustomSlotType:
    name: str
    values: tuple[SlotTypeValue, ...] = ()
    resolution: str = "OriginalValue"  # or "TopResolution"
    parent: str | None = None  # AMAZON.AlphaNumeric for a regex-filtered type
    regex: str | None = None


@dataclass(frozen=True)
class LocaleDef:
    locale_id: str
    threshold: float
    intents: tuple[IntentDef, ...]
    slot_types: dict[str, CustomSlotType] = field(default_factory=dict)

    def intent(self, name: str) -> IntentDef | None:
        for intent in self.intents:
            if intent.name == name:
                return intent
        return None

    @property
    def fallback(self) -> IntentDef:
        for intent in self.intents:
            if intent.is_fallback:
                return intent
        raise LookupError(f"locale {self.locale_id} has no fallback intent")  # the loader prevents it

    @property
    def recognisable_intents(self) -> tuple[IntentDef, ...]:
        return tuple(intent for intent in self.intents if not intent.is_fallback)


@dataclass(frozen=True)
class BotDef:
    description: str | None
    idle_session_ttl_seconds: int
    locales: dict[str, LocaleDef]
