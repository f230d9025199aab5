"""Corpus bot 12, a contact-details update (bots/contact_details.json): AMAZON.FirstName, AMAZON.LastName,
AMAZON.EmailAddress, AMAZON.PhoneNumber and AMAZON.Country, and an elicitation code hook on the email slot.

The elicitation code hook runs before Lex elicits the slot, labelled with its InvocationLabel; a response
of ElicitSlot with messages replaces the slot's prompt
(https://docs.aws.amazon.com/lexv2/latest/dg/paths-code-hook.html, ElicitationCodeHookInvocationSetting in
https://docs.aws.amazon.com/lexv2/latest/APIReference/API_ElicitationCodeHookInvocationSetting.html).
Value formats (https://docs.aws.amazon.com/lexv2/latest/dg/built-in-slots.html): an email address as typed,
a phone number as its digits without punctuation ("+1 (509) 555-1212" -> "+15095551212").
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.corpus.support import (
    CorpusBot,
    action_of,
    bot_path,
    delegate,
    elicit_slot,
    elicits,
    interpreted,
    start_bot,
    texts,
)


def contact_hook(event: dict[str, Any], context: Any) -> dict[str, Any]:
    if event.get("invocationLabel") == "email_prompt":
        first = event["sessionState"]["intent"]["slots"]["FirstName"]["value"]["interpretedValue"]
        return elicit_slot(event, "Email", f"Thanks {first}. Which email address should we use?")
    return delegate(event)


@pytest.fixture
def contacts() -> Iterator[CorpusBot]:
    with start_bot(bot_path("contact_details"), contact_hook) as bot:
        yield bot


def test_the_elicitation_hook_personalises_the_email_prompt_and_values_are_normalised(
    contacts: CorpusBot,
) -> None:
    chat = contacts.dialog()
    assert texts(chat.say("update my contact details")) == ["What is your first name?"]
    first = chat.say("Maria")
    assert interpreted(first, "FirstName") == "Maria"
    assert texts(first) == ["And your last name?"]

    last = chat.say("Okafor")

    assert interpreted(last, "LastName") == "Okafor"
    assert texts(last) == ["Thanks Maria. Which email address should we use?"]
    assert elicits(last, "Email")
    assert contacts.hook is not None
    labelled = [event for event in contacts.hook.events if event.get("invocationLabel") == "email_prompt"]
    assert len(labelled) == 1
    assert labelled[0]["invocationSource"] == "DialogCodeHook"

    email = chat.say("maria.okafor@example.com")
    assert interpreted(email, "Email") == "maria.okafor@example.com"
    assert texts(email) == ["What phone number can we reach you on?"]

    phone = chat.say("+1 (509) 555-0142")
    assert interpreted(phone, "Phone") == "+15095550142"
    assert texts(phone) == ["Which country do you live in?"]

    country = chat.say("Canada")
    assert interpreted(country, "Country") == "Canada"
    assert texts(country) == [
        "Thanks Maria, we will write to maria.okafor@example.com and call +15095550142."
    ]
    assert action_of(country)["type"] == "Close"


def test_names_in_the_first_utterance_go_straight_to_the_personalised_email_prompt(
    contacts: CorpusBot,
) -> None:
    chat = contacts.dialog(session_id="named")

    first = chat.say("my name is Kenji Watanabe")

    assert interpreted(first, "FirstName") == "Kenji"
    assert interpreted(first, "LastName") == "Watanabe"
    assert texts(first) == ["Thanks Kenji. Which email address should we use?"]


def test_a_national_phone_number_keeps_its_ten_digits(contacts: CorpusBot) -> None:
    chat = contacts.dialog(session_id="national")
    chat.say("change my email address")
    chat.say("Ana")
    chat.say("Silva")
    chat.say("ana.silva@example.org")

    phone = chat.say("(509) 555-0199")

    assert interpreted(phone, "Phone") == "5095550199"
