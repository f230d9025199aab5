"""Corpus bot 5, card services (bots/pin_entry.json): a four-digit PIN slot whose type extends
AMAZON.AlphaNumeric with the regular expression ``[0-9]{4}``.

A value that does not match the slot type's RegexFilter does not fill the slot, so Lex prompts again
(https://docs.aws.amazon.com/lexv2/latest/dg/built-in-slot-alphanumeric.html, RegexFilter in
https://docs.aws.amazon.com/lexv2/latest/APIReference/API_SlotValueRegexFilter.html). With the prompt's
MessageSelectionStrategy ``Ordered`` the message and its variations are used in order over the retries
(https://docs.aws.amazon.com/lexv2/latest/APIReference/API_PromptSpecification.html: "how a message is
selected from a message group among retries"). After MaxRetries (2) retries the intent is abandoned for
AMAZON.FallbackIntent, whose closing response is played.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.corpus.support import (
    CorpusBot,
    action_of,
    bot_path,
    elicits,
    intent_of,
    slot,
    start_bot,
    texts,
    value,
)

INITIAL = "Please type your four-digit PIN."
RETRY_1 = "That did not look like a PIN. Type exactly four digits, for example 0000."
RETRY_2 = "Last try: four digits, nothing else."


@pytest.fixture
def bank() -> Iterator[CorpusBot]:
    with start_bot(bot_path("pin_entry")) as bot:
        yield bot


def test_a_four_digit_pin_fills_the_slot_with_the_original_value(bank: CorpusBot) -> None:
    chat = bank.dialog()
    assert texts(chat.say("my card is blocked")) == [INITIAL]

    done = chat.say("0427")

    assert value(done, "Pin") == {
        "originalValue": "0427",
        "interpretedValue": "0427",
        "resolvedValues": ["0427"],
    }
    assert texts(done) == ["Thanks, your card is unblocked."]
    assert action_of(done)["type"] == "Close"


def test_wrong_formats_are_prompted_again_with_the_next_retry_message(bank: CorpusBot) -> None:
    chat = bank.dialog(session_id="retries")
    chat.say("unblock my card")

    too_short = chat.say("042")
    assert elicits(too_short, "Pin")
    assert slot(too_short, "Pin") is None
    assert texts(too_short) == [RETRY_1]

    letters = chat.say("12ab")
    assert elicits(letters, "Pin")
    assert texts(letters) == [RETRY_2]

    done = chat.say("9911")
    assert slot(done, "Pin")["value"]["interpretedValue"] == "9911"  # type: ignore[index]


def test_after_the_last_retry_the_fallback_intent_takes_over(bank: CorpusBot) -> None:
    chat = bank.dialog(session_id="give-up")
    chat.say("reactivate my card")
    chat.say("12345")
    chat.say("pin")

    gave_up = chat.say("1 2")

    assert intent_of(gave_up)["name"] == "FallbackIntent"
    assert action_of(gave_up)["type"] == "Close"
    assert texts(gave_up) == [
        "Sorry, I could not verify you. Please call the number on the back of your card."
    ]
