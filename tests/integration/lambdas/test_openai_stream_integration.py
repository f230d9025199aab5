"""OpenAIChatProvider.complete_stream against the streaming fake OpenAI server on 127.0.0.1: deltas in
order, first-token latency, cancel (the server sees the client go away), death mid-stream, silence,
the whole-exchange deadline, malformed and out-of-order events, errors before the stream."""

from __future__ import annotations

import threading
import time

import pytest

from lambda_chatgpt.api_key import StaticKey
from lambda_chatgpt.deadline import Deadline
from lambda_chatgpt.llm import (
    LlmAuthError,
    LlmBadResponseError,
    LlmTimeoutError,
    LlmUnavailableError,
    Message,
)
from lambda_chatgpt.llm_stream import DeltaStream
from lambda_chatgpt.openai_provider import OpenAIChatProvider
from lambda_chatgpt.retrying import RetryPolicy
from tests.fakes.openai_server import Behaviour, FakeOpenAIServer, ReceivedRequest, stream_chunk

PROMPT = [Message("system", "You answer briefly."), Message("user", "Tell me about streaming.")]
PIECES = ("Streaming ", "sends ", "the ", "answer ", "piece ", "by ", "piece.")


@pytest.fixture
def llm(llm_server: FakeOpenAIServer) -> FakeOpenAIServer:
    """The module's fake server (conftest.py), reset, answering PIECES."""
    llm_server.reset()
    llm_server.reply = "".join(PIECES)
    return llm_server


def provider(llm: FakeOpenAIServer, *, idle: float = 5.0) -> OpenAIChatProvider:
    return OpenAIChatProvider(
        base_url=llm.base_url,
        model="fake-model",
        max_tokens=200,
        keys=StaticKey("sk-stream-test-key"),
        policy=RetryPolicy(base_delay=0.01, max_delay=0.05),
        stream_idle_seconds=idle,
    )


def stream(llm: FakeOpenAIServer, *, seconds: float = 10.0, idle: float = 5.0) -> DeltaStream:
    answer = provider(llm, idle=idle).complete_stream(PROMPT, Deadline.for_turn(seconds, None))
    assert isinstance(answer, DeltaStream)
    return answer


def last_request(llm: FakeOpenAIServer) -> ReceivedRequest:
    return llm.requests[-1]


def test_the_deltas_arrive_in_order_and_make_the_whole_answer(llm: FakeOpenAIServer) -> None:
    llm.script(Behaviour.streamed(PIECES))
    answer = stream(llm)
    assert list(answer) == list(PIECES)
    assert answer.text == "".join(PIECES)
    assert answer.finish_reason == "stop"
    body = last_request(llm).body
    assert body is not None
    assert body["stream"] is True
    assert body["max_tokens"] == 200
    assert body["messages"][-1] == {"role": "user", "content": "Tell me about streaming."}
    assert last_request(llm).authorization_scheme == "Bearer"


def test_the_reply_text_is_cut_into_several_deltas_by_default(llm: FakeOpenAIServer) -> None:
    llm.reply = "하나 둘 셋 넷 다섯"
    answer = stream(llm)
    deltas = list(answer)
    assert len(deltas) == 5
    assert answer.text == "하나 둘 셋 넷 다섯"


def test_the_first_delta_arrives_while_the_rest_is_still_being_written(llm: FakeOpenAIServer) -> None:
    llm.script(Behaviour.streamed(PIECES, first_token_delay=0.4, chunk_pause=0.15))
    answer = stream(llm)
    first = next(answer)
    first_seen = time.monotonic()
    rest = list(answer)
    done = time.monotonic()
    assert [first, *rest] == list(PIECES)
    assert answer.first_delta_seconds is not None
    assert 0.4 <= answer.first_delta_seconds < 3.0
    # Six more pieces 0.15 s apart were still to come when the first one was handed over.
    assert done - first_seen >= 0.8


def test_an_answer_longer_than_the_idle_limit_arrives_whole_when_it_keeps_flowing(
    llm: FakeOpenAIServer,
) -> None:
    pieces = tuple(f"word{n} " for n in range(25))
    llm.script(Behaviour.streamed(pieces, chunk_pause=0.1))
    started = time.monotonic()
    answer = stream(llm, seconds=20.0, idle=0.6)
    assert "".join(answer) == "".join(pieces)
    assert time.monotonic() - started >= 2.4  # four times the idle limit, never tripped


def test_closing_the_stream_cancels_the_request_and_the_server_sees_the_client_go(
    llm: FakeOpenAIServer,
) -> None:
    pieces = tuple(f"p{n} " for n in range(40))
    llm.script(Behaviour.streamed(pieces, chunk_pause=0.1))
    answer = stream(llm)
    assert [next(answer), next(answer)] == ["p0 ", "p1 "]
    answer.close()
    record = last_request(llm)
    assert record.client_gone.wait(3.0)
    assert record.chunks_sent < 10
    assert list(answer) == []
    assert answer.text == "p0 p1 "


def test_stop_before_the_first_token_ends_the_wait_and_the_request_at_once(llm: FakeOpenAIServer) -> None:
    llm.script(Behaviour.streamed(PIECES, first_token_delay=10.0))
    answer = stream(llm, seconds=20.0, idle=15.0)
    threading.Timer(0.3, answer.cancel).start()
    started = time.monotonic()
    assert list(answer) == []
    assert time.monotonic() - started < 3.0  # the first token was 10 s away
    assert answer.cancelled
    record = last_request(llm)
    assert record.client_gone.wait(3.0)
    assert record.chunks_sent == 0


