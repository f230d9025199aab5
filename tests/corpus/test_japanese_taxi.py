"""Corpus bot 13 (extra), a Japanese taxi booking bot (bots/japanese_taxi.json, locale ja_JP).

AMAZON.Date, AMAZON.Time and AMAZON.Number resolve Japanese to the same formats as English
("明日" -> tomorrow's ISO date, "午後3時" -> "15:00", "3" -> "3";
https://docs.aws.amazon.com/lexv2/latest/dg/built-in-slots.html lists them for all locales), and the
confirmation understands はい and いいえ (https://docs.aws.amazon.com/lexv2/latest/dg/how-languages.html).
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
    start_bot,
    texts,
)


@pytest.fixture
def taxi() -> Iterator[CorpusBot]:
    with start_bot(bot_path("japanese_taxi")) as bot:
        yield bot


def test_a_booking_in_japanese_resolves_date_time_and_number(taxi: CorpusBot) -> None:
    chat = taxi.dialog("ja_JP")

    first = chat.say("タクシーを予約したい")
    assert intent_of(first)["name"] == "BookTaxi"
    assert texts(first) == ["何日に迎えに行きましょうか？"]

    day = chat.say("明日")
    assert interpreted(day, "PickupDate") == days_from_today(1)
    assert elicits(day, "PickupTime")

    time = chat.say("午後3時")
    assert interpreted(time, "PickupTime") == "15:00"
    assert texts(time) == ["何名様ですか？"]

    people = chat.say("3")
    assert interpreted(people, "Passengers") == "3"

    car = chat.say("ワゴン")
    assert interpreted(car, "CarClass") == "ワゴン車"
    assert action_of(car)["type"] == "ConfirmIntent"
    assert texts(car) == [f"{days_from_today(1)}の15:00にワゴン車を3名様で予約します。よろしいですか？"]

    done = chat.say("はい")
    assert texts(done) == ["ご予約ありがとうございます。"]
    assert intent_of(done)["confirmationState"] == "Confirmed"


def test_iie_declines_the_booking(taxi: CorpusBot) -> None:
    chat = taxi.dialog("ja_JP", session_id="iie")
    chat.say("配車をお願いします")
    chat.say("明日")
    chat.say("午前9時")
    chat.say("2")
    chat.say("普通車")

    declined = chat.say("いいえ")

    assert texts(declined) == ["かしこまりました。予約はしていません。"]
    assert intent_of(declined)["confirmationState"] == "Denied"
    assert intent_of(declined)["state"] == "Failed"
