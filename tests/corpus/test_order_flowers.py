"""Corpus bot 1, a flower shop (bots/order_flowers.json): a custom slot type resolved to its value,
AMAZON.Date and AMAZON.Time, a confirmation prompt, and a fulfillment Lambda that closes the intent.

Guide pages: built-in slot types (https://docs.aws.amazon.com/lexv2/latest/dg/built-in-slots.html),
fulfillment (https://docs.aws.amazon.com/lexv2/latest/dg/intent-fulfillment.html), the Lambda input and
response formats (https://docs.aws.amazon.com/lexv2/latest/dg/lambda-input-format.html,
https://docs.aws.amazon.com/lexv2/latest/dg/lambda-response-format.html).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.corpus.support import (
    CorpusBot,
    action_of,
    attributes,
    bot_path,
    close,
    days_from_today,
    elicits,
    intent_of,
    slot,
    start_bot,
    texts,
    value,
)


def fulfil(event: dict[str, Any], context: Any) -> dict[str, Any]:
    slots = event["sessionState"]["intent"]["slots"]
    kind = slots["FlowerKind"]["value"]["interpretedValue"]
    return close(event, f"Order placed: {kind}. See you soon!", orderId="FL-1001")


@pytest.fixture
def shop() -> Iterator[CorpusBot]:
    with start_bot(bot_path("order_flowers"), fulfil) as bot:
        yield bot


def test_slots_are_elicited_in_priority_order_then_confirmed_then_the_fulfillment_hook_closes(
    shop: CorpusBot,
) -> None:
    chat = shop.dialog()

    first = chat.say("I would like to order flowers")
    assert texts(first) == ["Which flowers should go in the bouquet: roses, tulips, lilies or sunflowers?"]
    assert elicits(first, "FlowerKind")
    assert intent_of(first)["name"] == "OrderFlowers"
    assert intent_of(first)["state"] == "InProgress"

    kind = chat.say("tulip")
    # TOP_RESOLUTION: a synonym resolves to its slot type value; originalValue keeps what the user typed.
    assert value(kind, "FlowerKind") == {
        "originalValue": "tulip",
        "interpretedValue": "tulips",
        "resolvedValues": ["tulips"],
    }
    assert texts(kind) == ["On which day will you collect the tulips?"]
    assert elicits(kind, "PickupDate")

    day = chat.say("tomorrow")
    # AMAZON.Date resolves a relative day against today, in ISO-8601 (built-in-slots.html, AMAZON.Date)
    assert slot(day, "PickupDate")["value"]["interpretedValue"] == days_from_today(1)  # type: ignore[index]
    assert texts(day) == [f"At what time on {days_from_today(1)}?"]

    time = chat.say("3 pm")
    assert slot(time, "PickupTime")["value"]["interpretedValue"] == "15:00"  # type: ignore[index]
    assert action_of(time)["type"] == "ConfirmIntent"
    assert texts(time) == [
        f"So that is tulips, ready on {days_from_today(1)} at 15:00. Shall I place the order?"
    ]
    assert intent_of(time)["confirmationState"] == "None"
    assert shop.hook is not None
    assert shop.hook.events == []

    done = chat.say("yes")
    assert texts(done) == ["Order placed: tulips. See you soon!"]
    assert action_of(done)["type"] == "Close"
    assert intent_of(done)["state"] == "Fulfilled"
    assert intent_of(done)["confirmationState"] == "Confirmed"
    assert attributes(done) == {"orderId": "FL-1001"}
    (event,) = shop.hook.events
    assert event["invocationSource"] == "FulfillmentCodeHook"
    assert event["sessionState"]["intent"]["confirmationState"] == "Confirmed"
    assert event["sessionState"]["intent"]["state"] == "ReadyForFulfillment"
    assert event["sessionState"]["intent"]["slots"]["PickupTime"]["value"]["interpretedValue"] == "15:00"


def test_slots_in_the_first_utterance_are_not_asked_again_and_noon_is_twelve(shop: CorpusBot) -> None:
    chat = shop.dialog(session_id="one-shot")

    first = chat.say("I need roses for tomorrow")
    assert slot(first, "FlowerKind")["value"]["interpretedValue"] == "roses"  # type: ignore[index]
    assert slot(first, "PickupDate")["value"]["interpretedValue"] == days_from_today(1)  # type: ignore[index]
    assert elicits(first, "PickupTime")

    noon = chat.say("noon")
    assert slot(noon, "PickupTime")["value"]["interpretedValue"] == "12:00"  # type: ignore[index]
    assert action_of(noon)["type"] == "ConfirmIntent"


def test_a_part_of_the_day_resolves_to_its_time_range_code(shop: CorpusBot) -> None:
    """built-in-slot-time.html: "morning" resolves to the range MO (AF, EV, NI for the others)."""
    chat = shop.dialog(session_id="morning")
    chat.say("order some lilies")
    chat.say("tomorrow")

    morning = chat.say("morning")

    assert value(morning, "PickupTime") == {
        "originalValue": "morning",
        "interpretedValue": "MO",
        "resolvedValues": ["MO"],
    }


def test_declining_the_confirmation_sends_the_declination_and_fails_the_intent_without_the_hook(
    shop: CorpusBot,
) -> None:
    chat = shop.dialog(session_id="decline")
    chat.say("get me a bunch of sunflowers")
    chat.say("tomorrow")
    chat.say("10 am")

    declined = chat.say("no")

    assert texts(declined) == ["No problem, I have not ordered anything."]
    assert action_of(declined)["type"] == "Close"
    assert intent_of(declined)["confirmationState"] == "Denied"
    assert intent_of(declined)["state"] == "Failed"
    assert shop.hook is not None
    assert shop.hook.events == []


def test_a_flower_the_shop_does_not_sell_is_asked_again(shop: CorpusBot) -> None:
    chat = shop.dialog(session_id="cactus")
    chat.say("can I get some flowers")

    again = chat.say("cactus")

    assert elicits(again, "FlowerKind")
    assert slot(again, "FlowerKind") is None
    assert texts(again) == ["Which flowers should go in the bouquet: roses, tulips, lilies or sunflowers?"]
