"""The bot corpus's test harness: start an emulator with a corpus bot and talk to it with unmodified boto3.

Each corpus bot is a CloudFormation ``AWS::Lex::Bot`` Properties file under ``bots/`` (or a console
export built into a ``.zip`` by its test). `start_bot` serves one on 127.0.0.1 with a Python code hook
(a plain ``(event, context) -> dict`` function, as a Lambda handler is) and returns a `CorpusBot`
whose `Dialog` objects send RecognizeText through a real ``lexv2-runtime`` client.

Relative dates ("tomorrow", "next Monday") are resolved by Lex against today. `TODAY` is the date the
tests expect the emulator to use: `start_bot` pins the emulator's calendar with ``LexEmulator(today=...)``
to `PINNED_TODAY` (a Thursday); on an emulator without that option `TODAY` is the real date.
"""

from __future__ import annotations

import copy
import inspect
import json
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from lex_emulator import BotDeployment, LexEmulator

BOTS = Path(__file__).resolve().parent / "bots"
BOT_ID = "CORPUSBOT1"
ALIAS_ID = "TSTALIASID"

# A Thursday: relative weekdays ("next Monday") mean the same day whether a week starts on Sunday or Monday.
PINNED_TODAY = date(2026, 3, 12)

Hook = Callable[[dict[str, Any], Any], dict[str, Any]]


def emulator_pins_today() -> bool:
    """Whether `LexEmulator` accepts a ``today`` option (a callable giving the date)."""
    return "today" in inspect.signature(LexEmulator.__init__).parameters


TODAY = PINNED_TODAY if emulator_pins_today() else date.today()


def days_from_today(days: int) -> str:
    """The ISO date Lex gives for a day ``days`` after `TODAY`."""
    return (TODAY + timedelta(days=days)).isoformat()


def next_weekday(weekday: int) -> str:
    """The ISO date of the first given weekday (0 = Monday) after `TODAY`."""
    ahead = (weekday - TODAY.weekday()) % 7 or 7
    return (TODAY + timedelta(days=ahead)).isoformat()


def next_month_day(month: int, day: int) -> str:
    """The ISO date of the next ``month``/``day`` on or after `TODAY`.

    Lex resolves a date said without a year to its next occurrence.
    """
    candidate = date(TODAY.year, month, day)
    if candidate < TODAY:
        candidate = date(TODAY.year + 1, month, day)
    return candidate.isoformat()


def bot_path(name: str) -> Path:
    return BOTS / f"{name}.json"


def load_bot(name: str) -> dict[str, Any]:
    """A corpus bot's definition (the Properties of an ``AWS::Lex::Bot``)."""
    return json.loads(bot_path(name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def lex_client(url: str) -> Any:
    """An unmodified lexv2-runtime client for the emulator; one attempt per call."""
    return boto3.client(
        "lexv2-runtime",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}, read_timeout=30),
    )


@dataclass
class HookRecorder:
    """Wraps a code hook, keeping every event it was called with."""

    handler: Hook
    events: list[dict[str, Any]] = field(default_factory=list)

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        self.events.append(copy.deepcopy(event))  # as Lex sent it, whatever the handler changes
        return self.handler(event, context)

    def labels(self) -> list[str | None]:
        return [event.get("invocationLabel") for event in self.events]

    def sources(self) -> list[str]:
        return [event["invocationSource"] for event in self.events]


class Dialog:
    """One conversation (a session id in one locale) with a served corpus bot."""

    def __init__(self, client: Any, locale: str, session_id: str) -> None:
        self.client = client
        self.locale = locale
        self.session_id = session_id

    def say(self, text: str, **extra: Any) -> dict[str, Any]:
        return self.client.recognize_text(  # type: ignore[no-any-return]
            botId=BOT_ID,
            botAliasId=ALIAS_ID,
            localeId=self.locale,
            sessionId=self.session_id,
            text=text,
            **extra,
        )

    def session(self) -> dict[str, Any]:
        return self.client.get_session(  # type: ignore[no-any-return]
            botId=BOT_ID, botAliasId=ALIAS_ID, localeId=self.locale, sessionId=self.session_id
        )


@dataclass
class CorpusBot:
    """A served corpus bot: its client, the recorded code-hook calls and the fake monotonic clock."""

    client: Any
    hook: HookRecorder | None
    clock: FakeClock

    def dialog(self, locale: str = "en_US", session_id: str = "corpus-session") -> Dialog:
        return Dialog(self.client, locale, session_id)


