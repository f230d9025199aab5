"""Whatever a handler returns, and whatever event arrives, the router answers Lex with a response the
code-hook contract accepts: the handler's own when it is valid, else a Failed Close."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lambda_codehook.bot_model import BotModel
from lambda_codehook.contract import check_response
from lambda_codehook.discovery import IntentHandlers
from lambda_codehook.router import Router
from lexhook.testing import make_event
from tests.unit.codehook.codehook_support import BOT, FakeContext, FakeLlm, RecordingLog, fallback_hook

MODEL = BotModel.from_dict(BOT, source="bot.json")

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
# Answers that look like Lex's, with a wrong piece here and there.
lexish = st.fixed_dictionaries(
    {
        "sessionState": st.fixed_dictionaries(
            {
                "dialogAction": st.fixed_dictionaries(
                    {"type": st.sampled_from(["Close", "Delegate", "ElicitSlot", "ConfirmIntent", "Nope"])},
                    optional={"slotToElicit": st.sampled_from(["Drink", "Quantity", "Size", ""])},
                ),
            },
            optional={
                "intent": st.fixed_dictionaries(
                    {"name": st.sampled_from(["OrderCoffee", "Unknown"])},
                    optional={"state": st.sampled_from(["Fulfilled", "Failed", "InProgress", "Done"])},
                ),
                "sessionAttributes": st.dictionaries(
                    st.text(min_size=1, max_size=5), json_values, max_size=2
                ),
            },
        )
    },
    optional={
        "messages": st.lists(json_values | st.just({"contentType": "PlainText", "content": "hi"}), max_size=3)
    },
)


def router_returning(answer: Any, log: RecordingLog | None = None) -> Router:
    handlers = {"OrderCoffee": IntentHandlers("OrderCoffee", "order_coffee.py", dialog=lambda _: answer)}
    return Router(MODEL, handlers, fallback=fallback_hook, llm=FakeLlm(), log=log or RecordingLog())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer=json_values | lexish)
def test_any_handler_answer_reaches_lex_valid(answer: Any) -> None:
    event = make_event("OrderCoffee", slots={"Drink": "latte"}, request_attributes={"x-chatbot-turn": "t"})

    log = RecordingLog()

    response = router_returning(answer, log).route(event, FakeContext())

    assert check_response(response, bot=MODEL, locale="en_US", source="DialogCodeHook") == response
    failed = [line for line in log.lines if line[0] == "error"]
    if failed:
        assert response["sessionState"]["dialogAction"] == {"type": "Close"}
        assert response["sessionState"]["intent"]["state"] == "Failed"
        assert response["messages"][0]["content"].startswith("Sorry")
    else:
        # A valid answer goes to Lex as the handler wrote it, plus the answered-by marker when it speaks
        # and returns the session's attributes (a marker alone would replace them).
        attributes = response["sessionState"].get("sessionAttributes", {})
        marker = attributes.pop("x-chatbot-answered-by", None)
        speaks = bool(response.get("messages")) and "sessionAttributes" in answer["sessionState"]
        assert marker == ("t:handler" if speaks else None)
        if not attributes and "sessionAttributes" not in answer["sessionState"]:
            response["sessionState"].pop("sessionAttributes", None)
        assert response == answer


@settings(max_examples=150, deadline=None)
@given(event=json_values)
def test_any_event_gets_an_answer_without_raising(event: Any) -> None:
    response = router_returning({"not": "lex"}).route(event, FakeContext())

    assert isinstance(response, dict)
