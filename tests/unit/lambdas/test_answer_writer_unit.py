"""The answer worker's core (`write_answer`) with scripted streams and the embedded answer store:
batching, Stop (while waiting and mid-answer), failures keeping the partial text, the idle limit and
the deadline, duplicate events, heartbeats, surrogate halves, budgets and metrics."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from answer_store import EmbeddedAnswerStore
from lambda_chatgpt import metrics, texts
from lambda_chatgpt.answer_writer import SKIPPED, write_answer
from lambda_chatgpt.budget import BudgetLimits, TokenBudget
from lambda_chatgpt.llm import LlmBadResponseError, LlmNotConfiguredError, LlmUnavailableError
from tests.unit.lambdas.answer_fakes import ScriptedProvider, job, new_answer
from usage_store.memory import InMemoryUsageStore

PIECES = ("Code ", "hooks ", "run ", "your ", "Lambda ", "for ", "each ", "turn.")


@pytest.fixture
def store() -> EmbeddedAnswerStore:
    return EmbeddedAnswerStore()


@pytest.fixture
def records() -> Iterator[list[dict[str, Any]]]:
    captured: list[dict[str, Any]] = []
    metrics.set_sink(captured.append)
    yield captured
    metrics.set_sink(None)


def run(store: EmbeddedAnswerStore, provider: ScriptedProvider, answer_id: str, **options: Any) -> str:
    """The run's final status (or SKIPPED), with a 10 s deadline and a 5 s idle limit unless given."""
    options.setdefault("deadline_seconds", 10.0)
    options.setdefault("idle_seconds", 5.0)
    return write_answer(store, provider, answer_id, **options).status


def in_background(call: Any) -> tuple[threading.Thread, list[Any]]:
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(call()), daemon=True)
    thread.start()
    return thread, result


def test_the_whole_answer_is_written_in_a_few_batches_and_ends_done(store: EmbeddedAnswerStore) -> None:
    answer_id = new_answer(store)
    provider = ScriptedProvider([(0.0, piece) for piece in PIECES])

    assert run(store, provider, answer_id) == "done"

    answer = store.get(answer_id)
    assert answer is not None
    assert (answer.status, answer.text, answer.finish_reason) == ("done", "".join(PIECES), "stop")
    assert 1 <= answer.pieces < len(PIECES)  # batched, not one write per delta
    assert provider.calls[0][-1].content == "What is a code hook?"
    assert store.active_answer("session-1") is None


def test_a_batch_is_written_once_it_reaches_flush_chars(store: EmbeddedAnswerStore) -> None:
    answer_id = new_answer(store)
    provider = ScriptedProvider([(0.0, "abcd")] * 6)

    run(store, provider, answer_id, flush_chars=8, flush_seconds=60.0)

    answer = store.get(answer_id)
    assert answer is not None
    assert answer.text == "abcd" * 6
    # The first delta at once, then a batch per 8 characters, then the rest when the stream ends.
    assert answer.pieces == 4
    after_first = store.read(answer_id, 1, 0.0)
    after_three = store.read(answer_id, 3, 0.0)
    assert after_first is not None
    assert after_three is not None
    assert (after_first.text, after_three.text) == ("abcd" * 5, "abcd")


def test_text_is_flushed_while_the_answer_is_still_being_written(store: EmbeddedAnswerStore) -> None:
    answer_id = new_answer(store)
    provider = ScriptedProvider([(0.0, "First part. "), (1.0, "Second part.")])
    thread, _ = in_background(lambda: run(store, provider, answer_id, flush_seconds=0.05))

    result = store.read(answer_id, 0, wait_seconds=0.8)
    assert result is not None
    assert (result.text, result.status) == ("First part. ", "running")
    thread.join(5)
    assert store.read(answer_id, result.cursor, 0.0) is not None


