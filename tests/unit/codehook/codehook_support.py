"""A small bot, handler folders written on the fly, and a router wired with fakes."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lambda_chatgpt.deadline import Deadline
from lambda_codehook.bot_model import BotModel
from lambda_codehook.discovery import discover
from lambda_codehook.router import Router


def plain(text: str) -> dict[str, Any]:
    return {"MessageGroupsList": [{"Message": {"PlainTextMessage": {"Value": text}}}]}


def intent(
    name: str, *, dialog: bool = False, fulfillment: bool = False, failure: bool = False
) -> dict[str, Any]:
    hook: dict[str, Any] = {"Enabled": fulfillment}
    if failure:
        hook["PostFulfillmentStatusSpecification"] = {"FailureResponse": plain("That did not work.")}
    return {
        "Name": name,
        "SampleUtterances": [{"Utterance": f"do {name}"}],
        "Slots": [
            {"Name": "Drink", "SlotTypeName": "AMAZON.AlphaNumeric"},
            {"Name": "Quantity", "SlotTypeName": "AMAZON.Number"},
        ],
        "DialogCodeHook": {"Enabled": dialog},
        "FulfillmentCodeHook": hook,
    }


BOT: dict[str, Any] = {
    "IdleSessionTTLInSeconds": 300,
    "BotLocales": [
        {
            "LocaleId": "en_US",
            "NluConfidenceThreshold": 0.4,
            "Intents": [
                intent("OrderCoffee", dialog=True, fulfillment=True),
                intent("PayBill", fulfillment=True, failure=True),
                intent("CheckHours", fulfillment=True),
                {"Name": "FallbackIntent", "ParentIntentSignature": "AMAZON.FallbackIntent"},
            ],
        },
        {
            "LocaleId": "ko_KR",
            "NluConfidenceThreshold": 0.4,
            "Intents": [intent("OrderCoffee", dialog=True, fulfillment=True)],
        },
    ],
}


def write_handlers(folder: Path, files: Mapping[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, source in files.items():
        (folder / name).write_text(textwrap.dedent(source), encoding="utf-8")
    return folder


class FakeContext:
    def __init__(self, remaining_ms: int = 30_000) -> None:
        self.remaining_ms = remaining_ms

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


class RecordingLog:
    def __init__(self) -> None:
        self.lines: list[tuple[str, str, dict[str, Any]]] = []

    def info(self, msg: str, *, extra: dict[str, Any]) -> None:
        self.lines.append(("info", msg, extra))

    def error(self, msg: str, *, extra: dict[str, Any]) -> None:
        self.lines.append(("error", msg, extra))


class FakeLlm:
    def __init__(self, answer: str = "a short poem", error: Exception | None = None) -> None:
        self.answer = answer
        self.error = error
        self.calls: list[dict[str, Any]] = []

    def deadline(self, remaining_millis: int | None) -> Deadline:
        return Deadline.for_turn(5.0, remaining_millis)

    def ask(
        self,
        prompt: str,
        *,
        instructions: str | None,
        locale: str,
        attributes: Mapping[str, str],
        deadline: Deadline,
        session_id: str = "",
        client: str | None = None,
    ) -> str:
        self.calls.append(
            {
                "prompt": prompt,
                "instructions": instructions,
                "locale": locale,
                "attributes": dict(attributes),
                "session_id": session_id,
                "client": client,
            }
        )
        if self.error is not None:
            raise self.error
        return self.answer


def fallback_hook(event: Any, context: Any) -> dict[str, Any]:
    return {"fallback": True}


def make_router(
    folder: Path | None, *, llm: FakeLlm | None = None, log: RecordingLog | None = None
) -> Router:
    bot = BotModel.from_dict(BOT, source="bot.json")
    return Router(
        bot,
        discover(folder, bot, package="test_intent_handlers"),
        fallback=fallback_hook,
        llm=llm or FakeLlm(),
        log=log or RecordingLog(),
    )
