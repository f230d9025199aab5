"""A small tea-shop bot with fulfillment hooks, its handlers, a fake OpenAI server and the emulator
running `lambda_codehook.handler:handler` as the bot's one code hook."""

from __future__ import annotations

import json
import os
import random
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import lambda_chatgpt.handler as fallback_handler
import lambda_codehook.handler as codehook_handler
from lex_emulator import BotDeployment, LexEmulator
from tests.fakes.openai_server import FakeOpenAIServer
from tests.integration.emulator.emulator_support import lex_client

BOT_ID = "TEASHOPBOT"
ALIAS_ID = "TEASHOPALI"
LLM_REPLY = "The fake LLM answers this."


def _plain(text: str) -> dict[str, Any]:
    return {"MessageGroupsList": [{"Message": {"PlainTextMessage": {"Value": text}}}]}


def _intent(name: str, utterances: list[str], **extra: Any) -> dict[str, Any]:
    return {"Name": name, "SampleUtterances": [{"Utterance": u} for u in utterances], **extra}


TEA_BOT: dict[str, Any] = {
    "IdleSessionTTLInSeconds": 300,
    "BotLocales": [
        {
            "LocaleId": "en_US",
            "NluConfidenceThreshold": 0.4,
            "Intents": [
                _intent(
                    "OrderTea",
                    ["I want tea", "order some tea", "I would like {Cups} cups of tea", "tea for {Cups}"],
                    Slots=[
                        {
                            "Name": "Cups",
                            "SlotTypeName": "AMAZON.Number",
                            "ValueElicitationSetting": {
                                "SlotConstraint": "Required",
                                "PromptSpecification": {**_plain("How many cups?"), "MaxRetries": 1},
                            },
                        }
                    ],
                    SlotPriorities=[{"Priority": 1, "SlotName": "Cups"}],
                    FulfillmentCodeHook={"Enabled": True},
                ),
                _intent(
                    "PingShop",
                    ["ping the shop", "is the shop there", "shop status check"],
                    FulfillmentCodeHook={
                        "Enabled": True,
                        "PostFulfillmentStatusSpecification": {
                            "SuccessResponse": _plain("Pong from the bot.")
                        },
                    },
                ),
                _intent(
                    "AskRefund",
                    ["I want a refund", "give me my money back", "refund my order"],
                    FulfillmentCodeHook={
                        "Enabled": True,
                        "PostFulfillmentStatusSpecification": {
                            "FailureResponse": _plain("Refunds are handled at the counter.")
                        },
                    },
                ),
                {
                    "Name": "FallbackIntent",
                    "ParentIntentSignature": "AMAZON.FallbackIntent",
                    "FulfillmentCodeHook": {"Enabled": True},
                },
            ],
        }
    ],
}

HANDLERS = {
    "order_tea.py": """
        from lexhook import IntentRequest, Response, close

        from ._words import cups_text


        def fulfillment(request: IntentRequest) -> Response:
            poem = request.ask_llm("Write one line about tea.") if request.value("Cups") == "7" else ""
            return close([f"Brewing {cups_text(request.value('Cups'))}.", *([poem] if poem else [])])
    """,
    "_words.py": """
        def cups_text(value):
            return "1 cup" if value == "1" else f"{value} cups"
    """,
    "ask_refund.py": """
        def fulfillment(request):
            raise RuntimeError("the till is closed")
    """,
}


@pytest.fixture
def tea_shop(tmp_path: Path) -> tuple[Path, Path]:
    bot_file = tmp_path / "tea" / "bot.json"
    handlers = bot_file.parent / "handlers"
    handlers.mkdir(parents=True)
    bot_file.write_text(json.dumps(TEA_BOT), encoding="utf-8")
    for name, source in HANDLERS.items():
        (handlers / name).write_text(textwrap.dedent(source), encoding="utf-8")
    return bot_file, handlers


@pytest.fixture
def llm() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer(reply=LLM_REPLY) as server:
        yield server


@pytest.fixture
def codehook_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tea_shop: tuple[Path, Path], llm: FakeOpenAIServer
) -> Iterator[None]:
    for name in list(os.environ):
        if name.startswith(("AWS_", "LLM_", "OPENAI_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("BOT_DEFINITION_FILE", str(tea_shop[0]))
    monkeypatch.setenv("INTENT_HANDLERS_DIR", str(tea_shop[1]))
    monkeypatch.setenv("LLM_BASE_URL", llm.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-codehook")
    monkeypatch.setenv("LLM_MODEL", "fake-model")
    codehook_handler.reset_router()
    fallback_handler.reset_container()
    yield
    codehook_handler.reset_router()
    fallback_handler.reset_container()


@pytest.fixture
def say(codehook_env: None, tea_shop: tuple[Path, Path]) -> Iterator[Callable[..., dict[str, Any]]]:
    """One RecognizeText through unmodified boto3 to the emulator, with /chat's turn attribute."""
    emulator = LexEmulator(rng=random.Random(7))
    emulator.add_bot(
        BotDeployment(
            bot_id=BOT_ID,
            alias_id=ALIAS_ID,
            alias_name="live",
            bot_name="TeaShop",
            definition_path=tea_shop[0],
            code_hook="lambda_codehook.handler:handler",
        )
    )
    running = emulator.serve(host="127.0.0.1", port=0)
    client = lex_client(running.url)

    def turn(text: str, session: str = "tea-1", turn_id: str = "turn-1") -> dict[str, Any]:
        return client.recognize_text(  # type: ignore[no-any-return]
            botId=BOT_ID,
            botAliasId=ALIAS_ID,
            localeId="en_US",
            sessionId=session,
            text=text,
            requestAttributes={"x-chatbot-turn": turn_id},
        )

    yield turn
    running.shutdown()
