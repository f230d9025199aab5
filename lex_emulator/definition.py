"""The bot definition as the emulator runs it: small frozen dataclasses, built by `definition_loader`.

They mirror the parts of CloudFormation's ``AWS::Lex::Bot`` properties the emulator implements
(locales, intents, slots, slot types, prompts and responses); everything else is refused at load.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class SlotDef:
    name: str
    slot_type: str
    required: bool
    prompt: PromptSpec | None
    sample_utterances: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConfirmationDef:
    prompt: PromptSpec
    active: bool = True
    confirmation_response: ResponseSpec | None = None
    declination_response: ResponseSpec | None = None


@dataclass(frozen=True)
class FulfillmentDef:
    enabled: bool
    active: bool = True
    success_response: ResponseSpec | None = None
    failure_response: ResponseSpec | None = None
    timeout_response: ResponseSpec | None = None

    @property
    def runs_code_hook(self) -> bool:
        return self.enabled and self.active


@dataclass(frozen=True)
class ClosingDef:
    response: ResponseSpec | None
    active: bool = True


@dataclass(frozen=True)
class IntentDef:
    name: str
    is_fallback: bool = False
    sample_utterances: tuple[str, ...] = ()
    slots: tuple[SlotDef, ...] = ()  # in SlotPriorities order
    confirmation: ConfirmationDef | None = None
    fulfillment: FulfillmentDef | None = None
    closing: ClosingDef | None = None

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