def test_stop_before_the_first_token_cancels_the_stream_at_once(store: EmbeddedAnswerStore) -> None:
    answer_id = new_answer(store)
    provider = ScriptedProvider([(30.0, "too late")])
    thread, result = in_background(lambda: run(store, provider, answer_id, stop_poll_seconds=0.05))
    time.sleep(0.2)

    asked = time.monotonic()
    assert store.request_stop(answer_id)
    thread.join(2)
    silenced = time.monotonic() - asked

    assert result == ["stopped"]
    assert silenced < 0.5
    assert provider.streams[0].cancelled.is_set()
    answer = store.get(answer_id)
    assert answer is not None
    assert (answer.status, answer.text) == ("stopped", "")


def test_stop_mid_answer_keeps_what_was_written_and_drops_the_rest(store: EmbeddedAnswerStore) -> None:
    answer_id = new_answer(store)
    provider = ScriptedProvider([(0.0, "Kept. "), *[(0.02, "more ")] * 500])
    thread, result = in_background(lambda: run(store, provider, answer_id, flush_seconds=0.05))
    first = store.read(answer_id, 0, wait_seconds=2.0)
    assert first is not None
    assert first.text.startswith("Kept. ")

    store.request_stop(answer_id)
    thread.join(2)

    answer = store.get(answer_id)
    assert result == ["stopped"]
    assert answer is not None
    assert answer.text.startswith("Kept. ")
    assert len(answer.text) < len("Kept. ") + 500 * len("more ")
    assert provider.streams[0].cancelled.is_set()
    time.sleep(0.2)
    later = store.get(answer_id)
    assert later is not None
    assert later.text == answer.text


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (LlmUnavailableError("the stream broke"), "unavailable"),
        (LlmBadResponseError("not JSON"), "bad_response"),
    ],
)
def test_a_failure_mid_answer_keeps_the_partial_text(
    store: EmbeddedAnswerStore, error: Exception, kind: str
) -> None:
    answer_id = new_answer(store)
    provider = ScriptedProvider([(0.0, "Half "), (0.0, "an answer"), (0.0, error)])  # type: ignore[list-item]

    assert run(store, provider, answer_id) == "failed"

    answer = store.get(answer_id)
    assert answer is not None
    assert (answer.status, answer.error_kind, answer.text) == ("failed", kind, "Half an answer")


def test_silence_past_the_idle_limit_fails_as_timeout_and_cancels(store: EmbeddedAnswerStore) -> None:
    answer_id = new_answer(store)
    provider = ScriptedProvider([(0.0, "Started "), (30.0, "never")])
    started = time.monotonic()

    assert run(store, provider, answer_id, idle_seconds=0.3) == "failed"

    assert time.monotonic() - started < 2.0
    answer = store.get(answer_id)
    assert answer is not None
    assert (answer.error_kind, answer.text) == ("timeout", "Started ")
    assert provider.streams[0].cancelled.is_set()


def test_the_deadline_ends_an_answer_that_keeps_talking(store: EmbeddedAnswerStore) -> None:
    answer_id = new_answer(store)
    provider = ScriptedProvider([(0.05, "word ")] * 200)

    assert run(store, provider, answer_id, deadline_seconds=0.4, idle_seconds=5.0) == "failed"

    answer = store.get(answer_id)
    assert answer is not None
    assert answer.error_kind == "timeout"
    assert answer.text.startswith("word ")
    assert len(answer.text) < 200 * 5


def test_a_second_event_for_the_same_answer_does_nothing(store: EmbeddedAnswerStore) -> None:
    answer_id = new_answer(store)
    first = ScriptedProvider([(0.0, "Once.")])
    second = ScriptedProvider([(0.0, "Twice?")])

    assert run(store, first, answer_id) == "done"
    assert run(store, second, answer_id) == SKIPPED
    assert run(store, second, "no-such-answer") == SKIPPED

    assert second.calls == []
    answer = store.get(answer_id)
    assert answer is not None
    assert answer.text == "Once."


def test_a_provider_that_cannot_start_fails_the_answer_with_its_kind(store: EmbeddedAnswerStore) -> None:
    answer_id = new_answer(store)
    provider = ScriptedProvider(LlmNotConfiguredError("no key"))

    assert run(store, provider, answer_id) == "failed"

    answer = store.get(answer_id)
    assert answer is not None
    assert (answer.error_kind, answer.text) == ("not_configured", "")


