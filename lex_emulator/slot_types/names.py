"""The names of the built-in slot types the emulator implements (``SlotTypeName`` values)."""

from __future__ import annotations

ALPHANUMERIC = "AMAZON.AlphaNumeric"
CITY = "AMAZON.City"
CONFIRMATION = "AMAZON.Confirmation"
COUNTRY = "AMAZON.Country"
DATE = "AMAZON.Date"
DURATION = "AMAZON.Duration"
EMAIL_ADDRESS = "AMAZON.EmailAddress"
FIRST_NAME = "AMAZON.FirstName"
FREE_FORM_INPUT = "AMAZON.FreeFormInput"
LAST_NAME = "AMAZON.LastName"
NUMBER = "AMAZON.Number"
PERCENTAGE = "AMAZON.Percentage"
PHONE_NUMBER = "AMAZON.PhoneNumber"
STATE = "AMAZON.State"
STREET_NAME = "AMAZON.StreetName"
TIME = "AMAZON.Time"
UK_POSTAL_CODE = "AMAZON.UKPostalCode"

BUILT_IN_SLOT_TYPES: frozenset[str] = frozenset(
    {
        ALPHANUMERIC,
        CITY,
        CONFIRMATION,
        COUNTRY,
        DATE,
        DURATION,
        EMAIL_ADDRESS,
        FIRST_NAME,
        FREE_FORM_INPUT,
        LAST_NAME,
        NUMBER,
        PERCENTAGE,
        PHONE_NUMBER,
        STATE,
        STREET_NAME,
        TIME,
        UK_POSTAL_CODE,
    }
)
