"""lexhook: write a Lex V2 intent's code hook as a plain, typed Python function.

Put one module per intent in the `handlers/` folder beside your bot file, named the snake_case of
the intent (OrderCoffee -> `order_coffee.py`), with `dialog(request)` and/or `fulfillment(request)`:

    from lexhook import IntentRequest, Response, close

    def fulfillment(request: IntentRequest) -> Response:
        return close(f"One {request.value('Size')} coffee coming up!")

The code-hook Lambda (`lambda_codehook`) finds the module, calls the function for that intent and
invocation source, checks the answer against Lex's contract and sends it to Lex.
"""

from .messages import Button, CustomPayload, ImageCard, Message, PlainText, Ssml
from .request import IntentRequest, LlmUnavailableError, ProposedNextState, SlotValue
from .responses import Response, close, confirm_intent, delegate, elicit_intent, elicit_slot, to_lex
from .validation import SlotValidator, validate_slots

__all__ = [
    "Button",
    "CustomPayload",
    "ImageCard",
    "IntentRequest",
    "LlmUnavailableError",
    "Message",
    "PlainText",
    "ProposedNextState",
    "Response",
    "SlotValidator",
    "SlotValue",
    "Ssml",
    "close",
    "confirm_intent",
    "delegate",
    "elicit_intent",
    "elicit_slot",
    "to_lex",
    "validate_slots",
]
