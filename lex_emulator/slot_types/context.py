"""What a slot resolver knows besides the text: the bot locale and today's date; and the ambiguous value.

`AmbiguousSlotValue` is how Lex V2 reports a value it could not settle, such as "10 o'clock" for an
AMAZON.Time slot: ``interpretedValue`` is null and ``resolvedValues`` lists the candidates
(developer guide, "AMAZON.Time"). Inside the emulator the first candidate stands in for ``{Slot}``
references; on the wire the interpreted value is null, as Lex sends it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from ..locales import language_of, region_of
from ..state import SlotValue


@dataclass(frozen=True)
class SlotContext:
    locale_id: str
    today: datetime.date

    @property
    def language(self) -> str:
        return language_of(self.locale_id)

    @property
    def region(self) -> str:
        return region_of(self.locale_id)


@dataclass(frozen=True)
class AmbiguousSlotValue(SlotValue):
    """A value with several resolutions and no interpretation (``interpretedValue: null`` on the wire)."""

    def to_wire(self, *, with_shape: bool = False) -> dict[str, Any]:
        wire = super().to_wire(with_shape=with_shape)
        wire["value"]["interpretedValue"] = None
        return wire


def single(original: str, value: str) -> SlotValue:
    """A value Lex resolved to exactly one thing."""
    return SlotValue(original=original, interpreted=value, resolved=(value,))
