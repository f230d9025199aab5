"""The pieces under both providers' streaming: the server-sent-events decoder (lines split anywhere,
CR/LF/CRLF, comments, multi-line data) and the DeltaStream handover (order, finish, failures with the
partial text, idle and deadline limits, cancel from another thread)."""

from __future__ import annotations

import threading
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lambda_chatgpt.deadline import Deadline
from lambda_chatgpt.llm import LlmAuthError, LlmTimeoutError, LlmUnavailableError
from lambda_chatgpt.llm_stream import DeltaSink, DeltaStream
from lambda_chatgpt.retrying import RetryableError
from lambda_chatgpt.sse import SseDecoder, SseEvent

BODY = (
    "\ufeff: keep-alive\r\n"
    'data: {"n": 1}\r\n\r\n'
    "event: error\n"
    "data: first line\n"
    "data:second line\n\n"
    "id: 7\r"
    "retry: 100\r"
    "data: 한국어 텍스트\r\r"
    "data\n\n"
    ": only a comment\n\n"
    "data: [DONE]\n\n"
).encode()
EXPECTED = [
    SseEvent('{"n": 1}'),
    SseEvent("first line\nsecond line", "error"),
    SseEvent("한국어 텍스트"),
    SseEvent(""),
    SseEvent("[DONE]"),
]


def decode(pieces: list[bytes]) -> list[SseEvent]:
    decoder = SseDecoder()
    return [event for piece in pieces for event in decoder.feed(piece)]


def test_the_decoder_reads_every_line_ending_comments_and_fields() -> None:
    assert decode([BODY]) == EXPECTED


def test_a_data_field_with_no_value_still_counts_as_data() -> None:
    assert decode([b"data\n\n"]) == [SseEvent("")]
    assert decode([b"event: x\n\n"]) == []


@given(st.lists(st.integers(min_value=0, max_value=len(BODY)), max_size=12))
def test_the_decoder_gives_the_same_events_however_the_body_is_cut(cuts: list[int]) -> None:
    points = sorted(set(cuts))
    pieces = [BODY[a:b] for a, b in zip([0, *points], [*points, len(BODY)], strict=True)]
    assert decode(pieces) == EXPECTED


def test_a_crlf_split_between_two_reads_is_one_line_end() -> None:
    assert decode([b"data: a\r", b"\ndata: b\r", b"\n\r", b"\n"]) == [SseEvent("a\nb")]


def deadline(seconds: float) -> Deadline:
    return Deadline.for_turn(seconds, None)


def test_deltas_come_in_order_and_the_finish_reason_is_kept() -> None:
    def produce(sink: DeltaSink) -> str:
        for piece in ("one ", "two ", "three"):
            sink.emit(piece)
        return "stop"

    answer = DeltaStream(produce, deadline(5))
    assert list(answer) == ["one ", "two ", "three"]
    assert answer.text == "one two three"
    assert answer.finish_reason == "stop"
    assert answer.first_delta_seconds is not None


def test_a_failure_after_some_text_carries_it_as_partial() -> None:
    def produce(sink: DeltaSink) -> str:
        sink.emit("half ")
        raise LlmUnavailableError("broken")

    answer = DeltaStream(produce, deadline(5))
    assert next(answer) == "half "
    with pytest.raises(LlmUnavailableError) as failure:
        next(answer)
    assert failure.value.partial == "half "
    assert list(answer) == []


def test_a_retryable_error_that_escapes_is_reported_as_its_error() -> None:
    def produce(sink: DeltaSink) -> str:
        raise RetryableError(LlmAuthError("HTTP 401"))

    with pytest.raises(LlmAuthError):
        list(DeltaStream(produce, deadline(5)))


def test_an_unexpected_exception_becomes_unavailable_without_its_message() -> None:
    def produce(sink: DeltaSink) -> str:
        raise KeyError("secret user text")

    with pytest.raises(LlmUnavailableError) as failure:
        list(DeltaStream(produce, deadline(5)))
    assert "secret" not in failure.value.detail
    assert "KeyError" in failure.value.detail


def blocked_producer(started: threading.Event, aborted: threading.Event):
    def produce(sink: DeltaSink) -> str:
        sink.on_abort(aborted.set)
        sink.emit("before ")
        started.set()
        aborted.wait(10)
        return "stop"

    return produce


def test_silence_past_the_idle_limit_times_out_and_aborts() -> None:
    started, aborted = threading.Event(), threading.Event()
    answer = DeltaStream(blocked_producer(started, aborted), deadline(10), idle_seconds=0.2)
    assert next(answer) == "before "
    begun = time.monotonic()
    with pytest.raises(LlmTimeoutError, match=r"nothing for 0\.2 s") as failure:
        next(answer)
    assert 0.15 <= time.monotonic() - begun < 3.0  # the producer blocks for 10 s
    assert failure.value.partial == "before "
    assert aborted.wait(1)


def test_the_deadline_wins_over_a_longer_idle_limit() -> None:
    started, aborted = threading.Event(), threading.Event()
    answer = DeltaStream(blocked_producer(started, aborted), deadline(0.3), idle_seconds=10)
    with pytest.raises(LlmTimeoutError, match="deadline"):
        list(answer)
    assert aborted.wait(1)


def test_cancel_from_another_thread_wakes_the_reader_and_aborts() -> None:
    started, aborted = threading.Event(), threading.Event()
    answer = DeltaStream(blocked_producer(started, aborted), deadline(10), idle_seconds=10)
    assert next(answer) == "before "
    threading.Timer(0.1, answer.cancel).start()
    begun = time.monotonic()
    assert list(answer) == []
    assert time.monotonic() - begun < 3.0
    assert answer.cancelled
    assert aborted.wait(1)
    assert answer.text == "before "


def test_an_abort_registered_after_cancel_runs_at_once() -> None:
    ran = threading.Event()
    registered = threading.Event()

    def produce(sink: DeltaSink) -> str:
        while not sink.cancelled:
            time.sleep(0.01)
        sink.on_abort(ran.set)
        registered.set()
        return "stop"

    answer = DeltaStream(produce, deadline(5))
    answer.close()
    assert registered.wait(1)
    assert ran.is_set()
