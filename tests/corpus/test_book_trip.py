"""Corpus bot 2, a trip planner (bots/book_trip.json): BookHotel and BookCar with AMAZON.City, AMAZON.Date,
AMAZON.Duration and AMAZON.Number, and a user who changes their mind mid-dialog.

Lex V2 re-runs intent recognition on an utterance that does not fill the slot being elicited; when it
matches another intent, the conversation switches to that intent (the issue's "switching to another
intent when the user changes the subject mid-dialog"); the abandoned intent's slots are not carried over.
Value formats: https://docs.aws.amazon.com/lexv2/latest/dg/built-in-slots.html (AMAZON.Duration
resolves to ISO-8601 durations such as P3D).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.corpus.support import (
    CorpusBot,
    action_of,
    bot_path,
    days_from_today,
    elicits,
    intent_of,
    interpreted,
    next_month_day,
    start_bot,
    texts,
)


@pytest.fixture
def planner() -> Iterator[CorpusBot]:
    with start_bot(bot_path("book_trip")) as bot:
        yield bot


def test_a_hotel_booking_resolves_city_date_and_duration(planner: CorpusBot) -> None:
    chat = planner.dialog()

    first = chat.say("book a hotel in Chicago")
    assert intent_of(first)["name"] == "BookHotel"
    assert interpreted(first, "City") == "Chicago"
    assert texts(first) == ["What day do you check in?"]

    checkin = chat.say("April 2")
    assert interpreted(checkin, "CheckInDate") == next_month_day(4, 2)
    assert elicits(checkin, "StayLength")

    stay = chat.say("three days")
    assert interpreted(stay, "StayLength") == "P3D"
    assert texts(stay) == ["Would you like a single, double or suite?"]

    room = chat.say("two beds")
    assert interpreted(room, "RoomKind") == "double"
    assert action_of(room)["type"] == "ConfirmIntent"
    assert texts(room) == [f"A double in Chicago from {next_month_day(4, 2)} for P3D. Book it?"]

    done = chat.say("yes")
    assert texts(done) == ["Your room in Chicago is booked."]
    assert action_of(done)["type"] == "Close"
    # no fulfillment code hook: the application fulfills it (intent-fulfillment.html)
    assert intent_of(done)["state"] == "ReadyForFulfillment"


def test_changing_the_subject_mid_dialog_switches_to_the_other_intent(planner: CorpusBot) -> None:
    chat = planner.dialog(session_id="switch")
    chat.say("I need a hotel room")
    asked = chat.say("Seattle")
    assert elicits(asked, "CheckInDate")

    switched = chat.say("actually I want to rent a car")

    assert intent_of(switched)["name"] == "BookCar"
    assert intent_of(switched)["state"] == "InProgress"
    assert elicits(switched, "PickUpCity")
    assert texts(switched) == ["In which city do you pick up the car?"]
    assert all(value is None for value in intent_of(switched)["slots"].values())

    city = chat.say("Denver")
    assert intent_of(city)["name"] == "BookCar"
    assert interpreted(city, "PickUpCity") == "Denver"
    pickup = chat.say("tomorrow")
    assert interpreted(pickup, "PickUpDate") == days_from_today(1)
    back = chat.say("the day after tomorrow")
    assert interpreted(back, "ReturnDate") == days_from_today(2)
    age = chat.say("thirty four")
    assert interpreted(age, "DriverAge") == "34"
    assert texts(age) == [
        f"A car in Denver from {days_from_today(1)} to {days_from_today(2)} for a driver aged 34. Book it?"
    ]
    assert chat.say("yes please")["sessionState"]["dialogAction"]["type"] == "Close"


def test_a_car_booking_can_be_declined(planner: CorpusBot) -> None:
    chat = planner.dialog(session_id="decline")
    chat.say("I need a car in Boston")
    chat.say("today")
    chat.say("tomorrow")
    confirm = chat.say("52")
    assert action_of(confirm)["type"] == "ConfirmIntent"
    assert interpreted(confirm, "PickUpDate") == days_from_today(0)

    declined = chat.say("no")

    assert texts(declined) == ["Okay, no car then."]
    assert intent_of(declined)["state"] == "Failed"
    assert intent_of(declined)["confirmationState"] == "Denied"
