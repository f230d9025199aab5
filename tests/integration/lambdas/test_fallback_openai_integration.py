"""The fallback handler against a real chat-completions server on 127.0.0.1 (tests/fakes): answers,
slowness past the deadline, 429s, 5xx, broken answers, big answers, dropped connections, memory."""

from __future__ import annotations

import copy
import time
from typing import Any

import pytest

import lambda_chatgpt.handler as fallback_handler
from lambda_chatgpt.memory import ATTRIBUTE, SESSION_ATTRIBUTES_BUDGET_BYTES, attributes_size, load_history
from lambda_chatgpt.texts import say
from tests.fakes.openai_server import Behaviour, FakeOpenAIServer, ReceivedRequest
from tests.integration.lambdas.codehook_contract import assert_fallback_close, texts
from tests.integration.lambdas.lambda_support import FakeLambdaContext, LogCapture, load_event

pytestmark = pytest.mark.usefixtures("fallback_env")
KEY = "sk-test-integration-key-0001"


@pytest.fixture
def llm(fake_llm: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch) -> FakeOpenAIServer:
    fake_llm.reply = "Amazon Lex builds chatbots."
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("LLM_MODEL", "fake-model")
    monkeypatch.setenv("LLM_MAX_TOKENS", "321")
    return fake_llm


def turn(
    locale: str = "en_US",
    text: str | None = None,
    attributes: dict[str, Any] | None = None,
    remaining_ms: int = 25_000,
) -> dict[str, Any]:
    event = copy.deepcopy(load_event(f"lex_codehook_fallback_{locale}.json"))
    if text is not None:
        event["inputTranscript"] = text
    if attributes is not None:
        event["sessionState"]["sessionAttributes"] = attributes
    response = fallback_handler.handler(event, FakeLambdaContext(remaining_ms))
    assert_fallback_close(response)
    return response


def attributes_of(response: dict[str, Any]) -> dict[str, str]:
    attributes: dict[str, str] = response["sessionState"]["sessionAttributes"]
    return attributes


def sent(request: ReceivedRequest) -> dict[str, Any]:
    """The JSON body the fake received (every request in these tests has one)."""
    assert request.body is not None
    return request.body


def test_a_normal_answer_in_the_documented_shape(llm: FakeOpenAIServer) -> None:
    response = turn("en_US")
    assert texts(response) == ["Amazon Lex builds chatbots."]
    intent = response["sessionState"]["intent"]
    assert intent == {
        "name": "FallbackIntent",
        "state": "Fulfilled",
        "slots": {},
        "confirmationState": "None",
    }
    assert attributes_of(response)["greetedName"] == "Mina"
    [request] = llm.requests
    assert request.path == "/v1/chat/completions"
    assert (sent(request)["model"], sent(request)["max_tokens"]) == ("fake-model", 321)
    assert [m["role"] for m in sent(request)["messages"]] == ["system", "user"]
    assert sent(request)["messages"][1]["content"] == "What can Amazon Lex do?"
    assert "English (en_US)" in sent(request)["messages"][0]["content"]
    assert request.authorization_scheme == "Bearer"


def test_emoji_and_korean_come_back_intact(llm: FakeOpenAIServer) -> None:
    llm.reply = "안녕하세요! 🙂👍🏽 렉스는 챗봇 서비스예요. 𝄞"
    assert texts(turn("ko_KR")) == ["안녕하세요! 🙂👍🏽 렉스는 챗봇 서비스예요. 𝄞"]
    assert "Korean (ko_KR)" in sent(llm.requests[0])["messages"][0]["content"]


