"""A small bot built in a test, run turn by turn on a `LocaleRuntime` with a scripted code hook."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any

from lex_emulator.definition_loader import parse_bot_definition
from lex_emulator.dialog import BotInfo, LocaleRuntime, TurnResult
from lex_emulator.recognition import IntentRanker
from lex_emulator.sessions import Session

Hook = Callable[[dict[str, Any], Any], Any]


class NoScores:
    """A recogniser that scores nothing: only sample utterances (exact or with slots) are recognised."""

    def recognize(self, text: str) -> list[Any]:
        return []


def no_nlu(intents: Any, *, locale: str) -> NoScores:
    return NoScores()


def say(text: str) -> dict[str, Any]:
    return {"MessageGroupsList": [{"Message": {"PlainTextMessage": {"Value": text}}}]}


def slot(name: str, prompt: str, slot_type: str = "AMAZON.Number", **elicitation: Any) -> dict[str, Any]:
    return {
        "Name": name,
        "SlotTypeName": slot_type,
        "ValueElicitationSetting": {
            "SlotConstraint": "Required",
            "PromptSpecification": {**say(prompt), "MaxRetries": 1},
            **elicitation,
        },
    }


def intent(
    name: str, utterances: Sequence[str], slots: Sequence[dict[str, Any]] = (), **extra: Any
) -> dict[str, Any]:
    return {
        "Name": name,
        "SampleUtterances": [{"Utterance": text} for text in utterances],
        "Slots": list(slots),
        "SlotPriorities": [
            {"Priority": index + 1, "SlotName": item["Name"]} for index, item in enumerate(slots)
        ],
        **extra,
    }


FALLBACK = {"Name": "FallbackIntent", "ParentIntentSignature": "AMAZON.FallbackIntent"}


def bot(*intents: dict[str, Any], slot_types: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    return {
        "IdleSessionTTLInSeconds": 300,
        "BotLocales": [
            {
                "LocaleId": "en_US",
                "NluConfidenceThreshold": 0.4,
                "Intents": [*intents, FALLBACK],
                "SlotTypes": list(slot_types),
            }
        ],
    }


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Conversation:
    """One session on one runtime; ``events`` records every code-hook event."""

    def __init__(self, definition: dict[str, Any], hook: Hook | None = None) -> None:
        self.events: list[dict[str, Any]] = []
        self.clock = Clock()
        locale = parse_bot_definition(definition).locales["en_US"]

        def recording(event: dict[str, Any], context: Any) -> Any:
            self.events.append(event)
            assert hook is not None
            return hook(event, context)

        self.runtime = LocaleRuntime(
            bot=BotInfo("TESTBOT001", "TestBot", "TESTALIAS", "live", "DRAFT"),
            locale=locale,
            ranker=IntentRanker(locale, no_nlu),
            hook=recording if hook is not None else None,
            hook_name="test-hook",
            hook_timeout=5.0,
            rng=random.Random(7),
            clock=self.clock,
        )
        self.session = Session(key=("TESTBOT001", "TESTALIAS", "en_US", "s-1"), ttl_seconds=300, last_used=0)

    def say(self, text: str, **kwargs: Any) -> TurnResult:
        return self.runtime.recognize_text(
            self.session,
            text,
            request_attributes=kwargs.get("request_attributes"),
            session_state=kwargs.get("session_state"),
        )


def texts(result: TurnResult) -> list[str]:
    return [message.get("content", "") for message in result.messages]


def state(result: TurnResult) -> tuple[str, str | None, str | None, str | None]:
    action = result.session_state.get("dialogAction", {})
    current = result.session_state.get("intent") or {}
    return action.get("type"), action.get("slotToElicit"), current.get("name"), current.get("state")


def slot_value(result: TurnResult, name: str) -> str | None:
    value = result.session_state["intent"]["slots"].get(name)
    return value["value"]["interpretedValue"] if value else None


def delegate(event: dict[str, Any], *, slots: dict[str, Any] | None = None) -> dict[str, Any]:
    current = dict(event["sessionState"]["intent"])
    if slots is not None:
        current["slots"] = {**current["slots"], **slots}
    return {"sessionState": {"dialogAction": {"type": "Delegate"}, "intent": current}}


def number(text: str) -> dict[str, Any]:
    return {"value": {"originalValue": text, "interpretedValue": text, "resolvedValues": [text]}}