def test_a_job_without_usable_messages_fails_without_asking_the_llm(store: EmbeddedAnswerStore) -> None:
    broken = {**job(), "messages": [{"role": "wizard", "content": "hi"}]}
    answer_id = store.create(session_id="s", token="t" * 40, job=broken, ttl_seconds=600)
    provider = ScriptedProvider([(0.0, "unused")])

    run_result = write_answer(store, provider, answer_id, deadline_seconds=5.0, idle_seconds=5.0)

    assert run_result.status == "failed"
    assert "job.messages[0]" in run_result.detail
    assert provider.calls == []
    answer = store.get(answer_id)
    assert answer is not None
    assert answer.status == "failed"


def test_a_slow_first_token_still_sends_heartbeats(store: EmbeddedAnswerStore) -> None:
    answer_id = new_answer(store)
    provider = ScriptedProvider([(0.5, "Finally.")])
    claimed_at: list[float] = []

    def watch() -> None:
        while not claimed_at:
            answer = store.get(answer_id)
            if answer is not None and answer.status == "running":
                claimed_at.append(answer.updated_at)
        time.sleep(0.35)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    thread, _ = in_background(lambda: run(store, provider, answer_id, heartbeat_seconds=0.1))
    watcher.join(2)
    during = store.get(answer_id)
    thread.join(2)

    assert during is not None
    assert during.status == "running"
    assert during.text == ""
    assert during.updated_at > claimed_at[0]


def test_the_halves_of_a_character_in_two_deltas_are_joined(store: EmbeddedAnswerStore) -> None:
    answer_id = new_answer(store)
    provider = ScriptedProvider([(0.0, "smile \ud83d"), (0.05, "\ude00 ok"), (0.0, " lone \udc00")])

    run(store, provider, answer_id, flush_chars=1)

    answer = store.get(answer_id)
    assert answer is not None
    assert answer.text == "smile \U0001f600 ok lone \ufffd"


def test_tokens_of_a_written_answer_are_charged_and_none_for_an_empty_one(store: EmbeddedAnswerStore) -> None:
    counters = InMemoryUsageStore()
    budget = TokenBudget(BudgetLimits(per_conversation=10_000, per_client_day=10_000), lambda: counters)
    done_id = new_answer(store)
    run(store, ScriptedProvider([(0.0, "An answer worth a few tokens.")]), done_id, budget=budget)
    charged = counters.get("conversation#session-1")
    assert charged > 0
    assert budget.exhausted("session-1", "client-1") is None

    empty_id = new_answer(store)
    run(store, ScriptedProvider(LlmUnavailableError("down")), empty_id, budget=budget)
    assert counters.get("conversation#session-1") == charged


def test_an_answer_is_refused_when_a_budget_is_already_spent(store: EmbeddedAnswerStore) -> None:
    """A regenerated answer is created by the answers route, not the code hook: the worker checks."""
    counters = InMemoryUsageStore()
    budget = TokenBudget(BudgetLimits(per_conversation=5, per_client_day=10_000), lambda: counters)
    budget.charge("session-1", "client-1", 5)
    answer_id = new_answer(store)
    provider = ScriptedProvider([(0.0, "Never asked.")])

    status = run(store, provider, answer_id, budget=budget)

    answer = store.get(answer_id)
    assert status == "failed"
    assert answer is not None
    assert (answer.status, answer.error_kind, answer.text) == ("failed", "budget_conversation", "")
    assert provider.calls == []
    notice = texts.answer_notice("failed", answer.error_kind, "en_US")
    assert notice == texts.say("budget_conversation", "en_US")


def test_the_metrics_say_streamed_with_the_real_time_to_first_token(
    store: EmbeddedAnswerStore, records: list[dict[str, Any]]
) -> None:
    answer_id = new_answer(store)
    run(store, ScriptedProvider([(0.2, "Late "), (0.3, "answer.")]), answer_id)

    calls = [r for r in records if metrics.LLM_CALLS in r]
    assert len(calls) == 1
    record = calls[0]
    assert record["streamed"] == 1
    assert record["outcome"] == "answered"
    [first_token] = record[metrics.TIME_TO_FIRST_TOKEN]
    [duration] = record[metrics.OPERATION_DURATION]
    assert 0.15 <= first_token < duration