def test_a_keyless_compatible_server_gets_no_authorization_header(
    llm: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY")
    assert texts(turn()) == ["Amazon Lex builds chatbots."]
    assert not llm.requests[0].had_authorization


def test_nothing_configured_locally_says_how_to_configure(monkeypatch: pytest.MonkeyPatch) -> None:
    response = turn("en_US")
    assert "OPENAI_API_KEY" in texts(response)[0]
    assert "make serve" in texts(response)[0]
    assert "OPENAI_API_KEY" in texts(turn("ko_KR"))[0]


def test_slower_than_the_deadline_answers_in_time_with_a_timeout_message(
    llm: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLM_DEADLINE_SECONDS", "0.8")
    llm.script(Behaviour.slow(3.0))
    started = time.monotonic()
    response = turn("ko_KR")
    assert time.monotonic() - started < 2.5, "the turn must end at its deadline, not when the server answers"
    assert texts(response) == [say("timeout", "ko_KR")]
    assert len(llm.requests) == 1


def test_the_lambdas_remaining_time_shortens_the_deadline(llm: FakeOpenAIServer) -> None:
    llm.script(Behaviour.slow(3.0))
    response = turn("en_US", remaining_ms=2_300)  # minus the 1.5 s margin: 0.8 s for the model
    assert texts(response) == [say("timeout", "en_US")]


def test_429_with_retry_after_then_success_waits_as_told(llm: FakeOpenAIServer) -> None:
    llm.script(Behaviour.rate_limited(retry_after=0.3), Behaviour.ok())
    assert texts(turn()) == ["Amazon Lex builds chatbots."]
    first, second = llm.requests
    assert second.received_at - first.received_at >= 0.3


def test_429_forever_gives_up_with_a_rate_limit_message_and_memory_intact(llm: FakeOpenAIServer) -> None:
    llm.default = Behaviour.rate_limited(retry_after=0.05)
    before = {"greetedName": "Mina", ATTRIBUTE: '{"v":1,"messages":[{"role":"user","content":"earlier"}]}'}
    response = turn("ko_KR", attributes=before)
    assert texts(response) == [say("rate_limited", "ko_KR")]
    assert attributes_of(response) == before
    assert len(llm.requests) == 4


def test_a_retry_after_longer_than_the_deadline_is_not_waited_for(
    llm: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLM_DEADLINE_SECONDS", "2")
    llm.script(Behaviour.rate_limited(retry_after=30))
    assert texts(turn()) == [say("rate_limited", "en_US")]
    assert len(llm.requests) == 1


def test_500_then_200_is_retried(llm: FakeOpenAIServer) -> None:
    llm.script(Behaviour.server_error(), Behaviour.ok("second time lucky"))
    assert texts(turn()) == ["second time lucky"]
    assert len(llm.requests) == 2


def test_a_dropped_connection_is_retried(llm: FakeOpenAIServer) -> None:
    llm.script(Behaviour.drop(), Behaviour.ok("after the drop"))
    assert texts(turn()) == ["after the drop"]


def test_connections_dropped_every_time_end_with_a_friendly_message(llm: FakeOpenAIServer) -> None:
    llm.default = Behaviour.drop()
    assert texts(turn("ko_KR")) == [say("unavailable", "ko_KR")]


@pytest.mark.parametrize("behaviour", [Behaviour.malformed(), Behaviour.wrong_shape(), Behaviour.empty()])
def test_unusable_answers_give_a_friendly_message_and_are_not_remembered(
    llm: FakeOpenAIServer, behaviour: Behaviour
) -> None:
    llm.script(behaviour)
    response = turn("en_US")
    assert texts(response) == [say("bad_response", "en_US")]
    assert ATTRIBUTE not in attributes_of(response)
    assert len(llm.requests) == 1


def test_a_20_kb_answer_is_split_into_at_most_ten_messages_with_a_marker(llm: FakeOpenAIServer) -> None:
    llm.script(Behaviour.big(20_000))
    messages = texts(turn("ko_KR"))
    assert len(messages) == 10
    assert all(1 <= len(m) <= 1024 for m in messages)
    assert messages[-1].endswith(say("truncated", "ko_KR"))
    assert messages[0].startswith("This is a long answer sentence number 0.")


def test_a_rejected_key_says_so(llm: FakeOpenAIServer) -> None:
    llm.script(Behaviour.http_error(401, "Incorrect API key provided: sk-tes***0001"))
    assert texts(turn()) == [say("auth_failed_local", "en_US")]


def test_a_server_that_wants_max_completion_tokens_gets_it(llm: FakeOpenAIServer) -> None:
    llm.script(Behaviour.http_error(400, "Use 'max_completion_tokens' instead.", param="max_tokens"))
    assert texts(turn()) == ["Amazon Lex builds chatbots."]
    first, second = llm.requests
    assert "max_tokens" in sent(first)
    assert "max_tokens" not in sent(second)
    assert sent(second)["max_completion_tokens"] == 321


def test_other_client_errors_are_not_retried(llm: FakeOpenAIServer) -> None:
    llm.script(Behaviour.http_error(404, "The model does not exist"))
    assert texts(turn()) == [say("unavailable", "en_US")]
    assert len(llm.requests) == 1


def test_memory_is_carried_across_turns(llm: FakeOpenAIServer) -> None:
    llm.reply = lambda body: f"answer to: {body['messages'][-1]['content']}"
    first = turn("en_US", text="first question")
    second = turn("en_US", text="second question", attributes=attributes_of(first))
    history_sent = [(m["role"], m["content"]) for m in sent(llm.requests[1])["messages"][1:]]
    assert history_sent == [
        ("user", "first question"),
        ("assistant", "answer to: first question"),
        ("user", "second question"),
    ]
    history, _ = load_history(attributes_of(second))
    assert [m.content for m in history][-2:] == ["second question", "answer to: second question"]


def test_memory_is_trimmed_to_the_last_messages_and_the_byte_budget(
    llm: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLM_HISTORY_MESSAGES", "6")
    llm.reply = lambda body: "긴 답변입니다. " * 150 + body["messages"][-1]["content"]
    attributes = {"greetedName": "Mina"}
    for n in range(8):
        attributes = attributes_of(turn("ko_KR", text=f"질문 {n}", attributes=attributes))
        assert attributes_size(attributes) <= SESSION_ATTRIBUTES_BUDGET_BYTES
    history, _ = load_history(attributes)
    assert 2 <= len(history) <= 6
    assert history[-2].content == "질문 7"
    assert history[-1].content.endswith("질문 7")
    assert attributes["greetedName"] == "Mina"
    assert len(sent(llm.requests[-1])["messages"]) <= 1 + 6 + 1


def test_a_corrupted_memory_attribute_does_not_break_the_turn(
    llm: FakeOpenAIServer, fallback_logs: LogCapture
) -> None:
    response = turn("en_US", attributes={ATTRIBUTE: "\x00{garbage", "other": "kept"})
    assert texts(response) == ["Amazon Lex builds chatbots."]
    assert attributes_of(response)["other"] == "kept"
    assert load_history(attributes_of(response))[0][-1].content == "Amazon Lex builds chatbots."
    [line] = [line for line in fallback_logs.lines() if line["message"] == "fallback turn"]
    assert "memory_note" in line


def test_a_turn_after_a_failure_works_normally(llm: FakeOpenAIServer) -> None:
    llm.script(Behaviour.malformed())
    failed = turn("en_US", text="one")
    ok = turn("en_US", text="two", attributes=attributes_of(failed))
    assert texts(ok) == ["Amazon Lex builds chatbots."]


def test_a_misconfigured_fallback_still_answers_a_valid_close(
    monkeypatch: pytest.MonkeyPatch, fallback_logs: LogCapture
) -> None:
    monkeypatch.setenv("LLM_PROVIDER", "gemini")
    response = turn("ko_KR")
    assert texts(response) == [say("misconfigured", "ko_KR")]
    assert any("LLM_PROVIDER='gemini'" in line.get("problem", "") for line in fallback_logs.lines())


def test_an_unexpected_bug_still_answers_a_valid_close(
    llm: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch, fallback_logs: LogCapture
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise KeyError("a bug")

    monkeypatch.setattr(fallback_handler, "answer_turn", broken)
    response = turn("en_US")
    assert texts(response) == [say("unavailable", "en_US")]
    assert any(line["level"] == "ERROR" for line in fallback_logs.lines())
