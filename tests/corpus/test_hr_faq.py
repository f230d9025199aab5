"""Corpus bot 14 (extra), an HR question bot (bots/hr_faq.json): six answer-only intents with five sample
utterances each, the shape of FAQ bots built on Lex, where everything else must reach FallbackIntent
(and so the LLM safety net).

Lex generalises from sample utterances to ordinary paraphrases (https://docs.aws.amazon.com/lexv2/latest/dg/build-intents.html:
sample utterances are examples, Lex's models learn variations); an input that matches no intent with at
least the locale's confidence threshold goes to AMAZON.FallbackIntent
(https://docs.aws.amazon.com/lexv2/latest/dg/built-in-intent-fallback.html). The phrasings below are
deliberately not in the bot.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.corpus.support import CorpusBot, action_of, bot_path, intent_of, load_bot, start_bot, texts

PARAPHRASES = {
    "how many days off am I entitled to each year": "VacationPolicy",
    "on which day does the pay come in": "PayrollDates",
    "I bought a train ticket for a work trip, how can I be refunded": "ExpenseClaims",
    "am I allowed to work from my house on fridays": "RemoteWork",
    "I woke up with a fever and cannot come in": "SickLeave",
    "how can I sign up for the medical plan": "BenefitsEnrollment",
    "is there a limit on how much holiday I can take": "VacationPolicy",
    "which date will my wages be in my bank account": "PayrollDates",
    "who pays me back for the hotel I booked for the conference": "ExpenseClaims",
    "could I do my job from home two days a week": "RemoteWork",
    "my child is ill and so am I, what do I do about work": "SickLeave",
    "what health cover does the company offer": "BenefitsEnrollment",
}

OFF_TOPIC = [
    "what is the capital of Peru",
    "recommend a good pizza place nearby",
    "how do I fix a flat bike tyre",
    "who won the football match last night",
    "write me a poem about the sea",
    "how tall is the eiffel tower",
    "translate good morning into italian",
    "what time does the supermarket close",
    "suggest a film to watch tonight",
    "how do I reset my router",
]


@pytest.fixture(scope="module")
def faq() -> Iterator[CorpusBot]:
    with start_bot(bot_path("hr_faq")) as bot:
        yield bot


def test_the_paraphrases_are_not_sample_utterances() -> None:
    samples = {
        sample["Utterance"].lower()
        for intent in load_bot("hr_faq")["BotLocales"][0]["Intents"]
        for sample in intent.get("SampleUtterances", [])
    }
    assert not samples & {phrase.lower() for phrase in PARAPHRASES}


@pytest.mark.parametrize("phrase", sorted(PARAPHRASES))
def test_a_paraphrase_reaches_its_intent_and_its_answer(faq: CorpusBot, phrase: str) -> None:
    answer = faq.dialog(session_id=f"p-{abs(hash(phrase))}").say(phrase)

    assert intent_of(answer)["name"] == PARAPHRASES[phrase]
    assert action_of(answer)["type"] == "Close"
    assert len(texts(answer)) == 1


@pytest.mark.parametrize("question", OFF_TOPIC)
def test_an_unrelated_question_goes_to_the_fallback_intent(faq: CorpusBot, question: str) -> None:
    answer = faq.dialog(session_id=f"o-{abs(hash(question))}").say(question)

    assert intent_of(answer)["name"] == "FallbackIntent"
    assert action_of(answer)["type"] == "Close"