def test_a_stopped_answer_counts_as_answered_and_says_stopped(
    store: EmbeddedAnswerStore, records: list[dict[str, Any]]
) -> None:
    answer_id = new_answer(store)
    thread, _ = in_background(
        lambda: run(store, ScriptedProvider([(5.0, "x")]), answer_id, stop_poll_seconds=0.05)
    )
    time.sleep(0.1)
    store.request_stop(answer_id)
    thread.join(2)

    record = next(r for r in records if metrics.LLM_CALLS in r)
    assert record["stopped"] == 1
    assert "error.type" not in record
    assert metrics.TIME_TO_FIRST_TOKEN not in record


class CountingStore(EmbeddedAnswerStore):
    """Counts the worker's reads of the record with and without its text."""

    def __init__(self) -> None:
        super().__init__()
        self.full_gets = 0
        self.flag_gets = 0

    def get(self, answer_id: str, *, include_text: bool = True) -> Any:
        if include_text:
            self.full_gets += 1
        else:
            self.flag_gets += 1
        return super().get(answer_id, include_text=include_text)


def test_the_stop_check_reads_the_record_without_its_text() -> None:
    """DynamoDB assembles the text from every piece: the per-flush Stop check must not ask for it."""
    store = CountingStore()
    answer_id = new_answer(store)
    thread, result = in_background(
        lambda: run(
            store, ScriptedProvider([(0.0, "a ")] * 5 + [(10.0, "b")]), answer_id, stop_poll_seconds=0.05
        )
    )
    time.sleep(0.3)
    store.request_stop(answer_id)
    thread.join(2)

    assert result == ["stopped"]
    assert store.flag_gets >= 3
    assert store.full_gets == 0


def test_the_first_text_is_written_as_soon_as_it_arrives(store: EmbeddedAnswerStore) -> None:
    answer_id = new_answer(store)
    provider = ScriptedProvider([(0.0, "Quick "), (3.0, "then slow.")])
    thread, _ = in_background(lambda: run(store, provider, answer_id, flush_seconds=2.0))

    first = store.read(answer_id, 0, wait_seconds=1.0)
    store.request_stop(answer_id)
    thread.join(5)

    assert first is not None
    assert first.text == "Quick "


def test_half_a_character_waiting_for_its_other_half_does_not_spin() -> None:
    store = CountingStore()
    answer_id = new_answer(store)
    provider = ScriptedProvider([(0.0, "wait for it \ud83d"), (0.5, "\ude00")])

    run(store, provider, answer_id, flush_seconds=0.02)

    answer = store.get(answer_id)
    assert answer is not None
    assert answer.text == "wait for it \U0001f600"
    assert store.flag_gets < 100  # about one Stop check per flush interval, not a busy loop


class FailingAppendStore(EmbeddedAnswerStore):
    """A store whose writes of text fail (DynamoDB throttled past its retries, say)."""

    def append(self, answer_id: str, text: str) -> int:
        if text:
            raise RuntimeError("ProvisionedThroughputExceededException")
        return super().append(answer_id, text)


def test_a_store_failing_mid_answer_fails_the_answer_and_closes_the_llm_request() -> None:
    store = FailingAppendStore()
    answer_id = new_answer(store)
    provider = ScriptedProvider([(0.0, "Lost "), *[(0.05, "words ")] * 100])

    run_result = write_answer(store, provider, answer_id, deadline_seconds=10.0, idle_seconds=5.0)

    assert run_result.status == "failed"
    assert "ProvisionedThroughputExceededException" in run_result.detail
    assert provider.streams[0].cancelled.is_set()
    answer = store.get(answer_id)
    assert answer is not None
    assert (answer.status, answer.error_kind) == ("failed", "unavailable")
