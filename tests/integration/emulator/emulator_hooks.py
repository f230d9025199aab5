"""Code hooks for the emulator tests, chosen by the user's text so one deployment covers every case.

``hook`` answers a valid Close echoing the input, unless the input names a misbehaviour:
"raise", "slow" (waits on `GATE`, up to 5 s), "hold" (announces itself on `ENTERED`, then waits on
`GATE`), or "invalid:<kind>" for a response Lex would reject (see `INVALID`). It records every event
it gets in `EVENTS`, the context in `CONTEXTS` and its remaining time at the start in `REMAINING_MS`.
"""

from __future__ import annotations

import threading
from typing import Any

EVENTS: list[dict[str, Any]] = []
CONTEXTS: list[Any] = []
REMAINING_MS: list[int] = []
GATE = threading.Event()
ENTERED = threading.Event()


def reset() -> None:
    EVENTS.clear()
    CONTEXTS.clear()
    REMAINING_MS.clear()
    GATE.clear()
    ENTERED.clear()


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
    if text.startswith("ask-name"):
        return {
            "sessionState": {
                "dialogAction": {"type": "ElicitSlot", "slotToElicit": "Name"},
                "intent": {"name": "HelloWorld", "state": "InProgress"},
            }
        }
    return _close(event, f"echo: {text}")
