"""The usage of a streamed OpenAI answer, against the streaming fake server on 127.0.0.1: the request
asks for `stream_options.include_usage`, the final usage chunk (empty `choices`) is metered as a
`complete` call's usage is; a server that refuses the option (400/422 naming it) is asked again
without it, once, and never again by that provider; a server that sends no usage leaves none; a
cancelled stream meters nothing and never waits for the usage chunk."""

from __future__ import annotations

import time

import pytest

from lambda_chatgpt import token_usage
from lambda_chatgpt.api_key import StaticKey
from lambda_chatgpt.deadline import Deadline
from lambda_chatgpt.llm import LlmUnavailableError, Message, TokenUsage
from lambda_chatgpt.openai_provider import OpenAIChatProvider
from lambda_chatgpt.retrying import RetryPolicy
from tests.fakes.openai_server import Behaviour, FakeOpenAIServer, stream_chunk

PROMPT = [Message("system", "Count your words."), Message("user", "How are tokens counted?")]
PIECES = ("Tokens ", "are ", "counted ", "by ", "the ", "server.")
INCLUDE_USAGE = {"include_usage": True}


@pytest.fixture
def llm(llm_server: FakeOpenAIServer) -> FakeOpenAIServer:
    """The module's fake server (conftest.py), reset, answering PIECES."""
    llm_server.reset()
    llm_server.reply = "".join(PIECES)
    return llm_server


def provider(llm: FakeOpenAIServer) -> OpenAIChatProvider:
    return OpenAIChatProvider(
        base_url=llm.base_url,
        model="fake-model",
        max_tokens=150,
        keys=StaticKey("sk-usage-test-key"),
        policy=RetryPolicy(base_delay=0.01, max_delay=0.05),
        stream_idle_seconds=5.0,
    )


def answer(chat: OpenAIChatProvider) -> tuple[str, TokenUsage | None, token_usage.UsageMeter]:
    """The whole streamed answer, its reported usage, and what a meter around it counted."""
    stream = chat.complete_stream(PROMPT, Deadline.for_turn(10.0, None))
    with token_usage.metering() as meter:
        text = "".join(stream)
    return text, stream.usage, meter


def stream_options_sent(llm: FakeOpenAIServer) -> list[object]:
    return [(request.body or {}).get("stream_options") for request in llm.requests]


def test_the_usage_chunk_is_asked_for_and_metered(llm: FakeOpenAIServer) -> None:
    llm.script(Behaviour.streamed(PIECES))
    text, usage, meter = answer(provider(llm))
    assert text == "".join(PIECES)
    # The fake counts one prompt token and one completion token per piece.
    assert usage == TokenUsage(1, len(PIECES))
    assert meter.calls == [TokenUsage(1, len(PIECES))]
    assert meter.total == 1 + len(PIECES)
    assert stream_options_sent(llm) == [INCLUDE_USAGE]


def test_usage_in_a_chunk_of_its_own_after_the_finish_is_read_whatever_its_numbers(
    llm: FakeOpenAIServer,
) -> None:
    counts = {"prompt_tokens": 431, "completion_tokens": 58, "total_tokens": 489}
    usage_chunk = {"id": "c", "object": "chat.completion.chunk", "choices": [], "usage": counts}
    llm.script(
        Behaviour.stream_events(
            stream_chunk("", role="assistant"),
            stream_chunk("Fifty-eight tokens."),
            stream_chunk(finish_reason="stop"),
            usage_chunk,
            "[DONE]",
        )
    )
    text, usage, meter = answer(provider(llm))
    assert text == "Fifty-eight tokens."
    assert usage == TokenUsage(431, 58)
    assert meter.total == 489


def test_a_server_that_sends_no_usage_leaves_none_to_meter(llm: FakeOpenAIServer) -> None:
    llm.script(
        Behaviour.stream_events(
            stream_chunk("", role="assistant"),
            stream_chunk("No usage here."),
            stream_chunk(finish_reason="stop"),
            "[DONE]",
        )
    )
    text, usage, meter = answer(provider(llm))
    assert text == "No usage here."
    assert usage is None
    assert meter.total is None


