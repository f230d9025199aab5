"""What one RecognizeText or PutSession request builds up while the dialog runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .definition import IntentDef
from .recognition import Ranked
from .state import IntentState

Then = Callable[[], None]


@dataclass
class Turn:
    """What one request builds up: messages so far and the interpretations to report."""

    request_id: str
    text: str
    request_attributes: dict[str, str] | None
    messages: list[dict[str, Any]] = field(default_factory=list)
    ranked: list[Ranked] = field(default_factory=list)
    top: IntentState | None = None  # the live intent shown as the first interpretation
    steps: int = 0
    fulfilled: bool = False  # fulfilment already ran this turn
    suppress_next: bool = False  # SuppressNextMessage of the step being run


def blank_intent(definition: IntentDef) -> IntentState:
    return IntentState(name=definition.name, slots={name: None for name in definition.slot_names})
