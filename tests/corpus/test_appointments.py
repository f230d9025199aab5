"""Corpus bot 4, dental appointments (bots/appointments.json): relative dates resolved against today and a
dialog code hook that refuses a day in the past by eliciting the date again.

With ``DialogCodeHook.Enabled`` Lex calls the Lambda with ``invocationSource`` DialogCodeHook on the
user's turns, after it has put the values it understood into the slots; an ``ElicitSlot`` answer makes
Lex ask that slot with the Lambda's message, a ``Delegate`` answer lets Lex choose the next step
(https://docs.aws.amazon.com/lexv2/latest/dg/lambda.html,
https://docs.aws.amazon.com/lexv2/latest/dg/lambda-response-format.html). AMAZON.Date resolves
"tomorrow" and weekday names to ISO dates after today (https://docs.aws.amazon.com/lexv2/latest/dg/built-in-slots.html).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from tests.corpus.support import (
    TODAY,
    CorpusBot,
    action_of,
    bot_path,
    days_from_today,
    delegate,
    elicit_slot,
    elicits,
    intent_of,
    interpreted,
    next_weekday,
    start_bot,
    texts,
)

PAST_DAY = "That day has already passed. Which upcoming day would you like?"


def validate(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The clinic's Lambda: a date before today is asked again; an ambiguous time is read as office
    hours (built-in-slot-time.html: "10 o'clock" comes with interpretedValue null and both resolutions);
    anything else is left to Lex."""
    slots = event["sessionState"]["intent"]["slots"]
    day = slots.get("Date")
    if day is not None and date.fromisoformat(day["value"]["interpretedValue"]) < TODAY:
        return elicit_slot(event, "Date", PAST_DAY, rejectedDate=day["value"]["interpretedValue"])
    time = slots.get("Time")
    if time is not None and time["value"].get("interpretedValue") is None:
        daytime = [value for value in time["value"]["resolvedValues"] if "08:00" <= value <= "18:00"]
        time["value"]["interpretedValue"] = daytime[0]
        return delegate(event, ambiguousTime=",".join(time["value"]["resolvedValues"]))
    return delegate(event)


@pytest.fixture
def clinic() -> Iterator[CorpusBot]:
    with start_bot(bot_path("appointments"), validate) as bot:
        yield bot


def test_a_past_date_is_refused_by_the_code_hook_and_asked_again(clinic: CorpusBot) -> None:
    chat = clinic.dialog()
    chat.say("book a cleaning")

    past = chat.say("yesterday")

    assert texts(past) == [PAST_DAY]
    assert elicits(past, "Date")
    assert intent_of(past)["slots"]["Date"] is None
    assert past["sessionState"]["sessionAttributes"]["rejectedDate"] == days_from_today(-1)
    assert clinic.hook is not None
    last = clinic.hook.events[-1]
    assert last["invocationSource"] == "DialogCodeHook"
    assert last["sessionState"]["intent"]["slots"]["Date"]["value"]["interpretedValue"] == days_from_today(-1)

    monday = chat.say("next Monday")
    assert interpreted(monday, "Date") == next_weekday(0)
    assert texts(monday) == [f"What time on {next_weekday(0)}?"]
    assert elicits(monday, "Time")

    booked = chat.say("10 am")
    assert texts(booked) == [f"Your cleaning is booked for {next_weekday(0)} at 10:00."]
    assert action_of(booked)["type"] == "Close"


def test_an_ambiguous_hour_reaches_the_hook_unresolved_and_the_hook_picks_office_hours(
    clinic: CorpusBot,
) -> None:
    chat = clinic.dialog(session_id="ambiguous")
    chat.say("schedule a filling for tomorrow")

    booked = chat.say("10 o'clock")

    assert clinic.hook is not None
    sent = clinic.hook.events[-1]["sessionState"]["intent"]["slots"]["Time"]["value"]
    assert sent["interpretedValue"] is None
    assert sorted(sent["resolvedValues"]) == ["10:00", "22:00"]
    assert booked["sessionState"]["sessionAttributes"]["ambiguousTime"] in ("10:00,22:00", "22:00,10:00")
    assert interpreted(booked, "Time") == "10:00"
    assert texts(booked) == [f"Your filling is booked for {days_from_today(1)} at 10:00."]


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        # built-in-slot-date.html: a future week is the last day of the current week (ISO weeks start
        # on Monday), a future month the last day of that month, the current month its first day.
        ("next week", lambda: days_from_today(6 - TODAY.weekday())),
        ("next month", lambda: last_day_of_next_month()),
    ],
    ids=["next-week", "next-month"],
)
def test_week_and_month_phrases_resolve_as_the_guide_says(
    clinic: CorpusBot, phrase: str, expected: Callable[[], str]
) -> None:
    chat = clinic.dialog(session_id=f"phrase-{phrase.replace(' ', '-')}")
    chat.say("book a checkup")

    answer = chat.say(phrase)

    assert interpreted(answer, "Date") == expected()
    assert elicits(answer, "Time")


def test_last_week_is_the_monday_of_last_week_and_the_hook_refuses_it(clinic: CorpusBot) -> None:
    chat = clinic.dialog(session_id="last-week")
    chat.say("book a checkup")

    refused = chat.say("last week")

    monday_last_week = days_from_today(-TODAY.weekday() - 7)
    assert refused["sessionState"]["sessionAttributes"]["rejectedDate"] == monday_last_week
    assert texts(refused) == [PAST_DAY]


def last_day_of_next_month() -> str:
    first_of_next = (TODAY.replace(day=1) + timedelta(days=32)).replace(day=1)
    return ((first_of_next + timedelta(days=32)).replace(day=1) - timedelta(days=1)).isoformat()


def test_tomorrow_passes_the_hook_and_lex_elicits_the_next_slot(clinic: CorpusBot) -> None:
    chat = clinic.dialog(session_id="tomorrow")

    first = chat.say("schedule a checkup for tomorrow")

    assert interpreted(first, "AppointmentType") == "checkup"
    assert interpreted(first, "Date") == days_from_today(1)
    assert texts(first) == [f"What time on {days_from_today(1)}?"]
    assert clinic.hook is not None
    assert clinic.hook.sources()
    assert set(clinic.hook.sources()) == {"DialogCodeHook"}


def test_the_hook_sees_each_turn_of_the_dialog(clinic: CorpusBot) -> None:
    chat = clinic.dialog(session_id="turns")
    chat.say("make an appointment")
    chat.say("filling")
    assert clinic.hook is not None
    calls = len(clinic.hook.events)
    assert calls >= 2  # the hook runs on every user turn of an intent with DialogCodeHook enabled
    transcripts = [event["inputTranscript"] for event in clinic.hook.events]
    assert transcripts[-1] == "filling"
