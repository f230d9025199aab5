"""Corpus bot 12, a contact-details update (bots/contact_details.json): AMAZON.FirstName, AMAZON.LastName,
AMAZON.EmailAddress, AMAZON.PhoneNumber and AMAZON.Country, and an elicitation code hook on the email slot.

The elicitation code hook is "called when Amazon Lex doesn't capture a slot value"
(https://docs.aws.amazon.com/lexv2/latest/APIReference/API_SlotCaptureSetting.html), labelled with its
InvocationLabel; an ElicitSlot answer with messages replaces the retry prompt
(https://docs.aws.amazon.com/lexv2/latest/dg/lambda-response-format.html). With ``DialogCodeHook.Enabled`` the
Lambda is also called for each user input (AWS::Lex::Bot Intent, DialogCodeHook); this one lets Lex go on.
Value formats (https://docs.aws.amazon.com/lexv2/latest/dg/built-in-slots.html): an email address as typed; a
phone number as its digits without punctuation, keeping a leading plus ("+1 (509) 555-1212" -> "+15095551212",
a national "(509) 555-1212" -> "5095551212", as the AMAZON.PhoneNumber table shows).
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
    slot,
    start_bot,
    texts,
)


def contact_hook(event: dict[str, Any], context: Any) -> dict[str, Any]:
    if event.get("invocationLabel") == "email_retry":
        first = event["sessionState"]["intent"]["slots"]["FirstName"]["value"]["interpretedValue"]
        return elicit_slot(
            event, "Email", f"Sorry {first}, that was not an email address. Type it like name@example.com."
        )
    return delegate(event)


@pytest.fixture
def contacts() -> Iterator[CorpusBot]:
    with start_bot(bot_path("contact_details"), contact_hook) as bot:
        yield bot


def test_names_email_phone_and_country_are_captured_in_lex_formats(contacts: CorpusBot) -> None:
    chat = contacts.dialog()
    assert texts(chat.say("update my contact details")) == ["What is your first name?"]
    first = chat.say("Maria")
    assert interpreted(first, "FirstName") == "Maria"
    assert texts(first) == ["And your last name?"]
    last = chat.say("Okafor")
    assert interpreted(last, "LastName") == "Okafor"
    assert texts(last) == ["What is your email address?"]
    assert elicits(last, "Email")

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
    assert contacts.hook is not None
    assert "email_retry" not in contacts.hook.labels()  # every value was captured at the first attempt


def test_an_email_not_understood_calls_the_elicitation_hook_which_words_the_retry(
    contacts: CorpusBot,
) -> None:
    chat = contacts.dialog(session_id="retry")
    chat.say("change my email address")
    chat.say("Ana")
    chat.say("Silva")

    retry = chat.say("it is ana at the usual place")

    assert texts(retry) == ["Sorry Ana, that was not an email address. Type it like name@example.com."]
    assert elicits(retry, "Email")
    assert slot(retry, "Email") is None
    assert contacts.hook is not None
    (labelled,) = [event for event in contacts.hook.events if event.get("invocationLabel") == "email_retry"]
    assert labelled["invocationSource"] == "DialogCodeHook"
    assert labelled["inputTranscript"] == "it is ana at the usual place"

    fixed = chat.say("ana.silva@example.org")
    assert interpreted(fixed, "Email") == "ana.silva@example.org"
    assert elicits(fixed, "Phone")


def test_both_names_in_the_first_utterance_fill_both_slots(contacts: CorpusBot) -> None:
    chat = contacts.dialog(session_id="named")

    first = chat.say("my name is Kenji Watanabe")

    assert interpreted(first, "FirstName") == "Kenji"
    assert interpreted(first, "LastName") == "Watanabe"
    assert texts(first) == ["What is your email address?"]


def test_a_national_phone_number_keeps_its_ten_digits(contacts: CorpusBot) -> None:
    chat = contacts.dialog(session_id="national")
    chat.say("change my email address")
    chat.say("Ana")
    chat.say("Silva")
    chat.say("ana.silva@example.org")

    phone = chat.say("(509) 555-0199")

    assert interpreted(phone, "Phone") == "5095550199"