class FakeClock:
    """Monotonic seconds that move only when a test says so (drives session and context time-outs)."""

    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@contextmanager
def start_bot(definition: Path, hook: Hook | None = None, *, seed: int = 11) -> Iterator[CorpusBot]:
    """Serve ``definition`` (a corpus bot file or export .zip) on 127.0.0.1 with ``hook`` as its Lambda."""
    clock = FakeClock()
    options: dict[str, Any] = {"clock": clock, "rng": random.Random(seed)}
    if emulator_pins_today():
        options["today"] = lambda: PINNED_TODAY
    emulator = LexEmulator(**options)
    recorder = HookRecorder(hook) if hook is not None else None
    emulator.add_bot(
        BotDeployment(
            bot_id=BOT_ID,
            alias_id=ALIAS_ID,
            alias_name="TestBotAlias",
            bot_name=definition.stem,
            definition_path=definition,
            code_hook=recorder,
        )
    )
    running = emulator.serve(host="127.0.0.1", port=0)
    try:
        yield CorpusBot(lex_client(running.url), recorder, clock)
    finally:
        running.shutdown()


# -- reading answers ----------------------------------------------------------------------------


def texts(response: dict[str, Any]) -> list[str]:
    """The content of every message of an answer, in order."""
    return [message.get("content", "") for message in response.get("messages", [])]


def intent_of(response: dict[str, Any]) -> dict[str, Any]:
    return response["sessionState"]["intent"]  # type: ignore[no-any-return]


def action_of(response: dict[str, Any]) -> dict[str, Any]:
    return response["sessionState"]["dialogAction"]  # type: ignore[no-any-return]


def slot(response: dict[str, Any], name: str) -> dict[str, Any] | None:
    return intent_of(response)["slots"].get(name)  # type: ignore[no-any-return]


def value(response: dict[str, Any], name: str) -> dict[str, Any] | None:
    """A slot's ``value`` (originalValue, interpretedValue, resolvedValues), None while it is empty."""
    filled = slot(response, name)
    return None if filled is None else filled.get("value")


def interpreted(response: dict[str, Any], name: str) -> str | None:
    value = slot(response, name)
    return None if value is None else value["value"]["interpretedValue"]


def attributes(response: dict[str, Any]) -> dict[str, str]:
    return response["sessionState"].get("sessionAttributes", {})  # type: ignore[no-any-return]


def contexts(response: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Active contexts of an answer by name."""
    return {context["name"]: context for context in response["sessionState"].get("activeContexts", [])}


def elicits(response: dict[str, Any], slot_name: str) -> bool:
    action = action_of(response)
    return action["type"] == "ElicitSlot" and action.get("slotToElicit") == slot_name


# -- code-hook answers (the Lambda response format, lambda-response-format in the guide) ---------


def _intent(event: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The event's intent (name, slots, confirmation state) with ``changes``; a hook returns all of it."""
    intent = event["sessionState"]["intent"]
    kept = {key: intent[key] for key in ("name", "slots", "confirmationState") if key in intent}
    return {**kept, **changes}


def delegate(event: dict[str, Any], **attributes_: str) -> dict[str, Any]:
    """Let Lex choose the next step, keeping the intent as the event gave it."""
    state = event["sessionState"]
    return {
        "sessionState": {
            "dialogAction": {"type": "Delegate"},
            "intent": _intent(event),
            "sessionAttributes": {**state.get("sessionAttributes", {}), **attributes_},
        }
    }


def elicit_slot(event: dict[str, Any], slot_name: str, message: str, **attributes_: str) -> dict[str, Any]:
    state = event["sessionState"]
    slots = dict(state["intent"]["slots"])
    slots[slot_name] = None
    return {
        "sessionState": {
            "dialogAction": {"type": "ElicitSlot", "slotToElicit": slot_name},
            "intent": _intent(event, slots=slots, state="InProgress"),
            "sessionAttributes": {**state.get("sessionAttributes", {}), **attributes_},
        },
        "messages": [{"contentType": "PlainText", "content": message}],
    }


def close(
    event: dict[str, Any], message: str, state: str = "Fulfilled", **attributes_: str
) -> dict[str, Any]:
    session = event["sessionState"]
    return {
        "sessionState": {
            "dialogAction": {"type": "Close"},
            "intent": {
                "name": session["intent"]["name"],
                "slots": session["intent"]["slots"],
                "state": state,
            },
            "sessionAttributes": {**session.get("sessionAttributes", {}), **attributes_},
        },
        "messages": [{"contentType": "PlainText", "content": message}],
    }
