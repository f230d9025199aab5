"""The confirmation prompt's MaxRetries counts re-prompts exactly: MaxRetries answers that are neither yes
nor no are each re-prompted, the next one goes to FallbackIntent (Lex V2 guide, "AMAZON.FallbackIntent": the
fallback intent is invoked when an intent does not recognise the input as an answer to the confirmation
prompt after the configured number of tries)."""

from __future__ import annotations

from typing import Any

import pytest

from .dialog_support import Conversation, bot, intent, say, slot, state, texts

CONFIRM = "Book {Nights} nights?"
RETRY = "Please answer yes or no: book {Nights} nights?"


def booking(max_retries: int) -> dict[str, Any]:
    return bot(
        intent(
            "BookRoom",
            ["book a room", "book {Nights} nights"],
            [slot("Nights", "How many nights?")],
            IntentConfirmationSetting={
                "PromptSpecification": {
                    "MessageGroupsList": [
                        {
                            "Message": {"PlainTextMessage": {"Value": CONFIRM}},
                        }
                    ],
                    "MaxRetries": max_retries,
                },
                "DeclinationResponse": say("Nothing booked."),
            },
            FulfillmentCodeHook={
                "Enabled": False,
                "PostFulfillmentStatusSpecification": {"SuccessResponse": say("Booked.")},
            },
        )
    )


@pytest.mark.parametrize("max_retries", [0, 1, 2, 3])
def test_each_of_max_retries_unclear_answers_is_prompted_again(max_retries: int) -> None:
    talk = Conversation(booking(max_retries))
    first = talk.say("book 3 nights")
    assert state(first)[0] == "ConfirmIntent"
    assert texts(first) == ["Book 3 nights?"]
    for attempt in range(max_retries):
        again = talk.say("the weather is lovely")
        assert state(again)[:3] == ("ConfirmIntent", None, "BookRoom"), f"re-prompt {attempt + 1}"
        assert texts(again) == ["Book 3 nights?"]


@pytest.mark.parametrize("max_retries", [0, 1, 2, 3])
def test_the_unclear_answer_after_max_retries_goes_to_the_fallback_intent(max_retries: int) -> None:
    talk = Conversation(booking(max_retries))
    talk.say("book 3 nights")
    for _ in range(max_retries):
        talk.say("the weather is lovely")
    last = talk.say("the weather is lovely")
    assert state(last)[2] == "FallbackIntent"
    assert "Book 3 nights?" not in texts(last)


def test_a_clear_answer_on_the_last_retry_still_counts() -> None:
    talk = Conversation(booking(2))
    talk.say("book 3 nights")
    talk.say("hmm")
    talk.say("hmm")
    done = talk.say("yes")
    # No active fulfillment code hook: Lex reports the intent ReadyForFulfillment, not Fulfilled.
    assert state(done) == ("Close", None, "BookRoom", "ReadyForFulfillment")
    assert "Booked." in texts(done)
