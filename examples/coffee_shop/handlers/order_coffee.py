"""OrderCoffee: the dialog hook validates the order, the fulfillment hook places it.

Lex asks for the drink and the number of cups, confirms, then fulfils. `dialog` runs on every turn
of that dialog: a drink not on the menu or a number of cups outside 1-10 is cleared and asked
again (one validator per slot, `validate_slots`); anything else is left to Lex. `fulfillment`
places the order and answers with its number and price, keeping a count of this session's orders
in a session attribute.
"""

from __future__ import annotations

from lexhook import IntentRequest, Response, SlotValue, close, validate_slots

from ._menu import MAX_CUPS, PRICES, locale_of, price_text, say

ORDERS_ATTRIBUTE = "coffeeOrders"


def dialog(request: IntentRequest) -> Response:
    return validate_slots(request, {"Drink": on_the_menu, "Quantity": one_to_ten_cups})


def on_the_menu(drink: SlotValue, request: IntentRequest) -> str | None:
    if drink.interpreted in PRICES[locale_of(request.locale)]:
        return None
    return say(request.locale, "unknown_drink", drink=drink.interpreted)


def one_to_ten_cups(quantity: SlotValue, request: IntentRequest) -> str | None:
    if _cups(quantity.interpreted) is not None:
        return None
    return say(request.locale, "bad_quantity", drink=request.value("Drink") or "coffee")


def fulfillment(request: IntentRequest) -> Response:
    locale = request.locale
    drink = request.value("Drink") or ""
    cups = _cups(request.value("Quantity") or "")
    price = PRICES[locale_of(locale)].get(drink)
    if cups is None or price is None:
        # The dialog hook lets no such order through; if one arrives anyway, the bot's failure response plays.
        return close(fulfilled=False)
    number = int(request.session_attributes.get(ORDERS_ATTRIBUTE, "0")) + 1
    request.session_attributes[ORDERS_ATTRIBUTE] = str(number)
    return close(
        say(
            locale,
            "placed",
            drink=drink,
            quantity=cups,
            number=number,
            price=price_text(locale, price * cups),
        )
    )


def _cups(value: str) -> int | None:
    """The number of cups when it is a whole number from 1 to MAX_CUPS, else None."""
    try:
        number = float(value)
    except ValueError:
        return None
    if not number.is_integer() or not 1 <= number <= MAX_CUPS:
        return None
    return int(number)
