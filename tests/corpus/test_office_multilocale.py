"""Corpus bot 6, meeting rooms for offices in three countries (bots/office_multilocale.json): the same
intents in en_US, ko_KR and es_ES; each locale understands yes and no in its own language at the
confirmation prompt, including Spanish "sí" (languages: https://docs.aws.amazon.com/lexv2/latest/dg/how-languages.html).

Each locale is a separate language model: a session in one locale does not see another locale's
conversation (the locale id is part of the session's address in RecognizeText).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.corpus.support import CorpusBot, action_of, bot_path, intent_of, interpreted, start_bot, texts

LOCALES = {
    "en_US": {
        "ask": "book a meeting room",
        "room_prompt": "Which room: Harbor or Garden?",
        "room_said": "harbour",
        "room": "Harbor",
        "attendees_prompt": "How many people will attend?",
        "confirm": "Book the Harbor room for 6 people?",
        "yes": "yes",
        "no": "no",
        "booked": "The Harbor room is yours.",
        "declined": "Okay, the room is not booked.",
    },
    "ko_KR": {
        "ask": "회의실 예약해 줘",
        "room_prompt": "어느 회의실로 할까요? 항구 또는 정원?",
        "room_said": "항구 회의실",
        "room": "항구",
        "attendees_prompt": "몇 명이 참석하나요?",
        "confirm": "항구 회의실을 6명으로 예약할까요?",
        "yes": "네",
        "no": "아니요",
        "booked": "항구 회의실이 예약되었습니다.",
        "declined": "알겠습니다. 예약하지 않았습니다.",
    },
    "es_ES": {
        "ask": "quiero reservar una sala",
        "room_prompt": "¿Qué sala: Puerto o Jardín?",
        "room_said": "puerto",
        "room": "Puerto",
        "attendees_prompt": "¿Cuántas personas asistirán?",
        "confirm": "¿Reservo la sala Puerto para 6 personas?",
        "yes": "sí",
        "no": "no",
        "booked": "La sala Puerto es suya.",
        "declined": "De acuerdo, no he reservado la sala.",
    },
}


@pytest.fixture(scope="module")
def offices() -> Iterator[CorpusBot]:
    with start_bot(bot_path("office_multilocale")) as bot:
        yield bot


@pytest.mark.parametrize("locale", sorted(LOCALES))
def test_booking_confirmed_with_yes_in_the_locale_language(offices: CorpusBot, locale: str) -> None:
    words = LOCALES[locale]
    chat = offices.dialog(locale, session_id=f"yes-{locale}")

    assert texts(chat.say(words["ask"])) == [words["room_prompt"]]
    room = chat.say(words["room_said"])
    assert interpreted(room, "Room") == words["room"]
    assert texts(room) == [words["attendees_prompt"]]
    count = chat.say("6")
    assert interpreted(count, "Attendees") == "6"
    assert texts(count) == [words["confirm"]]
    assert action_of(count)["type"] == "ConfirmIntent"

    done = chat.say(words["yes"])

    assert texts(done) == [words["booked"]]
    assert intent_of(done)["confirmationState"] == "Confirmed"
    assert action_of(done)["type"] == "Close"


@pytest.mark.parametrize("locale", sorted(LOCALES))
def test_booking_declined_with_no_in_the_locale_language(offices: CorpusBot, locale: str) -> None:
    words = LOCALES[locale]
    chat = offices.dialog(locale, session_id=f"no-{locale}")
    chat.say(words["ask"])
    chat.say(words["room_said"])
    chat.say("6")

    declined = chat.say(words["no"])

    assert texts(declined) == [words["declined"]]
    assert intent_of(declined)["confirmationState"] == "Denied"
    assert intent_of(declined)["state"] == "Failed"


def test_spanish_yes_without_the_accent_is_also_yes(offices: CorpusBot) -> None:
    chat = offices.dialog("es_ES", session_id="si-sin-tilde")
    chat.say("necesito una sala")
    chat.say("jardin")
    chat.say("4")

    done = chat.say("si, por favor")

    assert intent_of(done)["confirmationState"] == "Confirmed"
    assert texts(done) == ["La sala Jardín es suya."]


def test_each_locale_keeps_its_own_session(offices: CorpusBot) -> None:
    english = offices.dialog("en_US", session_id="shared-id")
    korean = offices.dialog("ko_KR", session_id="shared-id")
    english.say("reserve a room")

    greeting = korean.say("안녕하세요")

    assert intent_of(greeting)["name"] == "Greeting"
    assert texts(greeting) == ["안녕하세요, 사무실 봇입니다."]
    assert texts(english.say("Garden")) == ["How many people will attend?"]
