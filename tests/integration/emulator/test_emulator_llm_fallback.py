"""Unknown input through the emulator to the real lambda_chatgpt handler and a fake OpenAI server."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

import lambda_chatgpt.handler as fallback_handler
from lambda_chatgpt.texts import say
from tests.fakes.openai_server import Behaviour, FakeOpenAIServer
from tests.integration.emulator.emulator_support import Served

FALLBACK_HOOK = "lambda_chatgpt.handler:handler"
DUMMY_KEY = "sk-emulator-test-0123456789abcdef"


@pytest.fixture(scope="module")
def fake_llm() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as llm:
        yield llm


@pytest.fixture
def llm(fake_llm: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAIServer]:
    """The fake LLM, reset, with lambda_chatgpt's environment pointing at it and a fresh container."""
    fake_llm.reset()
    fake_llm.reply = lambda body: f"LLM answer to: {body['messages'][-1]['content']}"
    for name in ("LLM_SECRET_NAME", "LLM_PROVIDER", "LLM_SYSTEM_PROMPT", "LLM_DEADLINE_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LLM_BASE_URL", fake_llm.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", DUMMY_KEY)
    monkeypatch.setenv("LLM_MODEL", "fake-model")
    fallback_handler.reset_container()
    yield fake_llm
    fallback_handler.reset_container()


@pytest.mark.parametrize(
    ("locale", "question"),
    [("en_US", "What is the boiling point of water?"), ("ko_KR", "물의 끓는점은 몇 도인가요?")],
)
def test_unknown_input_is_answered_by_the_llm_fallback(
    serve: Callable[..., Served], llm: FakeOpenAIServer, locale: str, question: str
) -> None:
    served = serve(code_hook=FALLBACK_HOOK)

    response = served.say(question, locale=locale)

    assert response["interpretations"][0]["intent"]["name"] == "FallbackIntent"
    assert response["sessionState"]["dialogAction"] == {"type": "Close"}
    assert response["sessionState"]["intent"]["state"] == "Fulfilled"
    assert [m["content"] for m in response["messages"]] == [f"LLM answer to: {question}"]
    (request,) = llm.requests
    assert request.body is not None
    assert request.body["model"] == "fake-model"
    assert request.body["messages"][-1] == {"role": "user", "content": question}
    assert request.authorization_scheme == "Bearer"


def test_the_conversation_memory_rides_in_session_attributes(
    serve: Callable[..., Served], llm: FakeOpenAIServer
) -> None:
    served = serve(code_hook=FALLBACK_HOOK)
    served.say("Who wrote Hamlet?", locale="en_US")

    served.say("When was he born?", locale="en_US")

    second = llm.requests[1].body
    assert second is not None
    contents = [message["content"] for message in second["messages"]]
    assert "Who wrote Hamlet?" in contents
    assert "LLM answer to: Who wrote Hamlet?" in contents


def test_greetings_still_go_to_helloworld_and_not_to_the_llm(
    serve: Callable[..., Served], llm: FakeOpenAIServer
) -> None:
    served = serve(code_hook=FALLBACK_HOOK)

    response = served.say("안녕하세요")

    assert response["sessionState"]["intent"]["name"] == "HelloWorld"
    assert llm.requests == []


def test_the_fallback_uses_the_context_countdown_to_answer_before_lex_gives_up(
    serve: Callable[..., Served], llm: FakeOpenAIServer
) -> None:
    llm.default = Behaviour.slow(5.0)
    served = serve(code_hook=FALLBACK_HOOK, hook_timeout_seconds=3.0)

    response = served.say("Tell me a very long story", locale="en_US")

    # The handler sees ~3 s left on its context and answers its own "too long" message in time,
    # rather than leaving Lex to send the post-fulfillment TimeoutResponse.
    assert [m["content"] for m in response["messages"]] == [say("timeout", "en_US")]
    assert response["sessionState"]["intent"]["name"] == "FallbackIntent"
