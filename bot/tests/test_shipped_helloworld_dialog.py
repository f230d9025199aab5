"""The shipped HelloWorld bot's dialog (bot/bot.json) through boto3 over HTTP, in Korean and English.

These test the shipped bot, not the framework: its exact prompts, confirmations and closing lines.
If you changed bot/bot.json on purpose, update or delete them (the framework's tests run on a
frozen copy in tests/bots/ and do not depend on your bot).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.emulator import emulator_hooks
from tests.integration.emulator.emulator_support import Served


def contents(response: dict[str, Any]) -> list[str]:
    return [message["content"] for message in response.get("messages", [])]


def dialog(response: dict[str, Any]) -> tuple[str, str | None, str, str]:
    state = response["sessionState"]
    return (
        state["dialogAction"]["type"],
        state["dialogAction"].get("slotToElicit"),
        state["intent"]["name"],
        state["intent"]["state"],
    )


def name_value(response: dict[str, Any]) -> str | None:
    slot = response["sessionState"]["intent"]["slots"]["Name"]
    return slot["value"]["interpretedValue"] if slot else None


LOCALES: dict[str, dict[str, Any]] = {
    "ko_KR": {
        "greeting": "안녕하세요",
        "prompt": "제 이름은 Lex입니다. 당신의 이름은 무엇 입니까?",
        "answer": "민수예요",
        "name": "민수",
        "confirm": "당신의 이름은 민수입니까?",
        "yes": "네",
        "no": "아니요",
        "success": ["반갑습니다. 민수님.", "HelloWorld 의도를 종료합니다."],
        "declined": ["처음부터 다시 시작해 주세요."],
        "greeting_with_name": "안녕하세요 저는 지영입니다",
        "name_in_first": "지영",
    },
    "en_US": {
        "greeting": "Hello",
        "prompt": "My name is Lex. What is your name?",
        "answer": "I'm Ann",
        "name": "Ann",
        "confirm": "Is your name Ann?",
        "yes": "yes",
        "no": "no",
        "success": ["Nice to meet you, Ann.", "Ending the HelloWorld intent."],
        "declined": ["Please start over from the beginning."],
        "greeting_with_name": "Hello, my name is Carlos",
        "name_in_first": "Carlos",
    },
}


@pytest.mark.parametrize("locale", sorted(LOCALES))
def test_greeting_name_confirm_yes_ends_with_success_and_closing(served: Served, locale: str) -> None:
    words = LOCALES[locale]

    greeted = served.say(words["greeting"], locale=locale)
    assert contents(greeted) == [words["prompt"]]
    assert dialog(greeted) == ("ElicitSlot", "Name", "HelloWorld", "InProgress")
    top = greeted["interpretations"][0]
    assert top["intent"]["name"] == "HelloWorld"
    assert top["nluConfidence"]["score"] >= 0.4

    named = served.say(words["answer"], locale=locale)
    assert contents(named) == [words["confirm"]]
    assert dialog(named) == ("ConfirmIntent", None, "HelloWorld", "InProgress")
    assert name_value(named) == words["name"]
    assert named["sessionState"]["intent"]["confirmationState"] == "None"

    confirmed = served.say(words["yes"], locale=locale)
    assert contents(confirmed) == words["success"]
    # No fulfillment code hook: Lex reports the intent ReadyForFulfillment (fulfilment is the client's).
    assert dialog(confirmed) == ("Close", None, "HelloWorld", "ReadyForFulfillment")
    assert confirmed["sessionState"]["intent"]["confirmationState"] == "Confirmed"
    assert confirmed["sessionId"] == "session-1"
    assert emulator_hooks.EVENTS == []  # HelloWorld has no code hook


@pytest.mark.parametrize("locale", sorted(LOCALES))
def test_confirm_no_gives_the_declination_and_fails_the_intent(served: Served, locale: str) -> None:
    words = LOCALES[locale]
    served.say(words["greeting"], locale=locale)
    served.say(words["answer"], locale=locale)

    declined = served.say(words["no"], locale=locale)

    assert contents(declined) == words["declined"]
    assert dialog(declined) == ("Close", None, "HelloWorld", "Failed")
    assert declined["sessionState"]["intent"]["confirmationState"] == "Denied"


@pytest.mark.parametrize("locale", sorted(LOCALES))
def test_a_name_in_the_first_utterance_fills_the_slot_at_once(served: Served, locale: str) -> None:
    words = LOCALES[locale]

    response = served.say(words["greeting_with_name"], locale=locale)

    assert dialog(response) == ("ConfirmIntent", None, "HelloWorld", "InProgress")
    assert name_value(response) == words["name_in_first"]
    assert words["name_in_first"] in contents(response)[0]


@pytest.mark.parametrize("locale", sorted(LOCALES))
def test_after_close_the_next_input_starts_a_new_recognition(served: Served, locale: str) -> None:
    words = LOCALES[locale]
    for text in (words["greeting"], words["answer"], words["yes"]):
        served.say(text, locale=locale)

    again = served.say(words["greeting"], locale=locale)

    assert dialog(again) == ("ElicitSlot", "Name", "HelloWorld", "InProgress")
    assert name_value(again) is None


def test_an_answer_that_is_not_a_name_is_prompted_again_until_retries_run_out(served: Served) -> None:
    served.say("안녕하세요")

    first = served.say("12345")
    second = served.say("오늘 날씨가 어때요?")
    # MaxRetries is 2: the third answer that is not a name hands the turn to FallbackIntent.
    third = served.say("??")

    prompt = "제 이름은 Lex입니다. 당신의 이름은 무엇 입니까?"
    assert contents(first) == [prompt]
    assert contents(second) == [prompt]
    assert dialog(second) == ("ElicitSlot", "Name", "HelloWorld", "InProgress")
    assert dialog(third) == ("Close", None, "FallbackIntent", "Fulfilled")
    assert third["interpretations"][0]["intent"]["name"] == "FallbackIntent"
    assert "nluConfidence" not in third["interpretations"][0]
    assert contents(third) == ["echo: ??"]
    assert emulator_hooks.EVENTS[-1]["sessionState"]["intent"]["name"] == "FallbackIntent"


def test_a_confirmation_answer_that_is_neither_yes_nor_no_reprompts(served: Served) -> None:
    served.say("Hi", locale="en_US")
    served.say("My name is Dana", locale="en_US")

    unclear = served.say("maybe later", locale="en_US")

    assert contents(unclear) == ["Is your name Dana?"]
    assert dialog(unclear) == ("ConfirmIntent", None, "HelloWorld", "InProgress")
    assert served.say("yep", locale="en_US")["sessionState"]["intent"]["state"] == "ReadyForFulfillment"


def test_unknown_input_goes_to_fallback_first_with_helloworld_as_an_alternative(served: Served) -> None:
    response = served.say("Explain quantum computing in two sentences", locale="en_US")

    interpretations = response["interpretations"]
    assert interpretations[0] == {
        "intent": interpretations[0]["intent"],
        "interpretationSource": "Lex",
    }
    assert interpretations[0]["intent"]["name"] == "FallbackIntent"
    assert [item["intent"]["name"] for item in interpretations[1:]] == ["HelloWorld"]
    assert interpretations[1]["nluConfidence"]["score"] < 0.4
    assert dialog(response) == ("Close", None, "FallbackIntent", "Fulfilled")
    assert contents(response) == ["echo: Explain quantum computing in two sentences"]
