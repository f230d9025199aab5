"""Code hooks for the emulator tests, chosen by the user's text so one deployment covers every case.

``hook`` answers a valid Close echoing the input, unless the input names a behaviour:

* "raise": raises; "failed": a Failed Close without messages; "invalid:<kind>": an answer Lex
  rejects (see `INVALID`); "delegate-again", "elicit-intent", "confirm-name", "ask-name": the
  other dialog actions;
* "slow": waits on `GATE` (up to 5 s); "hold": sets `ENTERED`, then waits on `GATE`;
  "together": waits until as many turns as `BARRIER[0]` expects are inside the hook at once.

It records every event in `EVENTS`, the context in `CONTEXTS` and its remaining time at the start
in `REMAINING_MS`.
"""

from __future__ import annotations

import threading
from typing import Any

EVENTS: list[dict[str, Any]] = []
CONTEXTS: list[Any] = []
REMAINING_MS: list[int] = []
GATE = threading.Event()
ENTERED = threading.Event()
BARRIER: list[threading.Barrier] = []  # "together": every such turn waits until all have arrived


def reset() -> None:
    EVENTS.clear()
    CONTEXTS.clear()
    REMAINING_MS.clear()
    GATE.clear()
    ENTERED.clear()
    BARRIER.clear()


def _close(event: dict[str, Any], text: str, **intent: Any) -> dict[str, Any]:
    return {
        "sessionState": {
            "dialogAction": {"type": "Close"},
            "intent": {"name": event["sessionState"]["intent"]["name"], "state": "Fulfilled", **intent},
            "sessionAttributes": {**event["sessionState"]["sessionAttributes"], "hook": "called"},
        },
        "messages": [{"contentType": "PlainText", "content": text}],
    }


def _state(action: str = "Close", **intent: Any) -> dict[str, Any]:
    return {"dialogAction": {"type": action}, "intent": intent}


_DONE = _state(name="FallbackIntent", state="Fulfilled")

INVALID: dict[str, Any] = {
    "not-a-dict": ["a", "list"],
    "no-session-state": {"messages": [{"contentType": "PlainText", "content": "hi"}]},
    "bad-action": {"sessionState": _state("Explode", name="FallbackIntent")},
    "elicit-slot-without-slot": {"sessionState": _state("ElicitSlot", name="HelloWorld")},
    "intent-without-name": {"sessionState": _state(state="Fulfilled")},
    "bad-state": {"sessionState": _state(name="FallbackIntent", state="Done")},
    "too-many-messages": {
        "sessionState": _DONE,
        "messages": [{"contentType": "PlainText", "content": "m"}] * 11,
    },
    "long-message": {
        "sessionState": _DONE,
        "messages": [{"contentType": "PlainText", "content": "x" * 1025}],
    },
    "bad-content-type": {"sessionState": _DONE, "messages": [{"contentType": "Markdown", "content": "*hi*"}]},
    "number-attribute": {"sessionState": {**_DONE, "sessionAttributes": {"count": 3}}},
    "huge-attributes": {"sessionState": {**_DONE, "sessionAttributes": {"history": "y" * (13 * 1024)}}},
    "unknown-intent": {"sessionState": _state(name="OrderPizza")},
    "confirm-without-messages": {"sessionState": _state("ConfirmIntent", name="HelloWorld")},
}


def hook(event: dict[str, Any], context: Any) -> Any:
    EVENTS.append(event)
    CONTEXTS.append(context)
    REMAINING_MS.append(context.get_remaining_time_in_millis())
    text = event["inputTranscript"]
    if text.startswith("raise"):
        raise RuntimeError("the hook failed on purpose")
    if text.startswith("slow"):
        GATE.wait(5)
        return _close(event, "late answer")
    if text.startswith("together"):
        BARRIER[0].wait(10)
        return _close(event, "all arrived")
    if text.startswith("hold"):
        ENTERED.set()
        GATE.wait(5)
        return _close(event, "held answer")
    if text.startswith("invalid:"):
        return INVALID[text.split(":", 1)[1]]
    if text.startswith("failed"):
        return {
            "sessionState": {
                "dialogAction": {"type": "Close"},
                "intent": {"name": event["sessionState"]["intent"]["name"], "state": "Failed"},
            }
        }
    if text.startswith("delegate-again"):
        return {"sessionState": _state("Delegate", name="FallbackIntent", state="ReadyForFulfillment")}
    if text.startswith("elicit-intent"):
        return {
            "sessionState": {"dialogAction": {"type": "ElicitIntent"}},
            "messages": [{"contentType": "PlainText", "content": "What else can I do?"}],
        }
    if text.startswith("confirm-name"):
        return {
            "sessionState": {
                "dialogAction": {"type": "ConfirmIntent"},
                "intent": {
                    "name": "HelloWorld",
                    "state": "InProgress",
                    "slots": {"Name": {"value": {"originalValue": "Zoe", "interpretedValue": "Zoe"}}},
                },
            },
            "messages": [{"contentType": "PlainText", "content": "Are you Zoe?"}],
        }
    if text.startswith("ask-name"):
        return {
            "sessionState": {
                "dialogAction": {"type": "ElicitSlot", "slotToElicit": "Name"},
                "intent": {"name": "HelloWorld", "state": "InProgress"},
            }
        }
    return _close(event, f"echo: {text}")
