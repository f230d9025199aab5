"""The long poll's timing (AWS reads): answer as soon as there is new text, after a ~100 ms pause
that gathers more; at the end; or after 20 s with a keep-alive; never past the Lambda's remaining
time. Time is a fake clock the fake store's waits move, so nothing here sleeps."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from answer_store import ReadResult
from lambda_answers.reading import long_poll, stream_events
from lambda_answers.sse_format import Delta, End, KeepAlive
from lambda_chatgpt.sse import SseDecoder

ANSWER = "0b5d5a7e-34c1-4f0e-9d4b-6a1f2e3c4d5e"


@dataclass
class Clock:
    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@dataclass
class Job:
    job: dict[str, Any]


class ScriptedStore:
    """An answer whose pieces arrive at given times (relative to the clock's start) and which ends
    at `ends_at` with `status`; `read` waits on the fake clock as the real stores wait for a write."""

    def __init__(
        self,
        clock: Clock,
        pieces: list[tuple[float, str]],
        ends_at: float | None = None,
        status: str = "done",
        error_kind: str | None = None,
        locale: str = "en_US",
    ) -> None:
        self.clock = clock
        start = clock.now
        self.pieces = [(start + at, text) for at, text in pieces]
        self.ends_at = None if ends_at is None else start + ends_at
        self.status = status
        self.error_kind = error_kind
        self.locale = locale
        self.waits: list[float] = []

    def _state(self, after: int) -> tuple[list[str], bool]:
        arrived = [text for at, text in self.pieces if at <= self.clock.now]
        ended = self.ends_at is not None and self.ends_at <= self.clock.now
        return arrived, ended

    def read(self, answer_id: str, after: int, wait_seconds: float) -> ReadResult | None:
        if answer_id != ANSWER:
            return None
        self.waits.append(wait_seconds)
        give_up = self.clock.now + wait_seconds
        while True:
            arrived, ended = self._state(after)
            if len(arrived) > after or ended or self.clock.now >= give_up:
                return ReadResult(
                    text="".join(arrived[after:]),
                    cursor=max(after, len(arrived)),
                    status=self.status if ended else "running",
                    error_kind=self.error_kind if ended else None,
                    finish_reason="stop" if ended and self.status == "done" else None,
                )
            upcoming = [at for at, _ in self.pieces if at > self.clock.now]
            if self.ends_at is not None and self.ends_at > self.clock.now:
                upcoming.append(self.ends_at)
            self.clock.now = min([give_up, *upcoming])

    def get(self, answer_id: str) -> Job | None:
        return Job({"locale": self.locale}) if answer_id == ANSWER else None


def poll(store: ScriptedStore, clock: Clock, after: int = 0, time_left: float | None = None) -> Any:
    left = None if time_left is None else (lambda: time_left - (clock.now - 1000.0))
    return long_poll(store, ANSWER, after, time_left=left, clock=clock, sleep=clock.sleep)  # type: ignore[arg-type]


def test_new_text_is_answered_after_a_100_ms_pause_that_gathers_what_came_meanwhile() -> None:
    clock = Clock()
    store = ScriptedStore(clock, [(0.0, "Tides "), (0.05, "are "), (0.3, "late.")])
    events = poll(store, clock)
    assert events == [Delta("Tides are ", 2)]
    assert clock.sleeps == [pytest.approx(0.1)]
    assert clock.now == pytest.approx(1000.1)


def test_a_reader_waiting_for_text_gets_it_when_it_comes_not_at_the_20_s_mark() -> None:
    clock = Clock()
    store = ScriptedStore(clock, [(4.0, "Hello")])
    assert poll(store, clock) == [Delta("Hello", 1)]
    assert store.waits[0] == 20.0
    assert clock.now == pytest.approx(1004.1)


def test_nothing_new_for_20_s_answers_with_only_a_keep_alive() -> None:
    clock = Clock()
    store = ScriptedStore(clock, [(0.0, "Hello"), (60.0, " again")])
    assert poll(store, clock, after=1) == [KeepAlive()]
    assert clock.now == pytest.approx(1020.0)
    assert clock.sleeps == []


def test_the_wait_stays_inside_the_lambdas_remaining_time() -> None:
    clock = Clock()
    store = ScriptedStore(clock, [(60.0, "late")])
    assert poll(store, clock, time_left=8.0) == [KeepAlive()]
    assert store.waits == [pytest.approx(6.5)]  # 8 s left minus the 1.5 s response margin
    assert poll(store, clock, time_left=1.0 + 6.5) == [KeepAlive()]  # 1 s left now: no wait at all
    assert store.waits[1] == 0.0


def test_the_coalescing_pause_never_runs_past_the_deadline() -> None:
    clock = Clock()
    store = ScriptedStore(clock, [(19.97, "just in time")])
    assert poll(store, clock) == [Delta("just in time", 1)]
    assert clock.sleeps == [pytest.approx(0.03)]


def test_an_answer_that_ends_answers_at_once_with_its_text_then_the_end() -> None:
    clock = Clock()
    store = ScriptedStore(clock, [(0.0, "All "), (0.0, "done.")], ends_at=0.0)
    events = poll(store, clock)
    assert events == [Delta("All done.", 2), End(cursor=2, status="done", finish_reason="stop", notice=None)]
    assert clock.sleeps == []


def test_an_end_with_nothing_new_is_the_end_alone_with_a_notice_in_the_answers_language() -> None:
    clock = Clock()
    store = ScriptedStore(
        clock, [(0.0, "부분")], ends_at=2.0, status="failed", error_kind="timeout", locale="ko_KR"
    )
    [end] = poll(store, clock, after=1)
    assert isinstance(end, End)
    assert (end.cursor, end.status, end.error_kind) == (1, "failed", "timeout")
    assert end.notice is not None
    assert "시간" in end.notice  # the Korean timeout text


def test_an_unknown_answer_is_none() -> None:
    clock = Clock()
    store = ScriptedStore(clock, [])
    assert long_poll(store, "another", 0, clock=clock, sleep=clock.sleep) is None  # type: ignore[arg-type]


def test_a_stream_sends_keep_alives_every_15_s_of_silence_and_ends_with_the_end() -> None:
    clock = Clock()
    store = ScriptedStore(clock, [(1.0, "Hi"), (40.0, " there")], ends_at=41.0, status="stopped")
    stream = stream_events(store, ANSWER, 0, keepalive_seconds=15.0, poll_seconds=1.0, clock=clock)  # type: ignore[arg-type]
    timeline: list[tuple[float, str]] = []
    decoder = SseDecoder()
    for chunk in stream:
        if chunk.startswith(b":"):
            timeline.append((clock.now - 1000.0, "keep-alive"))
        for event in decoder.feed(chunk):
            timeline.append((clock.now - 1000.0, event.event))
    assert timeline == [
        (1.0, "delta"),
        (16.0, "keep-alive"),
        (31.0, "keep-alive"),
        (40.0, "delta"),
        (41.0, "end"),
    ]
    assert max(store.waits) == 1.0