def test_a_stream_that_dies_mid_answer_raises_with_the_partial_text(llm: FakeOpenAIServer) -> None:
    llm.script(Behaviour.stream_dies(3, PIECES))
    answer = stream(llm)
    received: list[str] = []
    with pytest.raises(LlmUnavailableError) as failure:
        received.extend(answer)  # keeps the deltas that came before the failure
    assert received == list(PIECES[:3])
    assert failure.value.partial == "".join(PIECES[:3])
    assert "key" not in failure.value.detail


def test_silence_past_the_idle_limit_raises_timeout_and_drops_the_connection(llm: FakeOpenAIServer) -> None:
    llm.script(Behaviour.stream_silent(2, 5.0, PIECES))
    answer = stream(llm, idle=0.5)
    started = time.monotonic()
    with pytest.raises(LlmTimeoutError) as failure:
        list(answer)
    assert 0.4 <= time.monotonic() - started < 3.5  # the silence lasts 5 s
    assert failure.value.partial == "".join(PIECES[:2])
    assert last_request(llm).client_gone.wait(3.0)


def test_the_deadline_caps_the_whole_exchange_even_when_deltas_keep_coming(llm: FakeOpenAIServer) -> None:
    pieces = tuple(f"w{n} " for n in range(100))
    llm.script(Behaviour.streamed(pieces, chunk_pause=0.05))
    answer = stream(llm, seconds=1.0, idle=5.0)
    started = time.monotonic()
    with pytest.raises(LlmTimeoutError) as failure:
        list(answer)
    assert 0.8 <= time.monotonic() - started < 3.5  # the whole answer takes 5 s
    assert failure.value.partial.startswith("w0 w1 ")
    assert failure.value.partial != "".join(pieces)


def test_an_event_that_is_not_json_is_a_bad_response_with_the_partial_text(llm: FakeOpenAIServer) -> None:
    llm.script(Behaviour.stream_malformed(2, PIECES))
    with pytest.raises(LlmBadResponseError) as failure:
        list(stream(llm))
    assert failure.value.partial == "".join(PIECES[:2])


def test_content_after_the_finish_is_refused_as_out_of_order(llm: FakeOpenAIServer) -> None:
    llm.script(
        Behaviour.stream_events(
            stream_chunk("", role="assistant"),
            stream_chunk("Done."),
            stream_chunk(finish_reason="stop"),
            stream_chunk(" And more."),
            "[DONE]",
        )
    )
    with pytest.raises(LlmBadResponseError) as failure:
        list(stream(llm))
    assert failure.value.partial == "Done."


def test_an_error_event_in_the_stream_is_unavailable(llm: FakeOpenAIServer) -> None:
    llm.script(
        Behaviour.stream_events(
            stream_chunk("", role="assistant"),
            stream_chunk("Half"),
            {"error": {"message": "overloaded", "type": "server_error"}},
        )
    )
    with pytest.raises(LlmUnavailableError) as failure:
        list(stream(llm))
    assert "server_error" in failure.value.detail
    assert failure.value.partial == "Half"


def test_comments_other_choices_and_a_missing_done_after_the_finish_are_tolerated(
    llm: FakeOpenAIServer,
) -> None:
    llm.script(
        Behaviour.stream_events(
            stream_chunk("", role="assistant"),
            stream_chunk("Only "),
            stream_chunk("ignored", index=1),
            stream_chunk("choice zero."),
            stream_chunk(finish_reason="length"),
        )
    )
    answer = stream(llm)
    assert "".join(answer) == "Only choice zero."
    assert answer.finish_reason == "length"


def test_a_stream_with_no_content_is_an_empty_answer(llm: FakeOpenAIServer) -> None:
    llm.script(Behaviour.streamed(()))
    with pytest.raises(LlmBadResponseError, match="empty"):
        list(stream(llm))


def test_a_429_before_the_stream_starts_is_retried(llm: FakeOpenAIServer) -> None:
    llm.script(Behaviour.rate_limited(retry_after=0.1), Behaviour.streamed(PIECES))
    assert "".join(stream(llm)) == "".join(PIECES)
    assert len(llm.requests) == 2


def test_a_rejected_key_is_an_auth_error_from_the_stream(llm: FakeOpenAIServer) -> None:
    llm.script(Behaviour.http_error(401, "bad key"))
    with pytest.raises(LlmAuthError):
        list(stream(llm))


def test_max_completion_tokens_is_used_when_the_server_asks_for_it(llm: FakeOpenAIServer) -> None:
    llm.script(
        Behaviour.http_error(400, "Use 'max_completion_tokens' instead.", param="max_tokens"),
        Behaviour.streamed(PIECES),
    )
    assert "".join(stream(llm)) == "".join(PIECES)
    body = last_request(llm).body
    assert body is not None
    assert body["max_completion_tokens"] == 200
    assert "max_tokens" not in body


def test_a_dropped_stream_object_cancels_its_request(llm: FakeOpenAIServer) -> None:
    pieces = tuple(f"x{n} " for n in range(40))
    llm.script(Behaviour.streamed(pieces, chunk_pause=0.1))
    answer = stream(llm)
    next(answer)
    del answer
    record = last_request(llm)
    assert record.client_gone.wait(3.0)
    assert record.chunks_sent < 15
