"""Custom slot types with ``ParentSlotTypeSignature: AMAZON.AlphaNumeric`` and a ``RegexFilter``.

The developer guide ("AMAZON.AlphaNumeric") allows letters, digits and \\uXXXX escapes, at most 300
characters, and no infinite repeaters (*, +, {x,}) nor the wildcard (.); the whole input must match
and the value is at most 30 characters. Patterns are checked when the bot is loaded.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from lex_emulator.definition import CustomSlotType
from lex_emulator.definition_loader import parse_bot_definition
from lex_emulator.errors import BotDefinitionError
from lex_emulator.slot_types import resolve_slot_value
from lex_emulator.slot_types.lex_regex import match_whole_input, regex_problem
from tests.bots import HELLO_WORLD

BOT_JSON = HELLO_WORLD
BASE: dict[str, Any] = json.loads(BOT_JSON.read_text(encoding="utf-8"))
PIN = CustomSlotType("Pin", parent="AMAZON.AlphaNumeric", regex="[0-9]{4}")


def with_regex(pattern: str) -> dict[str, Any]:
    definition = copy.deepcopy(BASE)
    english = next(loc for loc in definition["BotLocales"] if loc["LocaleId"] == "en_US")
    english["SlotTypes"] = [
        {
            "Name": "Pin",
            "ParentSlotTypeSignature": "AMAZON.AlphaNumeric",
            "ValueSelectionSetting": {
                "ResolutionStrategy": "ORIGINAL_VALUE",
                "RegexFilter": {"Pattern": pattern},
            },
        }
    ]
    english["Intents"][0]["Slots"][0]["SlotTypeName"] = "Pin"
    return definition


@pytest.mark.parametrize(
    "pattern",
    ["[0-9]{4}", "APQ1[A-Z]{3}[0-9]{1,3}", "[A-DP-T]{3}[1-5]{1,3}", "CP[0-9]{9}US",
     "[\\u0041-\\u005A]{2}[0-9]?", "(AB|CD)[0-9]{2,6}", "[0-9]{3}\\.[0-9]{2}", "[*+.]{1,2}"],
)  # fmt: skip
def test_patterns_lex_accepts_load(pattern: str) -> None:
    assert regex_problem(pattern) is None
    locale = parse_bot_definition(with_regex(pattern)).locales["en_US"]
    assert locale.slot_types["Pin"].regex == pattern


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("[0-9]+", "infinite repeater '+'"),
        ("[A-Z]*", "infinite repeater '*'"),
        ("[0-9]{4,}", "no upper bound"),
        ("A.B", "wildcard"),
        ("[0-9", "not a valid pattern"),
        ("A" * 301, "at most 300"),
    ],
)
def test_patterns_lex_refuses_are_refused_at_load_naming_the_field(pattern: str, problem: str) -> None:
    assert regex_problem(pattern) is not None
    with pytest.raises(BotDefinitionError) as raised:
        parse_bot_definition(with_regex(pattern))
    assert raised.value.path.endswith("ValueSelectionSetting.RegexFilter.Pattern")
    assert problem in raised.value.problem


@pytest.mark.parametrize(("said", "expected"), [("1234", "1234"), (" 0042. ", "0042"), ("12 34", "1234")])
def test_a_pin_matches_the_whole_input(said: str, expected: str) -> None:
    found = resolve_slot_value("Pin", said, {"Pin": PIN})
    assert found is not None
    assert (found.original, found.interpreted, found.resolved) == (expected, expected, (expected,))


@pytest.mark.parametrize("said", ["12345", "123", "my pin is 1234", "abcd", "", "1234 5678"])
def test_input_that_does_not_all_match_is_refused(said: str) -> None:
    assert resolve_slot_value("Pin", said, {"Pin": PIN}) is None


def test_a_value_longer_than_thirty_characters_is_refused() -> None:
    assert match_whole_input("A" * 30, "A{1,40}") == "A" * 30
    assert match_whole_input("A" * 31, "A{1,40}") is None


def test_unicode_escapes_work_as_lex_documents() -> None:
    assert match_whole_input("QZ7", "[\\u0041-\\u005A]{2}[0-9]") == "QZ7"
    assert match_whole_input("qz7", "[\\u0041-\\u005A]{2}[0-9]") is None


def test_a_type_with_the_alphanumeric_parent_and_no_regex_takes_alphanumeric_values() -> None:
    code = CustomSlotType("Code", parent="AMAZON.AlphaNumeric")
    found = resolve_slot_value("Code", "my code is ABC123", {"Code": code})
    assert found is not None
    assert found.interpreted == "ABC123"
