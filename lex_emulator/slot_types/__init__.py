"""Slot value resolution: turn what the user said into a slot value for the slot's type.

`resolve_slot_value` dispatches on the slot type to one module per built-in type (or family of
types), imported the first time a bot uses it so that a bot without dates never loads `dateparser`,
and to the locale's custom slot types. Each resolver answers in Lex V2's value formats (see the
developer guide's "Built-in slot types" pages) for the bot locale, with relative dates resolved
against ``today``.
"""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from ..state import SlotValue
from .alphanumeric import parse_alphanumeric
from .context import AmbiguousSlotValue, SlotContext
from .custom import resolve_custom
from .first_name import extract_first_name
from .names import BUILT_IN_SLOT_TYPES
from .number import parse_number

if TYPE_CHECKING:
    from ..definition import CustomSlotType

__all__ = [
    "BUILT_IN_SLOT_TYPES",
    "AmbiguousSlotValue",
    "SlotContext",
    "extract_first_name",
    "parse_alphanumeric",
    "parse_number",
    "resolve_custom",
    "resolve_slot_value",
    "warm_up",
]

Resolver = Callable[[str, SlotContext], SlotValue | None]

# Slot type -> "module:function" in this package; imported on first use.
_RESOLVERS: dict[str, str] = {
    "AMAZON.AlphaNumeric": "alphanumeric:resolve_alphanumeric",
    "AMAZON.City": "places:resolve_city",
    "AMAZON.Confirmation": "confirmation:resolve_confirmation",
    "AMAZON.Country": "places:resolve_country",
    "AMAZON.Date": "dates:resolve_date",
    "AMAZON.Duration": "durations:resolve_duration",
    "AMAZON.EmailAddress": "email:resolve_email",
    "AMAZON.FirstName": "first_name:resolve_first_name",
    "AMAZON.FreeFormInput": "free_form:resolve_free_form",
    "AMAZON.LastName": "last_name:resolve_last_name",
    "AMAZON.Number": "number:resolve_number",
    "AMAZON.Percentage": "percentage:resolve_percentage",
    "AMAZON.PhoneNumber": "phone:resolve_phone_number",
    "AMAZON.State": "places:resolve_state",
    "AMAZON.StreetName": "street:resolve_street_name",
    "AMAZON.Time": "times:resolve_time",
    "AMAZON.UKPostalCode": "uk_postcode:resolve_uk_postal_code",
}
assert frozenset(_RESOLVERS) == BUILT_IN_SLOT_TYPES  # a table kept in step with the names

_LOADED: dict[str, Resolver] = {}


def _resolver(slot_type: str) -> Resolver:
    if slot_type not in _LOADED:
        module_name, function = _RESOLVERS[slot_type].split(":")
        module = importlib.import_module(f"{__name__}.{module_name}")
        _LOADED[slot_type] = getattr(module, function)
    return _LOADED[slot_type]


def resolve_slot_value(
    slot_type: str,
    text: str,
    custom_types: Mapping[str, CustomSlotType],
    *,
    locale_id: str = "en_US",
    today: datetime.date | None = None,
) -> SlotValue | None:
    """The slot value in ``text`` for a slot of ``slot_type``, or None when there is none."""
    context = SlotContext(locale_id=locale_id, today=today or datetime.date.today())
    custom = custom_types.get(slot_type)
    if custom is not None:
        return resolve_custom(custom, text, context)
    if slot_type not in _RESOLVERS:
        return None  # the loader refuses unknown slot types
    return _resolver(slot_type)(text, context)


def warm_up(slot_types: Iterable[str], locale_ids: Iterable[str]) -> None:
    """Load the libraries and data the given built-in types need, so the first answer does not wait.

    A bot's loader may call it in a background thread (AMAZON.City indexes 34,000 cities: 2-3 s).
    """
    locales = list(locale_ids)
    for slot_type in slot_types:
        if slot_type in _RESOLVERS:
            for locale_id in locales:
                _resolver(slot_type)("1", SlotContext(locale_id=locale_id, today=datetime.date.today()))
