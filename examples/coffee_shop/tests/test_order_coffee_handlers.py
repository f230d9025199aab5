"""The coffee shop's OrderCoffee handlers, unit-tested with no AWS and no Lex: build a request as
Lex would send it, call the function, look at the answer."""

from __future__ import annotations

import pytest

from examples.coffee_shop.handlers import order_coffee
from lexhook import to_lex
from lexhook.testing import make_request


def test_a_valid_order_is_left_to_lex() -> None:
    request = make_request("OrderCoffee", slots={"Drink": "latte", "Quantity": "2"})

    assert order_coffee.dialog(request).action == "Delegate"


def test_an_order_with_no_values_yet_is_left_to_lex() -> None:
    assert order_coffee.dialog(make_request("OrderCoffee", slots={"Drink": None})).action == "Delegate"


@pytest.mark.parametrize("quantity", ["0", "11", "40", "2.5", "-1"])
def test_a_number_of_cups_outside_one_to_ten_is_cleared_and_asked_again(quantity: str) -> None:
    request = make_request("OrderCoffee", slots={"Drink": "mocha", "Quantity": quantity})

    response = order_coffee.dialog(request)

    assert response.action == "ElicitSlot"
    assert response.slot_to_elicit == "Quantity"
    assert request.slot("Quantity") is None
    assert request.value("Drink") == "mocha"
    assert "1 to 10 cups" in response.messages[0]["content"]


def test_korean_validation_speaks_korean() -> None:
    request = make_request("OrderCoffee", locale="ko_KR", slots={"Drink": "카페라테", "Quantity": "12"})

    response = order_coffee.dialog(request)

    assert (
        response.messages[0]["content"]
        == "한 번에 1잔부터 10잔까지 주문할 수 있어요. 카페라테 몇 잔 드릴까요?"
    )


def test_a_drink_not_on_the_menu_is_asked_again() -> None:
    request = make_request("OrderCoffee", slots={"Drink": "frappuccino"})

    response = order_coffee.dialog(request)

    assert (response.action, response.slot_to_elicit) == ("ElicitSlot", "Drink")
    assert "frappuccino is not on our menu" in response.messages[0]["content"]


def test_fulfillment_places_the_order_with_its_number_and_price() -> None:
    request = make_request(
        "OrderCoffee",
        source="FulfillmentCodeHook",
        slots={"Drink": "latte", "Quantity": "3"},
        confirmation_state="Confirmed",
    )

    wire = to_lex(order_coffee.fulfillment(request), request)

    assert wire["sessionState"]["intent"]["state"] == "Fulfilled"
    assert wire["messages"] == [
        {"contentType": "PlainText", "content": "Your order of 3 latte is in. Order number 1, total $12.75."}
    ]
    assert wire["sessionState"]["sessionAttributes"] == {"coffeeOrders": "1"}


def test_fulfillment_counts_the_sessions_orders_and_prices_in_won() -> None:
    request = make_request(
        "OrderCoffee",
        source="FulfillmentCodeHook",
        locale="ko_KR",
        slots={"Drink": "카페모카", "Quantity": "2"},
        session_attributes={"coffeeOrders": "4"},
    )

    response = order_coffee.fulfillment(request)

    assert (
        response.messages[0]["content"]
        == "카페모카 2잔 주문을 접수했어요. 주문 번호는 5번, 금액은 11,000원입니다."
    )
    assert request.session_attributes["coffeeOrders"] == "5"


def test_an_order_that_slipped_past_validation_fails_with_the_bots_failure_response() -> None:
    request = make_request(
        "OrderCoffee", source="FulfillmentCodeHook", slots={"Drink": "latte", "Quantity": "99"}
    )

    response = order_coffee.fulfillment(request)

    assert (response.action, response.fulfilled, response.messages) == ("Close", False, ())
