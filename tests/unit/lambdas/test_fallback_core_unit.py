"""The fallback turn with an in-memory provider: prompt, memory, and a message for every failure."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pytest

from lambda_chatgpt.codehook import Turn
from lambda_chatgpt.deadline import Deadline
from lambda_chatgpt.fallback import answer_turn, system_message
from lambda_chatgpt.llm import (
    LlmAuthError,
    LlmBadResponseError,
    LlmError,
    LlmKeyUnavailableError,
    LlmNotConfiguredError,
    LlmRateLimitedError,
    LlmTimeoutError,
    LlmUnavailableError,
    Message,
)
from lambda_chatgpt.memory import ATTRIBUTE, load_history
from lambda_chatgpt.texts import failure_text, say


class FakeProvider:
    name = "fake"
    model = "fake-1"

    def __init__(self, answer: str | LlmError = "An answer.") -> None:
        self.answer = answer
        self.calls: list[list[Message]] = []

    def complete(self, messages: Sequence[Message], deadline: Deadline) -> str:
        self.calls.append(list(messages))
        if isinstance(self.answer, LlmError):
            raise self.answer
        return self.answer

    def complete_stream(self, messages: Sequence[Message], deadline: Deadline) -> Iterator[str]:
        raise NotImplementedError("the fallback turn does not stream yet")


def turn(text: str = "What is Lex?", locale: str = "en_US", attributes: dict[str, str] | None = None) -> Turn:
    return Turn(
        session_id="s",
        locale=locale,
        transcript=text,
        invocation_source="FulfillmentCodeHook",
        attributes=attributes or {},
        intent={"name": "FallbackIntent"},
    )


def ask(provider: FakeProvider, the_turn: Turn, *, secret_name: str | None = None, history_limit: int = 10):
    return answer_turn(
        the_turn,
        provider,
        system_prompt="You are a bot.",
        history_limit=history_limit,
        secret_name=secret_name,
        deadline=Deadline.for_turn(5.0, None),
    )


def test_the_prompt_is_system_then_memory_then_the_question() -> None:
    provider = FakeProvider("Lex is a bot service.")
    first = ask(provider, turn("What is Lex?"))
    assert first.kind == "answered"
    assert first.contents == ["Lex is a bot service."]
    second = ask(provider, turn("And Bedrock?", attributes=first.attributes))
    roles = [m.role for m in provider.calls[1]]
    assert roles == ["system", "user", "assistant", "user"]
    assert provider.calls[1][1:] == [
        Message("user", "What is Lex?"),
        Message("assistant", "Lex is a bot service."),
        Message("user", "And Bedrock?"),
    ]
    assert len(load_history(second.attributes)[0]) == 4


def test_the_system_prompt_names_the_users_locale() -> None:
    assert system_message("P", "ko_KR").content == "P\n\nThe user's chat is set to Korean (ko_KR)."
    assert system_message("P", "de_DE").content.endswith("set to de_DE.")


def test_history_limit_bounds_what_the_model_sees() -> None:
    provider = FakeProvider()
    attributes: dict[str, str] = {}
    for n in range(6):
        attributes = ask(provider, turn(f"q{n}", attributes=attributes), history_limit=4).attributes
    assert [m.content for m in provider.calls[-1][1:]] == ["q3", "An answer.", "q4", "An answer.", "q5"]


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (LlmTimeoutError(), "timeout"),
        (LlmRateLimitedError(), "rate_limited"),
        (LlmUnavailableError(), "unavailable"),
        (LlmBadResponseError(), "bad_response"),
        (LlmAuthError(), "auth_failed"),
        (LlmKeyUnavailableError(), "key_unavailable"),
        (LlmNotConfiguredError(), "not_configured"),
    ],
)
@pytest.mark.parametrize("locale", ["ko_KR", "en_US"])
def test_every_failure_is_a_friendly_message_and_memory_stays_as_it_was(
    error: LlmError, kind: str, locale: str
) -> None:
    before = ask(FakeProvider("first answer"), turn("first", locale=locale)).attributes
    outcome = ask(
        FakeProvider(error), turn("second", locale=locale, attributes=before), secret_name="my-secret"
    )
    assert outcome.kind == kind
    assert outcome.contents == [failure_text(kind, locale, secret_name="my-secret")]
    assert outcome.attributes == before
    if locale == "ko_KR":
        assert any("\uac00" <= ch <= "\ud7a3" for ch in outcome.contents[0])  # Hangul
    else:
        assert outcome.contents[0].isascii() or "…" in outcome.contents[0]


def test_not_configured_tells_how_to_set_the_secret_or_the_local_variables() -> None:
    with_secret = failure_text("not_configured", "en_US", secret_name="LlmKey-abc")
    assert "aws secretsmanager put-secret-value --secret-id LlmKey-abc --secret-string" in with_secret
    korean = failure_text("not_configured", "ko_KR", secret_name="LlmKey-abc")
    assert "put-secret-value --secret-id LlmKey-abc" in korean
    local = failure_text("not_configured", "en_US", secret_name=None)
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "LLM_MODEL", "make serve"):
        assert name in local


def test_other_locales_get_english() -> None:
    assert say("timeout", "ja_JP") == say("timeout", "en_US")
    assert say("timeout", "ko_KR") != say("timeout", "en_US")


def test_a_blank_transcript_asks_for_a_question_without_calling_the_model() -> None:
    provider = FakeProvider()
    outcome = ask(provider, turn("   ", locale="ko_KR", attributes={"k": "v"}))
    assert outcome.kind == "empty_input"
    assert outcome.contents == [say("empty_input", "ko_KR")]
    assert outcome.attributes == {"k": "v"}
    assert provider.calls == []


def test_a_corrupted_memory_is_noted_and_replaced_by_the_new_turn() -> None:
    outcome = ask(FakeProvider("fresh"), turn("q", attributes={ATTRIBUTE: "{broken"}))
    assert outcome.memory_note
    assert [m.content for m in load_history(outcome.attributes)[0]] == ["q", "fresh"]
