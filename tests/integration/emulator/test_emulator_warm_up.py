"""A bot's built-in slot types are loaded in the background at add_bot, so neither add_bot nor the
first answer waits for them (AMAZON.City indexes 34,000 cities the first time: 2-3 s)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from lex_emulator import BotDeployment, LexEmulator
from lex_emulator.slot_types import places
from tests.integration.emulator.emulator_support import lex_client

PLAIN = {"MessageGroupsList": [{"Message": {"PlainTextMessage": {"Value": "Which city?"}}}]}
CITY_BOT: dict[str, Any] = {
    "IdleSessionTTLInSeconds": 300,
    "BotLocales": [
        {
            "LocaleId": "en_US",
            "NluConfidenceThreshold": 0.4,
            "Intents": [
                {
                    "Name": "Visit",
                    "SampleUtterances": [
                        {"Utterance": "plan a visit"},
                        {"Utterance": "plan a visit to {Place}"},
                    ],
                    "Slots": [
                        {
                            "Name": "Place",
                            "SlotTypeName": "AMAZON.City",
                            "ValueElicitationSetting": {
                                "SlotConstraint": "Required",
                                "PromptSpecification": {**PLAIN, "MaxRetries": 1},
                            },
                        }
                    ],
                    "SlotPriorities": [{"Priority": 1, "SlotName": "Place"}],
                },
                {"Name": "FallbackIntent", "ParentIntentSignature": "AMAZON.FallbackIntent"},
            ],
        }
    ],
}


def test_add_bot_returns_at_once_and_the_city_index_is_built_in_the_background(tmp_path: Path) -> None:
    path = tmp_path / "city.json"
    path.write_text(json.dumps(CITY_BOT), encoding="utf-8")
    emulator = LexEmulator()
    deployment = BotDeployment(
        bot_id="CITYBOT001", alias_id="LIVE", alias_name="live", bot_name="City", definition_path=path
    )

    started = time.monotonic()
    emulator.add_bot(deployment)
    added_in = time.monotonic() - started

    assert emulator.wait_until_warm(timeout=120)
    assert places._cities.cache_info().currsize == 1  # the index is built
    running = emulator.serve()
    try:
        started = time.monotonic()
        answer = lex_client(running.url).recognize_text(
            botId="CITYBOT001",
            botAliasId="LIVE",
            localeId="en_US",
            sessionId="visitor-1",
            text="plan a visit to Chicago",
        )
        answered_in = time.monotonic() - started
    finally:
        running.shutdown()

    assert answer["sessionState"]["intent"]["slots"]["Place"]["value"]["interpretedValue"] == "Chicago"
    # Generous bounds for a shared machine; building the index alone takes 2-3 s here.
    assert added_in < 1.5
    assert answered_in < 1.5
