"""BedrockConverseProvider.complete_stream over a recorded ConverseStream answer: the event stream is
built in the test in AWS's binary event-stream encoding and parsed by botocore's own EventStream, so
deltas, stop reasons, the `metadata` event's usage and exception events (botocore's EventStreamError)
are read as in AWS."""

from __future__ import annotations

import json
import struct
import threading
import time
import zlib
from collections.abc import Iterator
from typing import Any

import botocore.session
import pytest
from botocore.eventstream import EventStream
from botocore.exceptions import ClientError
from botocore.model import StructureShape
from botocore.parsers import EventStreamJSONParser

from lambda_chatgpt import token_usage
from lambda_chatgpt.bedrock_provider import BedrockConverseProvider
from lambda_chatgpt.deadline import Deadline
from lambda_chatgpt.llm import (
    LlmBadResponseError,
    LlmNotConfiguredError,
    LlmRateLimitedError,
    LlmTimeoutError,
    LlmUnavailableError,
    Message,
    TokenUsage,
)
from lambda_chatgpt.llm_stream import DeltaStream
from lambda_chatgpt.retrying import RetryPolicy
from lambda_chatgpt.wiring import NoProvider

MODEL = "amazon.nova-lite-v1:0"
PROMPT = [Message("system", "Be brief."), Message("user", "What is a stream?")]


def _header(name: str, value: str) -> bytes:
    raw_name, raw_value = name.encode(), value.encode()
    return bytes([len(raw_name)]) + raw_name + bytes([7]) + struct.pack(">H", len(raw_value)) + raw_value


def frame(kind: str, name: str, payload: dict[str, Any]) -> bytes:
    """One event-stream message: prelude (lengths + CRC), string headers, JSON payload, CRC."""
    type_header = ":event-type" if kind == "event" else ":exception-type"
    headers = b"".join(
        [
            _header(":message-type", kind),
            _header(type_header, name),
            _header(":content-type", "application/json"),
        ]
    )
    body = json.dumps(payload).encode()
    prelude = struct.pack(">II", 12 + len(headers) + len(body) + 4, len(headers))
    prelude += struct.pack(">I", zlib.crc32(prelude))
    message = prelude + headers + body
    return message + struct.pack(">I", zlib.crc32(message))


def answer_frames(
    *texts: str, stop: str | None = "end_turn", usage: dict[str, int] | None = None
) -> list[bytes]:
    frames = [frame("event", "messageStart", {"role": "assistant"})]
    frames += [
        frame("event", "contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": t}}) for t in texts
    ]
    frames.append(frame("event", "contentBlockStop", {"contentBlockIndex": 0}))
    if stop is not None:
        frames.append(frame("event", "messageStop", {"stopReason": stop}))
        usage = usage or {"inputTokens": 3, "outputTokens": 4, "totalTokens": 7}
        frames.append(frame("event", "metadata", {"usage": usage, "metrics": {"latencyMs": 120}}))
    return frames


class RecordedBody:
    """The raw HTTP body botocore reads the event stream from; pauses before chosen frames."""

    def __init__(self, frames: list[bytes], pauses: dict[int, float] | None = None) -> None:
        self._frames = frames
        self._pauses = pauses or {}
        self.closed = threading.Event()

    def stream(self) -> Iterator[bytes]:
        for number, data in enumerate(self._frames):
            end = time.monotonic() + self._pauses.get(number, 0.0)
            while time.monotonic() < end and not self.closed.is_set():
                time.sleep(0.01)
            if self.closed.is_set():
                raise ConnectionError("the body was closed")
            # Split each frame in two reads: botocore must reassemble frames across reads.
            yield data[:7]
            yield data[7:]

    def close(self) -> None:
        self.closed.set()


class ScriptedClient:
    """bedrock-runtime's converse_stream, answering from a script of bodies or errors."""

    def __init__(self, *outcomes: RecordedBody | ClientError) -> None:
        self._outcomes = list(outcomes)
        # The service model only (no client, so no credentials or region are looked up).
        self._shape = botocore.session.get_session().get_service_model("bedrock-runtime")
        self.calls: list[dict[str, Any]] = []

    def converse_stream(self, **params: Any) -> dict[str, Any]:
        self.calls.append(params)
        outcome = self._outcomes.pop(0)
        if isinstance(outcome, ClientError):
            raise outcome
        output = self._shape.operation_model("ConverseStream").output_shape
        assert output is not None
        shape = output.members["stream"]
        assert isinstance(shape, StructureShape)
        return {"stream": EventStream(outcome, shape, EventStreamJSONParser(), "ConverseStream")}


def client_error(code: str, status: int) -> ClientError:
    response: Any = {
        "Error": {"Code": code, "Message": "recorded"},
        "ResponseMetadata": {"HTTPStatusCode": status},
    }
    return ClientError(response, "ConverseStream")


def stream_from(client: ScriptedClient, *, seconds: float = 10.0, idle: float = 5.0) -> DeltaStream:
    provider = BedrockConverseProvider(
        model=MODEL,
        max_tokens=300,
        client_factory=lambda timeout: client,  # type: ignore[arg-type,return-value]
        policy=RetryPolicy(base_delay=0.01, max_delay=0.02),
        stream_idle_seconds=idle,
    )
    return provider.complete_stream(PROMPT, Deadline.for_turn(seconds, None))


