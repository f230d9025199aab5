"""Corpus bot 8, table reservations in Spanish (bots/spanish_restaurant.json, locale es_US).

Built-in slot types resolve Spanish words to the same formats as English: AMAZON.Number "cuatro" -> "4",
AMAZON.Date "mañana" -> tomorrow's ISO date, AMAZON.Time "a las ocho de la noche" -> "20:00"
(https://docs.aws.amazon.com/lexv2/latest/dg/built-in-slots.html: these types support all locales),
and the confirmation accepts "sí" and "no".
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
    next_weekday,
    start_bot,
    texts,
)


@pytest.fixture
def restaurante() -> Iterator[CorpusBot]:
    with start_bot(bot_path("spanish_restaurant")) as bot:
        yield bot


def test_a_reservation_in_spanish_resolves_number_date_and_time(restaurante: CorpusBot) -> None:
    chat = restaurante.dialog("es_US")

    first = chat.say("quiero reservar una mesa")
    assert intent_of(first)["name"] == "ReservarMesa"
    assert texts(first) == ["¿Para cuántas personas?"]

    people = chat.say("cuatro")
    assert interpreted(people, "Personas") == "4"
    assert texts(people) == ["¿Para qué día?"]

    day = chat.say("mañana")
    assert interpreted(day, "Fecha") == days_from_today(1)
    assert elicits(day, "Hora")

    hour = chat.say("a las ocho de la noche")
    assert interpreted(hour, "Hora") == "20:00"
    assert texts(hour) == ["¿Prefiere terraza o salón?"]

    zone = chat.say("afuera")
    assert interpreted(zone, "Zona") == "terraza"
    assert texts(zone) == [
        f"Mesa en terraza para 4 el {days_from_today(1)} a las 20:00. ¿Confirmo la reserva?"
    ]
    assert action_of(zone)["type"] == "ConfirmIntent"

    done = chat.say("sí")
    assert texts(done) == ["¡Listo! Su mesa está reservada."]
    assert intent_of(done)["confirmationState"] == "Confirmed"


def test_slots_in_the_first_sentence_and_a_spanish_no(restaurante: CorpusBot) -> None:
    chat = restaurante.dialog("es_US", session_id="dos")

    first = chat.say("quiero una mesa para 2 el sábado")
    assert interpreted(first, "Personas") == "2"
    assert interpreted(first, "Fecha") == next_weekday(5)  # the coming Saturday
    assert elicits(first, "Hora")
    chat.say("a las 9 de la noche")
    chat.say("salón")

    declined = chat.say("no")

    assert texts(declined) == ["Entendido, no he hecho la reserva."]
    assert intent_of(declined)["state"] == "Failed"


def test_an_unrelated_question_goes_to_the_fallback_intent(restaurante: CorpusBot) -> None:
    chat = restaurante.dialog("es_US", session_id="otro")

    other = chat.say("¿cuál es la capital de Australia?")

    assert intent_of(other)["name"] == "FallbackIntent"
    assert texts(other) == ["Lo siento, solo puedo reservar mesas."]
