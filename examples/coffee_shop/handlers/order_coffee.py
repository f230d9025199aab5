"""OrderCoffee: the dialog hook validates the order, the fulfillment hook places it.

Lex asks for the drink and the number of cups, confirms, then fulfils. `dialog` runs on every turn
of that dialog: a drink not on the menu or a number of cups outside 1-10 is cleared and asked
again; anything else is left to Lex (`delegate`). `fulfillment` places the order and answers
with its number and price, keeping a count of this session's orders in a session attribute.
"""

from __future__ import annotations

from lexhook import IntentRequest, Response, close, delegate, elicit_slot

from ._menu import MAX_CUPS, PRICES, locale_of, price_text, say

ORDERS_ATTRIBUTE = "coffeeOrders"


def dialog(request: IntentRequest) -> Response:
    locale = request.locale
    drink = request.value("Drink")
    if drink is not None and drink not in PRICES[locale_of(locale)]:
        request.clear_slot("Drink")
        return elicit_slot("Drink", say(locale, "unknown_drink", drink=drink))
    quantity = request.slot("Quantity")
    if quantity is not None and _cups(quantity.interpreted) is None:
        request.clear_slot("Quantity")
        return elicit_slot("Quantity", say(locale, "bad_quantity", drink=drink or "coffee"))
    return delegate()


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
