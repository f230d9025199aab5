"""AMAZON.UKPostalCode: a United Kingdom postcode ("sw1a 1aa", "SW1A1AA") as "SW1A 1AA".

The guide offers the type in en_GB; the emulator reads it in any locale. The outward code (area,
district) and inward code (sector, unit) follow the Royal Mail format; the value is upper case with
one space between them, as postcodes are written.
"""

from __future__ import annotations

import re
import unicodedata

from ..state import SlotValue
from .context import SlotContext, single

_POSTCODE = re.compile(r"(?<![A-Z0-9])([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})(?![A-Z0-9])")


def parse_uk_postcode(text: str) -> str | None:
    matches = _POSTCODE.findall(unicodedata.normalize("NFKC", text).upper())
    if len(matches) != 1:
        return None
    outward, inward = matches[0]
    return f"{outward} {inward}"


def resolve_uk_postal_code(text: str, context: SlotContext) -> SlotValue | None:
    value = parse_uk_postcode(text)
    return single(text.strip(), value) if value else None
