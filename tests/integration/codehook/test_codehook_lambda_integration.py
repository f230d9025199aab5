"""The code-hook Lambda's entry point (`lambda_codehook.handler.handler`) with its real environment:
ask_llm sees the conversation memory, a broken handlers folder fails only the handled intents,
and the fallback keeps answering."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import lambda_codehook.handler as codehook_handler
from lambda_chatgpt.memory import ATTRIBUTE
from lexhook.testing import make_event
from tests.fakes.openai_server import FakeOpenAIServer
from tests.integration.codehook.conftest import LLM_REPLY
from tests.integration.lambdas.lambda_support import FakeLambdaContext

pytestmark = pytest.mark.usefixtures("codehook_env")


def call(event: dict[str, Any]) -> dict[str, Any]:
    return codehook_handler.handler(event, FakeLambdaContext(25_000))


def test_ask_llm_sends_the_remembered_conversation_then_the_prompt(llm: FakeOpenAIServer) -> None:
    memory = {
        "v": 1,
        "messages": [
            {"role": "user", "content": "my name is Mina"},
            {"role": "assistant", "content": "Hi Mina"},
        ],
    }
    event = make_event(
        "OrderTea",
        source="FulfillmentCodeHook",
        slots={"Cups": "7"},
        session_attributes={ATTRIBUTE: json.dumps(memory)},
        request_attributes={"x-chatbot-turn": "m1"},
    )

    response = call(event)

    assert [m["content"] for m in response["messages"]] == ["Brewing 7 cups.", LLM_REPLY]
    (request,) = llm.requests
    assert request.body is not None
    sent = request.body["messages"]
    assert sent[0]["role"] == "system"
    assert sent[1:] == [
        {"role": "user", "content": "my name is Mina"},
        {"role": "assistant", "content": "Hi Mina"},
        {"role": "user", "content": "Write one line about tea."},
    ]
    # The handler's turn does not write the memory itself: /chat records it (shared protocol).
    assert response["sessionState"]["sessionAttributes"][ATTRIBUTE] == json.dumps(memory)


def test_fallback_turns_through_the_router_are_marked_llm(llm: FakeOpenAIServer) -> None:
    event = make_event(
        "FallbackIntent",
        source="FulfillmentCodeHook",
        transcript="what is a teapot",
        request_attributes={"x-chatbot-turn": "q"},
    )

    response = call(event)

    assert [m["content"] for m in response["messages"]] == [LLM_REPLY]
    assert response["sessionState"]["sessionAttributes"]["x-chatbot-answered-by"] == "q:llm"


def test_a_broken_handlers_folder_fails_handled_intents_but_not_the_fallback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, llm: FakeOpenAIServer
) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "order_tea.py").write_text("import no_such_module_anywhere\n", encoding="utf-8")
    monkeypatch.setenv("INTENT_HANDLERS_DIR", str(broken))
    codehook_handler.reset_router()

    failed = call(make_event("OrderTea", source="FulfillmentCodeHook", slots={"Cups": "2"}))
    answered = call(make_event("FallbackIntent", source="FulfillmentCodeHook", transcript="hi there"))

    assert failed["sessionState"]["intent"]["state"] == "Failed"
    assert failed["messages"][0]["content"].startswith("Sorry")
    assert [m["content"] for m in answered["messages"]] == [LLM_REPLY]
