"""Corpus bot 15 (extra), insurance claims (bots/insurance_claims.json): slot defaults from a session
attribute (``[policyNumber]``) and a request attribute (``<claimType>``), a fulfillment Lambda whose outcome
picks the post-fulfillment success or failure response, and a success next step that waits for a new intent.

Guide pages: default values (https://docs.aws.amazon.com/lexv2/latest/dg/context-mgmt-default.html: session
attributes ``[attribute-name]``, request attributes ``<attribute-name>``, used in order, a source that is
not set is skipped); fulfillment responses (https://docs.aws.amazon.com/lexv2/latest/dg/intent-fulfillment.html:
the success response when the fulfillment Lambda completes, the failure response when fulfillment fails);
next steps (https://docs.aws.amazon.com/lexv2/latest/dg/paths-nextstep.html: "wait for user input" puts the
bot in the ElicitIntent dialog state, after a prompt such as "anything else?").
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from tests.corpus.support import (
    TODAY,
    CorpusBot,
    action_of,
    bot_path,
    close,
    days_from_today,
    elicits,
    intent_of,
    interpreted,
    start_bot,
    texts,
)


def file_claim(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The claims Lambda: home claims for incidents more than 30 days ago fail; others succeed silently."""
    slots = event["sessionState"]["intent"]["slots"]
    kind = slots["ClaimType"]["value"]["interpretedValue"]
    when = date.fromisoformat(slots["IncidentDate"]["value"]["interpretedValue"])
    state = "Failed" if kind == "home" and when < TODAY - timedelta(days=30) else "Fulfilled"
    answer = close(event, "unused", state=state)
    del answer["messages"]  # the bot's post-fulfillment responses speak
    return answer


@pytest.fixture
def claims() -> Iterator[CorpusBot]:
    with start_bot(bot_path("insurance_claims"), file_claim) as bot:
        yield bot


def test_a_policy_number_in_a_session_attribute_is_the_slot_default(claims: CorpusBot) -> None:
    chat = claims.dialog()

    first = chat.say(
        "I want to file a claim", sessionState={"sessionAttributes": {"policyNumber": "HX204518"}}
    )

    assert interpreted(first, "PolicyNumber") == "HX204518"
    assert elicits(first, "ClaimType")
    assert texts(first) == ["Is this an auto or a home claim?"]


def test_a_claim_type_in_a_request_attribute_is_the_slot_default(claims: CorpusBot) -> None:
    chat = claims.dialog(session_id="request-attribute")

    first = chat.say("report an incident", requestAttributes={"claimType": "auto"})
    assert texts(first) == ["What is your policy number? It looks like AB123456."]
    policy = chat.say("KM771203")

    assert interpreted(policy, "PolicyNumber") == "KM771203"
    assert interpreted(policy, "ClaimType") == "auto"
    assert elicits(policy, "IncidentDate")


def test_success_plays_the_success_response_then_waits_for_a_new_intent(claims: CorpusBot) -> None:
    chat = claims.dialog(session_id="success")
    chat.say("I need to make a car claim")
    chat.say("QT550912")

    filed = chat.say("yesterday")

    assert interpreted(filed, "IncidentDate") == days_from_today(-1)
    assert texts(filed) == ["Your auto claim is filed.", "Is there anything else I can help with?"]
    assert action_of(filed)["type"] == "ElicitIntent"
    assert intent_of(filed)["state"] == "Fulfilled"
    assert claims.hook is not None
    assert claims.hook.sources() == ["FulfillmentCodeHook"]

    follow = chat.say("where is claim CL3321")
    assert intent_of(follow)["name"] == "TrackClaim"
    assert texts(follow) == ["Claim CL3321 is with an adjuster."]


def test_a_failed_fulfillment_plays_the_failure_response_and_ends(claims: CorpusBot) -> None:
    chat = claims.dialog(session_id="failure")
    chat.say("file a claim for policy RB100200")
    chat.say("house")

    failed = chat.say("last month")  # the first day of the previous month (built-in-slot-date.html)

    first_of_last_month = (TODAY.replace(day=1) - timedelta(days=1)).replace(day=1)
    assert interpreted(failed, "IncidentDate") == first_of_last_month.isoformat()
    assert texts(failed) == ["Sorry, I could not file this claim. An adjuster will call you."]
    assert intent_of(failed)["state"] == "Failed"
    assert action_of(failed)["type"] == "Close"


def test_a_policy_number_not_matching_the_pattern_is_asked_again(claims: CorpusBot) -> None:
    chat = claims.dialog(session_id="pattern")
    chat.say("file a claim")

    again = chat.say("12345678")

    assert elicits(again, "PolicyNumber")
    assert intent_of(again)["slots"]["PolicyNumber"] is None
