"""Corpus bot 11, a satisfaction survey (bots/survey.json): an initial response, an initial-response code
hook, and slot-capture branches that skip a question and set a session attribute.

Guide pages: initial response and its code hook (https://docs.aws.amazon.com/lexv2/latest/dg/paths-initial-response.html),
slot capture next steps (https://docs.aws.amazon.com/lexv2/latest/dg/paths-slot-capture.html), branching
(https://docs.aws.amazon.com/lexv2/latest/dg/paths-branching.html: a branch can set session attributes and
choose the next step), next steps (https://docs.aws.amazon.com/lexv2/latest/dg/paths-nextstep.html). The code
hook event carries the step's ``invocationLabel`` (lambda-input-format.html). With no fulfillment code hook
the intent ends ReadyForFulfillment: fulfilling it is left to the client application
(https://docs.aws.amazon.com/lexv2/latest/dg/intent-fulfillment.html).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.corpus.support import (
    CorpusBot,
    action_of,
    attributes,
    bot_path,
    delegate,
    elicits,
    intent_of,
    interpreted,
    slot,
    start_bot,
    texts,
)

OPENING = "Thanks for helping us improve."
SCORE = "From 1 to 5, how happy are you with our service?"
RECOMMEND = "Would you recommend us to a friend?"
CLOSING = "That's all. Thank you for your time!"


def survey_hook(event: dict[str, Any], context: Any) -> dict[str, Any]:
    if event.get("invocationLabel") == "survey_start":
        return delegate(event, surveyId="S-2026-03")
    return delegate(event)


@pytest.fixture
def survey() -> Iterator[CorpusBot]:
    with start_bot(bot_path("survey"), survey_hook) as bot:
        yield bot


def test_the_initial_response_and_its_code_hook_run_before_the_first_question(survey: CorpusBot) -> None:
    chat = survey.dialog()

    first = chat.say("I want to take the survey")

    assert texts(first) == [OPENING, SCORE]
    assert elicits(first, "Score")
    assert attributes(first) == {"surveyId": "S-2026-03"}
    assert survey.hook is not None
    (event,) = survey.hook.events
    assert event["invocationLabel"] == "survey_start"
    assert event["invocationSource"] == "DialogCodeHook"
    assert event["sessionState"]["intent"]["name"] == "TakeSurvey"


def test_a_high_score_skips_the_complaint_and_marks_a_promoter(survey: CorpusBot) -> None:
    chat = survey.dialog(session_id="happy")
    chat.say("start the survey")

    high = chat.say("5")

    assert interpreted(high, "Score") == "5"
    assert texts(high) == ["Glad to hear it!", RECOMMEND]
    assert elicits(high, "Recommend")
    assert attributes(high) == {"surveyId": "S-2026-03", "segment": "promoter"}

    done = chat.say("yes")
    assert interpreted(done, "Recommend") == "Yes"
    assert slot(done, "Complaint") is None
    assert texts(done) == [CLOSING]
    assert action_of(done)["type"] == "Close"
    assert intent_of(done)["state"] == "ReadyForFulfillment"


def test_a_low_score_asks_what_went_wrong_in_free_form(survey: CorpusBot) -> None:
    chat = survey.dialog(session_id="unhappy")
    chat.say("I have some feedback")

    low = chat.say("two")

    assert interpreted(low, "Score") == "2"
    assert texts(low) == ["Sorry we let you down.", "What went wrong?"]
    assert elicits(low, "Complaint")
    assert attributes(low)["segment"] == "detractor"

    complaint = chat.say("the delivery came three days late and nobody answered the phone")
    assert (
        interpreted(complaint, "Complaint")
        == "the delivery came three days late and nobody answered the phone"
    )
    assert texts(complaint) == [RECOMMEND]

    done = chat.say("no")
    assert interpreted(done, "Recommend") == "No"
    assert texts(done) == [CLOSING]
    assert intent_of(done)["state"] == "ReadyForFulfillment"