def test_text_deltas_arrive_in_order_with_the_stop_reason() -> None:
    client = ScriptedClient(RecordedBody(answer_frames("A stream ", "is data ", "in pieces.")))
    answer = stream_from(client)
    assert list(answer) == ["A stream ", "is data ", "in pieces."]
    assert answer.finish_reason == "end_turn"
    (call,) = client.calls
    assert call["modelId"] == MODEL
    assert call["system"] == [{"text": "Be brief."}]
    assert call["messages"] == [{"role": "user", "content": [{"text": "What is a stream?"}]}]
    assert call["inferenceConfig"] == {"maxTokens": 300}


def test_throttling_before_the_stream_is_retried() -> None:
    client = ScriptedClient(client_error("ThrottlingException", 429), RecordedBody(answer_frames("ok")))
    assert "".join(stream_from(client)) == "ok"
    assert len(client.calls) == 2


def test_throttling_that_never_ends_is_rate_limited() -> None:
    client = ScriptedClient(*[client_error("ThrottlingException", 429) for _ in range(4)])
    with pytest.raises(LlmRateLimitedError):
        list(stream_from(client))


def test_an_exception_event_mid_stream_raises_with_the_partial_text() -> None:
    frames = answer_frames("first ", "second ", stop=None)[:3]
    frames.append(frame("exception", "modelStreamErrorException", {"message": "the model failed"}))
    with pytest.raises(LlmUnavailableError) as failure:
        list(stream_from(ScriptedClient(RecordedBody(frames))))
    assert failure.value.detail == "ModelStreamErrorException"
    assert failure.value.partial == "first second "


def test_a_throttling_event_mid_stream_is_rate_limited_and_not_retried() -> None:
    frames = answer_frames("part ", stop=None)[:2]
    frames.append(frame("exception", "throttlingException", {"message": "slow down"}))
    client = ScriptedClient(RecordedBody(frames), RecordedBody(answer_frames("never")))
    with pytest.raises(LlmRateLimitedError) as failure:
        list(stream_from(client))
    assert failure.value.partial == "part "
    assert len(client.calls) == 1


def test_a_stream_that_ends_without_message_stop_is_unavailable() -> None:
    with pytest.raises(LlmUnavailableError, match="messageStop") as failure:
        list(stream_from(ScriptedClient(RecordedBody(answer_frames("cut ", "off", stop=None)))))
    assert failure.value.partial == "cut off"


def test_a_stream_with_no_text_is_an_empty_answer() -> None:
    with pytest.raises(LlmBadResponseError, match="empty"):
        list(stream_from(ScriptedClient(RecordedBody(answer_frames()))))


def test_silence_past_the_idle_limit_times_out_and_closes_the_body() -> None:
    body = RecordedBody(answer_frames("one ", "two"), pauses={2: 5.0})
    started = time.monotonic()
    with pytest.raises(LlmTimeoutError) as failure:
        list(stream_from(ScriptedClient(body), idle=0.4))
    assert time.monotonic() - started < 3.5  # the silence lasts 5 s
    assert failure.value.partial == "one "
    assert body.closed.wait(1.0)


def test_closing_the_stream_closes_the_body() -> None:
    body = RecordedBody(answer_frames("a ", "b ", "c"), pauses={2: 3.0})
    answer = stream_from(ScriptedClient(body))
    assert next(answer) == "a "
    answer.close()
    assert body.closed.wait(1.0)
    assert list(answer) == []
    assert answer.text == "a "


def test_no_provider_refuses_to_stream_as_not_configured() -> None:
    with pytest.raises(LlmNotConfiguredError):
        NoProvider().complete_stream(PROMPT, Deadline.for_turn(5.0, None))


def test_the_metadata_usage_is_metered_like_a_converse_answer() -> None:
    usage = {"inputTokens": 212, "outputTokens": 37, "totalTokens": 249}
    answer = stream_from(ScriptedClient(RecordedBody(answer_frames("Counted ", "tokens.", usage=usage))))
    with token_usage.metering() as meter:
        assert "".join(answer) == "Counted tokens."
    assert answer.usage == TokenUsage(212, 37)
    assert meter.calls == [TokenUsage(212, 37)]
    assert meter.total == 249


def test_a_stream_without_metadata_reports_no_usage() -> None:
    frames = [f for f in answer_frames("No ", "usage.") if b"metadata" not in f]
    answer = stream_from(ScriptedClient(RecordedBody(frames)))
    with token_usage.metering() as meter:
        assert "".join(answer) == "No usage."
    assert answer.usage is None
    assert meter.total is None


def test_a_cancelled_stream_meters_nothing_and_does_not_wait_for_the_metadata() -> None:
    body = RecordedBody(answer_frames("first ", "second"), pauses={2: 5.0})
    answer = stream_from(ScriptedClient(body))
    with token_usage.metering() as meter:
        assert next(answer) == "first "
        started = time.monotonic()
        answer.cancel()
        assert list(answer) == []
    assert time.monotonic() - started < 0.5
    assert body.closed.wait(1.0)
    assert meter.calls == []
