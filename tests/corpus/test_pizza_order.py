"""Corpus bot 9, a pizzeria (bots/pizza_order.json): a multi-value toppings slot, message groups with
variations, and a closing response followed by a condition on the multi-value slot.

Multi-value slots (https://docs.aws.amazon.com/lexv2/latest/dg/multi-valued-slots.html): the slot has
shape ``List``; ``value`` holds the whole phrase and ``values`` one Scalar slot per item; Lex splits on
spaces, commas and "and"; a single value is still a list of one; in a prompt the slot reads as the phrase.
Message groups (https://docs.aws.amazon.com/lexv2/latest/APIReference/API_MessageGroup.html): Lex sends one
message per group, choosing the primary message or one of its variations.
Conditions (https://docs.aws.amazon.com/lexv2/latest/dg/paths-branching.html): ``{slot} CONTAINS "x"`` on a
multi-value slot; a closing response whose next step is EvaluateConditional runs the branches after it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.corpus.support import (
    CorpusBot,
    action_of,
    bot_path,
    elicits,
    interpreted,
    slot,
    start_bot,
    texts,
)

SIZE_PROMPTS = {
    "What size would you like?",
    "Which size: small, medium or large?",
    "How big should the pizza be?",
}
OVEN = {"Your pizza is in the oven.", "Your pizza is being made.", "We have started on your pizza."}


@pytest.fixture
def pizzeria() -> Iterator[CorpusBot]:
    with start_bot(bot_path("pizza_order")) as bot:
        yield bot


def scalar(text: str, resolved: str) -> dict[str, Any]:
    return {
        "shape": "Scalar",
        "value": {"originalValue": text, "interpretedValue": resolved, "resolvedValues": [resolved]},
    }


def test_several_toppings_in_one_utterance_fill_a_list_slot(pizzeria: CorpusBot) -> None:
    chat = pizzeria.dialog()

    first = chat.say("I want a large pizza with pepperoni and mushrooms")

    toppings = slot(first, "Toppings")
    assert toppings is not None
    assert toppings["shape"] == "List"
    assert toppings["value"]["originalValue"] == "pepperoni and mushrooms"
    assert toppings["values"] == [scalar("pepperoni", "pepperoni"), scalar("mushrooms", "mushrooms")]
    assert interpreted(first, "Size") == "large"
    assert action_of(first)["type"] == "ConfirmIntent"
    assert texts(first) == ["A large pizza with pepperoni and mushrooms. Shall I place the order?"]

    done = chat.say("yes")
    oven, ready, branch = texts(done)
    assert oven in OVEN
    assert ready == "It will be ready in 20 minutes."
    assert branch == "Enjoy your meal."  # the default branch: no pineapple
    assert action_of(done)["type"] == "Close"


def test_toppings_separated_by_commas_resolve_synonyms_and_pineapple_takes_its_branch(
    pizzeria: CorpusBot,
) -> None:
    chat = pizzeria.dialog(session_id="commas")
    chat.say("I want a small pizza")

    answer = chat.say("black olives, onion and pineapple")

    values = slot(answer, "Toppings")["values"]  # type: ignore[index]
    assert [item["value"]["interpretedValue"] for item in values] == ["olives", "onions", "pineapple"]
    assert [item["value"]["originalValue"] for item in values] == ["black olives", "onion", "pineapple"]
    done = chat.say("yes")
    assert texts(done)[1:] == ["It will be ready in 20 minutes.", "Bold choice, the pineapple!"]


def test_toppings_answered_to_the_prompt_read_back_as_the_phrase(pizzeria: CorpusBot) -> None:
    """The guide's example: value holds "pepperoni and pineapple" as original and interpreted value, and a
    prompt with {toppings} reads "... your pepperoni and pineapple pizza?"."""
    chat = pizzeria.dialog(session_id="answered")
    chat.say("order a pizza")
    chat.say("medium")

    answer = chat.say("pepperoni and mushrooms")

    toppings = slot(answer, "Toppings")
    assert toppings is not None
    assert toppings["shape"] == "List"
    assert toppings["value"]["originalValue"] == "pepperoni and mushrooms"
    assert toppings["value"]["interpretedValue"] == "pepperoni and mushrooms"
    assert toppings["values"] == [scalar("pepperoni", "pepperoni"), scalar("mushrooms", "mushrooms")]
    assert texts(answer) == ["A medium pizza with pepperoni and mushrooms. Shall I place the order?"]


def test_a_single_topping_is_still_a_list_of_one(pizzeria: CorpusBot) -> None:
    chat = pizzeria.dialog(session_id="single")
    chat.say("order a pizza")
    chat.say("medium")

    answer = chat.say("pepperoni")

    toppings = slot(answer, "Toppings")
    assert toppings is not None
    assert toppings["shape"] == "List"
    assert toppings["values"] == [scalar("pepperoni", "pepperoni")]


def test_the_size_prompt_is_the_message_or_one_of_its_variations(pizzeria: CorpusBot) -> None:
    seen: set[str] = set()
    for number in range(24):
        first = pizzeria.dialog(session_id=f"variation-{number}").say("can I get a pizza please")
        assert elicits(first, "Size")
        (prompt,) = texts(first)
        seen.add(prompt)
    assert seen <= SIZE_PROMPTS
    assert len(seen) > 1  # chosen at random each time, not always the primary message
