"""Corpus bot 3, banking with contexts (bots/banking.json).

CheckBalance has the output context ``balance_checked`` (90 seconds, 2 turns); FollowupTransactions has it
as its input context and takes its AccountType slot by default from ``#balance_checked.AccountType``.

Per https://docs.aws.amazon.com/lexv2/latest/dg/context-mgmt-active-context.html: an output context becomes
active when its intent is fulfilled and is returned in the response; it holds the fulfilled intent's slot
values as parameters; it stays active for the configured turns or seconds, whichever ends first; an intent
can only be recognized while all its input contexts are active. Per
https://docs.aws.amazon.com/lexv2/latest/dg/context-mgmt-default.html: a default value
``#context-name.parameter-name`` fills the slot from an active context, so it is not elicited.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.corpus.support import (
    CorpusBot,
    action_of,
    bot_path,
    contexts,
    elicits,
    intent_of,
    interpreted,
    start_bot,
    texts,
)


@pytest.fixture
def bank() -> Iterator[CorpusBot]:
    with start_bot(bot_path("banking")) as bot:
        yield bot


def test_fulfilling_check_balance_activates_its_output_context_with_the_slot_values(bank: CorpusBot) -> None:
    chat = bank.dialog()

    done = chat.say("what is the balance of my savings account")

    assert texts(done) == ["Here is the balance of your savings account."]
    assert action_of(done)["type"] == "Close"
    context = contexts(done)["balance_checked"]
    assert context["contextAttributes"] == {"AccountType": "savings"}
    assert context["timeToLive"]["timeToLiveInSeconds"] == 90
    assert context["timeToLive"]["turnsToLive"] == 2
    stored = chat.session()  # GetSession shows the same active context
    assert contexts(stored)["balance_checked"]["contextAttributes"] == {"AccountType": "savings"}


def test_a_follow_up_takes_its_slot_default_from_the_active_context(bank: CorpusBot) -> None:
    chat = bank.dialog(session_id="followup")
    chat.say("check my credit card balance")

    followup = chat.say("show the recent transactions")

    assert intent_of(followup)["name"] == "FollowupTransactions"
    assert interpreted(followup, "AccountType") == "credit card"
    assert texts(followup) == ["Here are the latest transactions on your credit card account."]
    assert not elicits(followup, "AccountType")


def test_an_intent_whose_input_context_is_not_active_cannot_be_recognized(bank: CorpusBot) -> None:
    chat = bank.dialog(session_id="cold-start")

    cold = chat.say("show the recent transactions")

    assert intent_of(cold)["name"] == "FallbackIntent"
    assert texts(cold) == ["Sorry, I can only help with balances."]
    assert "balance_checked" not in contexts(cold)


def test_the_context_expires_after_its_turns(bank: CorpusBot) -> None:
    chat = bank.dialog(session_id="turns")
    chat.say("check my checking balance")
    assert texts(chat.say("hello")) == ["Hello! I can tell you your balance."]
    chat.say("good morning")  # with the turn that set it, at least two turns have passed

    expired = chat.say("show the recent transactions")

    assert "balance_checked" not in contexts(expired)
    assert intent_of(expired)["name"] == "FallbackIntent"


def test_the_context_expires_after_its_seconds(bank: CorpusBot) -> None:
    chat = bank.dialog(session_id="seconds")
    chat.say("check my savings balance")
    bank.clock.advance(91)  # longer than the context's 90 seconds, well within the 900 s session

    expired = chat.say("show the recent transactions")

    assert "balance_checked" not in contexts(expired)
    assert intent_of(expired)["name"] == "FallbackIntent"


def test_a_context_set_by_the_client_enables_the_follow_up(bank: CorpusBot) -> None:
    """The application may set active contexts itself in RecognizeText (context-mgmt-active-context.html)."""
    chat = bank.dialog(session_id="client-context")

    answer = chat.say(
        "list the latest transactions",
        sessionState={
            "activeContexts": [
                {
                    "name": "balance_checked",
                    "timeToLive": {"timeToLiveInSeconds": 60, "turnsToLive": 3},
                    "contextAttributes": {"AccountType": "checking"},
                }
            ]
        },
    )

    assert intent_of(answer)["name"] == "FollowupTransactions"
    assert interpreted(answer, "AccountType") == "checking"
