"""The code-hook router: FallbackIntent to the LLM, handled intents to their handler, the rest to
Lex's default; a failing handler fails the intent, never the turn."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from lambda_chatgpt.llm import LlmTimeoutError
from lambda_codehook.router import Router
from lexhook.testing import make_event
from tests.unit.codehook.codehook_support import (
    FakeContext,
    FakeLlm,
    RecordingLog,
    make_router,
    write_handlers,
)

TURN = {"x-chatbot-turn": "t1"}

ORDER_COFFEE = """
    from lexhook import IntentRequest, Response, close, delegate, elicit_slot

    def dialog(request: IntentRequest) -> Response:
        quantity = request.value("Quantity")
        if quantity is not None and not 1 <= int(quantity) <= 10:
            request.clear_slot("Quantity")
            return elicit_slot("Quantity", "1 to 10 cups, please.")
        return delegate()

    def fulfillment(request: IntentRequest) -> Response:
        request.session_attributes["orders"] = "1"
        return close(f"{request.value('Quantity')} {request.value('Drink')} coming up.")
"""


@pytest.fixture
def router(tmp_path: Path) -> Router:
    return make_router(write_handlers(tmp_path / "handlers", {"order_coffee.py": ORDER_COFFEE}))


def test_fallback_intent_goes_to_the_llm_fallback(router: Router) -> None:
    assert router.route(make_event("FallbackIntent", source="FulfillmentCodeHook"), FakeContext()) == {
        "fallback": True
    }


def test_a_handler_answers_its_intent_and_the_turn_is_marked_as_the_handlers(router: Router) -> None:
    event = make_event(
        "OrderCoffee",
        source="FulfillmentCodeHook",
        slots={"Drink": "latte", "Quantity": "2"},
        request_attributes=TURN,
        session_attributes={"llmHistory": "{}"},
    )

    response = router.route(event, FakeContext())

    assert response["messages"] == [{"contentType": "PlainText", "content": "2 latte coming up."}]
    assert response["sessionState"]["intent"]["state"] == "Fulfilled"
    assert response["sessionState"]["sessionAttributes"] == {
        "llmHistory": "{}",
        "orders": "1",
        "x-chatbot-answered-by": "t1:handler",
    }


def test_a_dialog_handler_can_clear_a_bad_value_and_elicit_it_again(router: Router) -> None:
    event = make_event("OrderCoffee", slots={"Drink": "latte", "Quantity": "40"}, request_attributes=TURN)

    response = router.route(event, FakeContext())

    state = response["sessionState"]
    assert state["dialogAction"] == {"type": "ElicitSlot", "slotToElicit": "Quantity"}
    assert state["intent"]["slots"]["Quantity"] is None
    assert state["intent"]["slots"]["Drink"]["value"]["interpretedValue"] == "latte"


def test_a_delegating_handler_leaves_no_answered_by_marker(router: Router) -> None:
    response = router.route(
        make_event("OrderCoffee", slots={"Quantity": "3"}, request_attributes=TURN), FakeContext()
    )

    assert response["sessionState"]["dialogAction"] == {"type": "Delegate"}
    assert "x-chatbot-answered-by" not in response["sessionState"]["sessionAttributes"]


def test_an_intent_without_handler_gets_lex_defaults_never_the_llm(tmp_path: Path) -> None:
    llm = FakeLlm()
    router = make_router(None, llm=llm)
    dialog = make_event(
        "OrderCoffee", slots={"Drink": "mocha"}, session_attributes={"k": "v"}, request_attributes=TURN
    )
    fulfil = make_event("CheckHours", source="FulfillmentCodeHook", request_attributes=TURN)

    delegated = router.route(dialog, FakeContext())
    closed = router.route(fulfil, FakeContext())

    assert delegated["sessionState"]["dialogAction"] == {"type": "Delegate"}
    assert delegated["sessionState"]["intent"]["slots"] == dialog["sessionState"]["intent"]["slots"]
    assert delegated["sessionState"]["sessionAttributes"] == {"k": "v"}
    assert closed["sessionState"]["dialogAction"] == {"type": "Close"}
    assert closed["sessionState"]["intent"]["state"] == "Fulfilled"
    assert "messages" not in closed
    assert "messages" not in delegated
    assert llm.calls == []


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("raise RuntimeError('beans ran out')", "raised RuntimeError at check_hours.py:4: beans ran out"),
        ("return 'done'", "returned str, not a lexhook Response"),
        ("return {'sessionState': {'dialogAction': {'type': 'Finish'}}}", "dialogAction.type"),
        ("return elicit_slot('Size', 'Which size?')", "'Size' is not a slot of the intent"),
        ("return close('x' * 1025)", "messages[0].content"),
        ("return delegate()", "Delegate from a fulfillment hook"),
    ],
)
def test_a_failing_handler_closes_the_intent_as_failed_with_an_apology(
    tmp_path: Path, body: str, reason: str
) -> None:
    source = f"from lexhook import close, delegate, elicit_slot\n\ndef fulfillment(request):\n    {body}\n"
    log = RecordingLog()
    router = make_router(write_handlers(tmp_path / "h", {"check_hours.py": source}), log=log)

    response = router.route(
        make_event("CheckHours", source="FulfillmentCodeHook", locale="en_US", request_attributes=TURN),
        FakeContext(),
    )

    assert response["sessionState"]["dialogAction"] == {"type": "Close"}
    assert response["sessionState"]["intent"]["state"] == "Failed"
    assert response["messages"][0]["content"].startswith("Sorry")
    assert response["sessionState"]["sessionAttributes"]["x-chatbot-answered-by"] == "t1:notice"
    errors = [extra for level, _msg, extra in log.lines if level == "error"]
    assert errors
    assert errors[0]["intent"] == "CheckHours"
    assert reason in errors[0]["reason"]


def test_a_failure_plays_the_intents_own_failure_response_when_it_has_one(tmp_path: Path) -> None:
    source = "def fulfillment(request):\n    raise ValueError('card declined')\n"
    router = make_router(write_handlers(tmp_path / "h", {"pay_bill.py": source}))

    response = router.route(
        make_event("PayBill", source="FulfillmentCodeHook", request_attributes=TURN), FakeContext()
    )

    assert response["sessionState"]["intent"]["state"] == "Failed"
    assert "messages" not in response
    assert "x-chatbot-answered-by" not in response["sessionState"]["sessionAttributes"]


def test_the_apology_follows_the_locale(tmp_path: Path) -> None:
    source = "def dialog(request):\n    raise ValueError\n"
    router = make_router(write_handlers(tmp_path / "h", {"order_coffee.py": source}))

    response = router.route(make_event("OrderCoffee", locale="ko_KR"), FakeContext())

    assert response["messages"][0]["content"].startswith("죄송합니다")


def test_a_handler_that_outlives_the_lambdas_time_fails_before_lex_gives_up(tmp_path: Path) -> None:
    source = "import time\n\ndef fulfillment(request):\n    time.sleep(3)\n"
    router = make_router(write_handlers(tmp_path / "h", {"check_hours.py": source}))

    started = time.monotonic()
    response = router.route(
        make_event("CheckHours", source="FulfillmentCodeHook"), FakeContext(remaining_ms=1300)
    )

    assert time.monotonic() - started < 1.0
    assert response["sessionState"]["intent"]["state"] == "Failed"


def test_ask_llm_reaches_the_llm_with_the_locale_and_memory(tmp_path: Path) -> None:
    source = """
        from lexhook import close

        def fulfillment(request):
            return close(request.ask_llm("a haiku about " + request.value("Drink"), instructions="be brief"))
    """
    llm = FakeLlm("steam over the cup")
    router = make_router(write_handlers(tmp_path / "h", {"order_coffee.py": source}), llm=llm)
    event = make_event(
        "OrderCoffee",
        source="FulfillmentCodeHook",
        slots={"Drink": "latte"},
        locale="ko_KR",
        session_attributes={"llmHistory": "remembered"},
        request_attributes=TURN,
    )

    response = router.route(event, FakeContext())

    assert response["messages"][0]["content"] == "steam over the cup"
    assert response["sessionState"]["sessionAttributes"]["x-chatbot-answered-by"] == "t1:handler"
    assert llm.calls == [
        {
            "prompt": "a haiku about latte",
            "instructions": "be brief",
            "locale": "ko_KR",
            "attributes": {"llmHistory": "remembered"},
            "session_id": event["sessionId"],
            "client": None,
        }
    ]


def test_an_llm_failure_inside_a_handler_can_be_caught_or_fails_the_intent(tmp_path: Path) -> None:
    source = """
        from lexhook import LlmUnavailableError, close

        def fulfillment(request):
            try:
                return close(request.ask_llm("hi"))
            except LlmUnavailableError as error:
                return close("No poem today (" + error.kind + ").")

        def dialog(request):
            return close(request.ask_llm("hi"))
    """
    router = make_router(
        write_handlers(tmp_path / "h", {"order_coffee.py": source}),
        llm=FakeLlm(error=LlmTimeoutError("slow")),
    )

    caught = router.route(make_event("OrderCoffee", source="FulfillmentCodeHook"), FakeContext())
    uncaught = router.route(make_event("OrderCoffee"), FakeContext())

    assert caught["messages"][0]["content"] == "No poem today (timeout)."
    assert uncaught["sessionState"]["intent"]["state"] == "Failed"


def test_a_router_whose_handlers_did_not_load_still_answers_the_fallback() -> None:
    log = RecordingLog()
    router = make_router(None, log=log)
    broken = Router(router._bot, {}, fallback=router._fallback, llm=None, log=log, broken="bad module")

    assert broken.route(make_event("FallbackIntent"), None) == {"fallback": True}
    failed = broken.route(make_event("OrderCoffee"), None)
    assert failed["sessionState"]["intent"]["state"] == "Failed"
