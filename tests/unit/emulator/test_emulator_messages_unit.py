"""Messages: {Slot} templating and one message per message group."""

from __future__ import annotations

import random

from lex_emulator.definition import CardButton, ImageCard, MessageGroup, MessageTemplate, ResponseSpec
from lex_emulator.messages import fill_slots, render_response, slot_references


def plain(text: str) -> MessageTemplate:
    return MessageTemplate("PlainText", content=text)


def test_slot_references_are_filled_with_interpreted_values() -> None:
    assert fill_slots("당신의 이름은 {Name}입니까?", {"Name": "민수"}) == "당신의 이름은 민수입니까?"
    assert fill_slots("{First} {Last}", {"First": "Ann", "Last": "Lee"}) == "Ann Lee"


def test_an_empty_slot_becomes_an_empty_string() -> None:
    assert fill_slots("Nice to meet you, {Name}.", {"Name": None}) == "Nice to meet you, ."


def test_braces_that_are_not_slots_of_the_intent_stay() -> None:
    assert fill_slots('{"json": true} {Other} {Name}', {"Name": "Ann"}) == '{"json": true} {Other} Ann'


def test_slot_references_lists_the_names_in_order() -> None:
    assert slot_references("Is {Name} {Age} years old? {not a slot}") == ["Name", "Age"]


def test_each_message_group_gives_one_message() -> None:
    spec = ResponseSpec((MessageGroup(plain("Hello {Name}.")), MessageGroup(plain("Bye."))))

    assert render_response(spec, {"Name": "Ann"}, random.Random(1)) == [
        {"contentType": "PlainText", "content": "Hello Ann."},
        {"contentType": "PlainText", "content": "Bye."},
    ]


def test_variations_are_picked_among_the_group_and_ordered_takes_the_first() -> None:
    group = MessageGroup(plain("A"), (plain("B"), plain("C")))
    spec = ResponseSpec((group,))
    rng = random.Random(7)

    picked = {render_response(spec, {}, rng)[0]["content"] for _ in range(60)}
    ordered = {render_response(spec, {}, rng, ordered=True)[0]["content"] for _ in range(10)}

    assert picked == {"A", "B", "C"}
    assert ordered == {"A"}


def test_no_response_gives_no_messages() -> None:
    assert render_response(None, {}, random.Random()) == []


def test_other_content_types_and_cards_keep_their_wire_shape() -> None:
    card = ImageCard("Hi {Name}", "pick one", "https://example.com/i.png", (CardButton("Yes", "yes"),))
    spec = ResponseSpec(
        (
            MessageGroup(MessageTemplate("SSML", content="<speak>{Name}</speak>")),
            MessageGroup(MessageTemplate("CustomPayload", content='{"name": "{Name}"}')),
            MessageGroup(MessageTemplate("ImageResponseCard", card=card)),
        )
    )

    assert render_response(spec, {"Name": "Ann"}, random.Random()) == [
        {"contentType": "SSML", "content": "<speak>Ann</speak>"},
        {"contentType": "CustomPayload", "content": '{"name": "Ann"}'},
        {
            "contentType": "ImageResponseCard",
            "imageResponseCard": {
                "title": "Hi Ann",
                "subtitle": "pick one",
                "imageUrl": "https://example.com/i.png",
                "buttons": [{"text": "Yes", "value": "yes"}],
            },
        },
    ]
