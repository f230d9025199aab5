"""Corpus bot 10, IT support triage (bots/support_desk.json): a prompt made of a plain-text group and an
ImageResponseCard group with buttons, and a closing response of an SSML message and a CustomPayload.

Message formats (https://docs.aws.amazon.com/lexv2/latest/dg/howitworks-manage-prompts.html and the
runtime Message shape, https://docs.aws.amazon.com/lexv2/latest/APIReference/API_runtime_Message.html): each
message has a ``contentType`` (PlainText, SSML, CustomPayload, ImageResponseCard); a card comes as
``imageResponseCard`` with title, subtitle, imageUrl and buttons (text, value); a button's value is what
the client sends back as the user's text. Slot references are substituted in SSML and custom payloads too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.corpus.support import CorpusBot, action_of, bot_path, elicits, interpreted, start_bot


@pytest.fixture
def desk() -> Iterator[CorpusBot]:
    with start_bot(bot_path("support_desk")) as bot:
        yield bot


def test_the_device_prompt_is_a_text_and_a_response_card_with_buttons(desk: CorpusBot) -> None:
    chat = desk.dialog()

    first = chat.say("I need help")

    assert elicits(first, "Device")
    text, card = first["messages"]
    assert text == {"contentType": "PlainText", "content": "Let's get this sorted."}
    assert card["contentType"] == "ImageResponseCard"
    assert card["imageResponseCard"] == {
        "title": "Which device needs help?",
        "subtitle": "Tap one",
        "imageUrl": "https://support.example.com/images/devices.png",
        "buttons": [
            {"text": "Router", "value": "router"},
            {"text": "Laptop", "value": "laptop"},
            {"text": "Phone", "value": "phone"},
        ],
    }


def test_a_button_value_fills_the_slot_and_the_closing_is_ssml_and_a_custom_payload(desk: CorpusBot) -> None:
    chat = desk.dialog(session_id="button")
    chat.say("open a support ticket")

    tapped = chat.say("laptop")
    assert interpreted(tapped, "Device") == "laptop"
    assert [m["content"] for m in tapped["messages"]] == ["How urgent is it: low, normal or critical?"]

    done = chat.say("asap")

    assert interpreted(done, "Urgency") == "critical"
    assert action_of(done)["type"] == "Close"
    ssml, payload = done["messages"]
    assert ssml == {
        "contentType": "SSML",
        "content": '<speak>Ticket opened for your laptop. <break time="300ms"/>'
        " A technician will contact you.</speak>",
    }
    assert payload["contentType"] == "CustomPayload"
    assert json.loads(payload["content"]) == {"action": "show_ticket", "queue": "critical"}


def test_a_device_named_in_the_first_utterance_skips_the_card(desk: CorpusBot) -> None:
    chat = desk.dialog(session_id="named")

    first = chat.say("my wifi is not working")

    assert interpreted(first, "Device") == "router"
    assert elicits(first, "Urgency")
    assert [m["contentType"] for m in first["messages"]] == ["PlainText"]