def test_a_server_refusing_stream_options_is_asked_again_without_them_and_never_again(
    llm: FakeOpenAIServer,
) -> None:
    chat = provider(llm)
    llm.script(
        Behaviour.http_error(400, "Unrecognized request argument supplied: stream_options", "stream_options"),
        Behaviour.streamed(PIECES),
        Behaviour.streamed(PIECES),
    )
    first, usage, meter = answer(chat)
    assert first == "".join(PIECES)
    assert usage is None
    assert meter.total is None
    second, _, _ = answer(chat)
    assert second == "".join(PIECES)
    assert stream_options_sent(llm) == [INCLUDE_USAGE, None, None]


def test_a_validation_error_naming_stream_options_also_drops_them(llm: FakeOpenAIServer) -> None:
    # A pydantic-based server answers 422 and names the field in its message, with no `param`.
    llm.script(
        Behaviour.http_error(422, "body.stream_options: extra inputs are not permitted"),
        Behaviour.streamed(PIECES),
    )
    text, _, _ = answer(provider(llm))
    assert text == "".join(PIECES)
    assert stream_options_sent(llm) == [INCLUDE_USAGE, None]


def test_a_400_about_another_field_is_a_failure_and_keeps_asking_for_usage(llm: FakeOpenAIServer) -> None:
    chat = provider(llm)
    llm.script(
        Behaviour.http_error(400, "messages must not be empty", "messages"), Behaviour.streamed(PIECES)
    )
    with pytest.raises(LlmUnavailableError):
        answer(chat)
    assert len(llm.requests) == 1
    _, usage, _ = answer(chat)
    assert usage == TokenUsage(1, len(PIECES))
    assert stream_options_sent(llm) == [INCLUDE_USAGE, INCLUDE_USAGE]


def test_a_refusal_that_repeats_without_stream_options_is_not_retried_again(llm: FakeOpenAIServer) -> None:
    refusal = Behaviour.http_error(400, "stream_options is not supported", "stream_options")
    llm.script(refusal, refusal, Behaviour.streamed(PIECES))
    with pytest.raises(LlmUnavailableError):
        answer(provider(llm))
    assert stream_options_sent(llm) == [INCLUDE_USAGE, None]


def test_a_cancelled_stream_meters_nothing_and_does_not_wait_for_the_usage_chunk(
    llm: FakeOpenAIServer,
) -> None:
    pieces = tuple(f"word{n} " for n in range(50))
    llm.script(Behaviour.streamed(pieces, chunk_pause=0.2))
    stream = provider(llm).complete_stream(PROMPT, Deadline.for_turn(20.0, None))
    with token_usage.metering() as meter:
        assert next(stream) == "word0 "
        asked = time.monotonic()
        stream.cancel()
        assert list(stream) == []
        assert llm.requests[-1].client_gone.wait(2.0)
    assert time.monotonic() - asked < 0.5
    assert stream.usage is None
    assert meter.calls == []
    assert llm.requests[-1].chunks_sent < len(pieces)


def test_a_stream_cancelled_between_its_finish_and_its_usage_chunk_ends_at_once(
    llm: FakeOpenAIServer,
) -> None:
    counts = {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15}
    llm.script(
        Behaviour.stream_events(
            stream_chunk("All said."),
            stream_chunk(finish_reason="stop"),
            {"id": "c", "object": "chat.completion.chunk", "choices": [], "usage": counts},
            "[DONE]",
            chunk_pause=1.5,
        )
    )
    stream = provider(llm).complete_stream(PROMPT, Deadline.for_turn(20.0, None))
    with token_usage.metering() as meter:
        assert next(stream) == "All said."
        time.sleep(1.7)  # the finish has arrived; the usage chunk is 1.5 s away
        asked = time.monotonic()
        stream.cancel()
        assert list(stream) == []
        assert llm.requests[-1].client_gone.wait(2.0)
    assert time.monotonic() - asked < 0.5
    assert (stream.usage, meter.calls) == (None, [])
