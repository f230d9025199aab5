"""The fulfillment code hook: the event it gets, what its answers do, and how Lex-like failures look."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from lex_emulator import BotDeployment, DeploymentError, LexEmulator
from tests.integration.emulator import emulator_hooks
from tests.integration.emulator.emulator_support import (
    ALIAS_ID,
    BOT_ID,
    Served,
    bot_definition,
    intent,
    lex_client,
)

FAILURE = {
    "ko_KR": "죄송합니다. 지금은 답변을 드릴 수 없습니다. 잠시 후 다시 시도해 주세요.",
    "en_US": "Sorry, I can't answer that right now. Please try again in a moment.",
}
TIMEOUT = {
    "ko_KR": "죄송합니다. 답변이 너무 오래 걸렸습니다. 다시 한 번 물어봐 주세요.",
    "en_US": "Sorry, that answer took too long. Please ask me again.",
}


def without_post_fulfillment(*responses: str) -> Callable[[dict[str, Any]], None]:
    def mutate(definition: dict[str, Any]) -> None:
        for locale in ("ko_KR", "en_US"):
            post = intent(definition, locale, "FallbackIntent")["FulfillmentCodeHook"][
                "PostFulfillmentStatusSpecification"
            ]
            for response in responses:
                post.pop(response)
            if not post:
                del intent(definition, locale, "FallbackIntent")["FulfillmentCodeHook"][
                    "PostFulfillmentStatusSpecification"
                ]

    return mutate


@pytest.mark.parametrize("locale", ["ko_KR", "en_US"])
def test_the_hook_gets_a_complete_lex_v2_fulfillment_event(served: Served, locale: str) -> None:
    response = served.say(
        "What is the tallest mountain on Earth",
        locale=locale,
        sessionState={"sessionAttributes": {"userTier": "gold"}},
        requestAttributes={"channel": "web"},
    )

    assert response["messages"] == [
        {"contentType": "PlainText", "content": "echo: What is the tallest mountain on Earth"}
    ]
    (event,) = emulator_hooks.EVENTS
    assert event["messageVersion"] == "1.0"
    assert event["invocationSource"] == "FulfillmentCodeHook"
    assert event["inputMode"] == "Text"
    assert event["responseContentType"] == "text/plain; charset=utf-8"
    assert event["sessionId"] == "session-1"
    assert event["inputTranscript"] == "What is the tallest mountain on Earth"
    assert event["bot"] == {
        "id": BOT_ID,
        "name": "HelloWorldBot",
        "localeId": locale,
        "version": "DRAFT",
        "aliasId": ALIAS_ID,
        "aliasName": "live",
    }
    first, second = event["interpretations"]
    assert first["intent"]["name"] == "FallbackIntent"
    assert "nluConfidence" not in first
    assert second["intent"]["name"] == "HelloWorld"
    assert isinstance(second["nluConfidence"], float)
    assert second["intent"]["slots"] == {"Name": None}
    assert event["requestAttributes"] == {"channel": "web"}
    state = event["sessionState"]
    assert state["intent"] == {
        "name": "FallbackIntent",
        "slots": {},
        "state": "ReadyForFulfillment",
        "confirmationState": "None",
    }
    assert state["sessionAttributes"] == {"userTier": "gold"}
    assert state["originatingRequestId"] == response["sessionState"]["originatingRequestId"]
    assert response["requestAttributes"] == {"channel": "web"}


def test_the_lambda_context_counts_down_from_the_hook_timeout(served: Served) -> None:
    served.say("Tell me a joke", locale="en_US")

    (context,) = emulator_hooks.CONTEXTS
    assert 29_000 < emulator_hooks.REMAINING_MS[0] <= 30_000
    assert context.function_name
    assert context.aws_request_id
    assert context.invoked_function_arn.startswith("arn:aws:lambda:us-east-1:")
    assert int(context.memory_limit_in_mb) > 0
    assert context.get_remaining_time_in_millis() <= emulator_hooks.REMAINING_MS[0]


def test_session_attributes_from_the_hook_are_kept_for_later_turns(served: Served) -> None:
    served.say("What's the capital of France", locale="en_US")

    later = served.say("Hello", locale="en_US")

    assert later["sessionState"]["sessionAttributes"] == {"hook": "called"}
    assert later["sessionState"]["intent"]["name"] == "HelloWorld"


@pytest.mark.parametrize("kind", sorted(emulator_hooks.INVALID))
def test_an_invalid_hook_answer_gives_the_failure_response(served: Served, kind: str) -> None:
    response = served.say(f"invalid:{kind}", locale="en_US")

    assert [m["content"] for m in response["messages"]] == [FAILURE["en_US"]]
    assert response["sessionState"]["dialogAction"] == {"type": "Close"}
    assert response["sessionState"]["intent"]["name"] == "FallbackIntent"
    assert response["sessionState"]["intent"]["state"] == "Failed"


@pytest.mark.parametrize("kind", ["no-session-state", "bad-action", "too-many-messages", "number-attribute"])
def test_an_invalid_hook_answer_without_a_failure_response_is_dependency_failed(
    serve: Callable[..., Served], tmp_path: Path, kind: str
) -> None:
    served = serve(
        definition_path=bot_definition(without_post_fulfillment("FailureResponse"), tmp_path=tmp_path)
    )

    with pytest.raises(served.client.exceptions.DependencyFailedException) as raised:
        served.say(f"invalid:{kind}", locale="en_US")

    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 424
    assert "Invalid Lambda Response" in raised.value.response["Error"]["Message"]


@pytest.mark.parametrize("locale", ["ko_KR", "en_US"])
def test_a_hook_exception_gives_the_failure_response(served: Served, locale: str) -> None:
    response = served.say("raise an error", locale=locale)

    assert [m["content"] for m in response["messages"]] == [FAILURE[locale]]
    assert response["sessionState"]["intent"]["state"] == "Failed"


def test_a_hook_exception_without_a_failure_response_is_dependency_failed(
    serve: Callable[..., Served], tmp_path: Path
) -> None:
    served = serve(
        definition_path=bot_definition(without_post_fulfillment("FailureResponse"), tmp_path=tmp_path)
    )

    with pytest.raises(served.client.exceptions.DependencyFailedException) as raised:
        served.say("raise an error")

    assert "RuntimeError: the hook failed on purpose" in raised.value.response["Error"]["Message"]


@pytest.mark.parametrize("locale", ["ko_KR", "en_US"])
def test_a_hook_timeout_gives_the_timeout_response(serve: Callable[..., Served], locale: str) -> None:
    served = serve(hook_timeout_seconds=0.3)

    response = served.say("slow question", locale=locale)

    assert [m["content"] for m in response["messages"]] == [TIMEOUT[locale]]
    assert response["sessionState"]["intent"]["state"] == "Failed"
    assert emulator_hooks.REMAINING_MS[0] <= 300


def test_a_hook_timeout_without_a_timeout_response_is_dependency_failed(
    serve: Callable[..., Served], tmp_path: Path
) -> None:
    definition = bot_definition(without_post_fulfillment("TimeoutResponse"), tmp_path=tmp_path)
    served = serve(definition_path=definition, hook_timeout_seconds=0.3)

    with pytest.raises(served.client.exceptions.DependencyFailedException) as raised:
        served.say("slow question", locale="en_US")

    assert "did not respond within 0.3 seconds" in raised.value.response["Error"]["Message"]


def test_a_failed_close_without_messages_gives_the_failure_response(served: Served) -> None:
    response = served.say("failed on purpose", locale="en_US")

    assert [m["content"] for m in response["messages"]] == [FAILURE["en_US"]]
    assert response["sessionState"]["intent"]["state"] == "Failed"


def test_a_hook_can_hand_the_turn_to_slot_elicitation(served: Served) -> None:
    response = served.say("ask-name please")

    assert response["sessionState"]["dialogAction"] == {"type": "ElicitSlot", "slotToElicit": "Name"}
    assert response["sessionState"]["intent"]["name"] == "HelloWorld"
    assert [m["content"] for m in response["messages"]] == ["제 이름은 Lex입니다. 당신의 이름은 무엇 입니까?"]
    follow_up = served.say("수진")
    assert follow_up["sessionState"]["dialogAction"]["type"] == "ConfirmIntent"
    assert follow_up["sessionState"]["intent"]["slots"]["Name"]["value"]["interpretedValue"] == "수진"


def test_delegate_back_to_fulfilment_is_dependency_failed(served: Served) -> None:
    with pytest.raises(served.client.exceptions.DependencyFailedException) as raised:
        served.say("delegate-again", locale="en_US")

    assert "Delegate" in raised.value.response["Error"]["Message"]


def test_a_hook_can_elicit_a_new_intent(served: Served) -> None:
    response = served.say("elicit-intent please", locale="en_US")

    assert response["sessionState"]["dialogAction"] == {"type": "ElicitIntent"}
    assert [m["content"] for m in response["messages"]] == ["What else can I do?"]
    assert served.say("Hello", locale="en_US")["sessionState"]["dialogAction"]["slotToElicit"] == "Name"


def test_a_hook_can_ask_for_confirmation_of_another_intent(served: Served) -> None:
    response = served.say("confirm-name please", locale="en_US")

    assert response["sessionState"]["dialogAction"] == {"type": "ConfirmIntent"}
    assert [m["content"] for m in response["messages"]] == ["Are you Zoe?"]
    confirmed = served.say("yes", locale="en_US")
    assert [m["content"] for m in confirmed["messages"]] == [
        "Nice to meet you, Zoe.",
        "Ending the HelloWorld intent.",
    ]


def test_a_slow_hook_blocks_only_its_own_session(served: Served) -> None:
    results: dict[str, Any] = {}

    def held_turn() -> None:
        results["held"] = lex_client(served.url).recognize_text(
            botId=BOT_ID, botAliasId=ALIAS_ID, localeId="en_US", sessionId="busy-session", text="hold on"
        )

    worker = threading.Thread(target=held_turn)
    worker.start()
    assert emulator_hooks.ENTERED.wait(5)
    try:
        with pytest.raises(served.client.exceptions.ConflictException) as raised:
            served.say("Hello", session="busy-session", locale="en_US")
        assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
        other = served.say("Hello", session="free-session", locale="en_US")
        assert other["sessionState"]["dialogAction"]["type"] == "ElicitSlot"
        assert "held" not in results
    finally:
        emulator_hooks.GATE.set()
        worker.join(10)
    assert results["held"]["messages"][0]["content"] == "held answer"


def test_fifty_sessions_are_in_their_hooks_at_the_same_time(served: Served) -> None:
    # Each hook waits until all fifty are inside: this only completes if no turn waits for another.
    emulator_hooks.BARRIER.append(threading.Barrier(50))
    answers: list[str] = []

    def turn(index: int) -> None:
        response = lex_client(served.url).recognize_text(
            botId=BOT_ID,
            botAliasId=ALIAS_ID,
            localeId="en_US",
            sessionId=f"crowd-{index}",
            text="together now",
        )
        answers.append(response["messages"][0]["content"])

    workers = [threading.Thread(target=turn, args=(index,)) for index in range(50)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)

    assert answers == ["all arrived"] * 50


def test_a_code_hook_that_does_not_import_is_refused_when_the_bot_is_added(tmp_path: Path) -> None:
    emulator = LexEmulator()
    deployment = BotDeployment(
        bot_id=BOT_ID,
        alias_id=ALIAS_ID,
        alias_name="live",
        bot_name="HelloWorldBot",
        definition_path=bot_definition(tmp_path=tmp_path),
        code_hook="no_such_package.handler:handler",
    )

    with pytest.raises(DeploymentError, match=r"cannot import no_such_package\.handler"):
        emulator.add_bot(deployment)


def test_an_enabled_code_hook_without_a_handler_is_refused(tmp_path: Path) -> None:
    emulator = LexEmulator()
    deployment = BotDeployment(
        bot_id=BOT_ID,
        alias_id=ALIAS_ID,
        alias_name="live",
        bot_name="HelloWorldBot",
        definition_path=bot_definition(tmp_path=tmp_path),
    )

    with pytest.raises(DeploymentError, match=r"FallbackIntent .* enables its fulfillment code hook"):
        emulator.add_bot(deployment)
