"""The values of a multi-value slot in one answer (Lex V2 guide, "Using multiple values in a slot")."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lex_emulator.definition import CustomSlotType, SlotTypeValue
from lex_emulator.multi_values import split_values
from lex_emulator.slot_types import resolve_custom
from lex_emulator.state import SlotValue

TOPPINGS = CustomSlotType(
    name="Topping",
    values=(
        SlotTypeValue("pepperoni"),
        SlotTypeValue("pineapple"),
        SlotTypeValue("olives", ("black olives",)),
        SlotTypeValue("onions", ("onion",)),
        SlotTypeValue("salt and pepper"),
        SlotTypeValue("햄"),
        SlotTypeValue("올리브"),
    ),
    resolution="TopResolution",
)


def toppings(text: str) -> SlotValue | None:
    return split_values(text, lambda part: resolve_custom(TOPPINGS, part))


def items(value: SlotValue | None) -> list[tuple[str, str]]:
    assert value is not None
    return [(item.original, item.interpreted) for item in value.values]


def test_the_guides_example_the_phrase_as_said_and_one_scalar_per_item() -> None:
    value = toppings("pepperoni and pineapple")

    assert value is not None
    assert value.to_wire() == {
        "shape": "List",
        "value": {
            "originalValue": "pepperoni and pineapple",
            "interpretedValue": "pepperoni and pineapple",
            "resolvedValues": ["pepperoni and pineapple"],
        },
        "values": [
            {
                "shape": "Scalar",
                "value": {
                    "originalValue": "pepperoni",
                    "interpretedValue": "pepperoni",
                    "resolvedValues": ["pepperoni"],
                },
            },
            {
                "shape": "Scalar",
                "value": {
                    "originalValue": "pineapple",
                    "interpretedValue": "pineapple",
                    "resolvedValues": ["pineapple"],
                },
            },
        ],
    }


@pytest.mark.parametrize(
    ("said", "phrase", "expected"),
    [
        (
            "black olives, onion and pineapple",
            "black olives, onion and pineapple",
            [("black olives", "olives"), ("onion", "onions"), ("pineapple", "pineapple")],
        ),
        (
            "pepperoni pineapple",
            "pepperoni pineapple",
            [("pepperoni", "pepperoni"), ("pineapple", "pineapple")],
        ),
        ("pepperoni", "pepperoni", [("pepperoni", "pepperoni")]),
        ("some pepperoni please", "pepperoni", [("pepperoni", "pepperoni")]),
        (
            "salt and pepper and onions",
            "salt and pepper and onions",
            [("salt and pepper", "salt and pepper"), ("onions", "onions")],
        ),
        ("햄과 올리브", "햄과 올리브", [("햄", "햄"), ("올리브", "올리브")]),
    ],
)
def test_items_split_on_spaces_commas_and_and(
    said: str, phrase: str, expected: list[tuple[str, str]]
) -> None:
    value = toppings(said)

    assert value is not None
    assert value.is_list  # a single item is still a list of one
    assert (value.original, value.interpreted) == (phrase, phrase)
    assert items(value) == expected


def test_conditions_see_the_comma_joined_interpreted_values() -> None:
    # "Add conditions to branch conversations": a multi-value slot compares as the comma-separated
    # list of its interpreted values.
    value = toppings("black olives and onion")

    assert value is not None
    assert value.interpreted_values == ["olives", "onions"]


def test_an_answer_with_no_value_of_the_type_gives_none() -> None:
    assert toppings("anchovies and ham") is None
    assert toppings("nothing for me") is None


WORDS = st.sampled_from(
    ["pepperoni", "onion", "black olives", "and", "please", "햄과", "올리브", ",", "or", "x"]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(WORDS, max_size=12).map(" ".join) | st.text(max_size=80))
def test_any_answer_gives_none_or_a_list_of_whole_values_found_in_it(said: str) -> None:
    value = toppings(said)

    if value is None:
        return
    assert value.is_list
    assert value.original == value.interpreted
    assert value.original in unicodedata.normalize("NFKC", said)
    for item in value.values:
        assert not item.is_list
        assert resolve_custom(TOPPINGS, item.original) is not None
