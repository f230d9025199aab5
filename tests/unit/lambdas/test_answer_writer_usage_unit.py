"""The tokens a streamed answer charges (`write_answer`), with real `DeltaStream`s whose provider side
reports usage as OpenAI's usage chunk or Bedrock's `metadata` would: the reported usage is charged and
carried by the metrics; without one, or when a reader stops the answer (cancelling never waits for the
usage), the prompt and the deltas received up to the end are estimated and charged."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from answer_store import EmbeddedAnswerStore
from lambda_chatgpt import metrics, token_usage
from lambda_chatgpt.answer_writer import WorkerRun, job_messages, write_answer
from lambda_chatgpt.budget import BudgetLimits, TokenBudget
from lambda_chatgpt.deadline import Deadline
from lambda_chatgpt.llm import LlmUnavailableError, Message, TokenUsage
from lambda_chatgpt.llm_stream import DeltaSink, DeltaStream
from tests.unit.lambdas.answer_fakes import job, new_answer
from usage_store.memory import InMemoryUsageStore

Step = tuple[float, str]


class UsageReportingProvider:
    """complete_stream plays (pause, piece) steps in a DeltaStream worker, then reports `usage`
    (None: a server that sends none). A pause ends at once when the stream is cancelled."""

    name = "openai"
    model = "usage-model"

    def __init__(self, steps: Sequence[Step], usage: TokenUsage | None) -> None:
        self._steps = list(steps)
        self._usage = usage
        self.usage_sent = threading.Event()

    def complete(self, messages: Sequence[Message], deadline: Deadline) -> str:
        raise AssertionError("the worker only streams")

    def complete_stream(self, messages: Sequence[Message], deadline: Deadline) -> Iterator[str]:
        return DeltaStream(self._produce, deadline, idle_seconds=10.0)

    def _produce(self, sink: DeltaSink) -> str | None:
        for pause, piece in self._steps:
            end = time.monotonic() + pause
            while time.monotonic() < end:
                if sink.cancelled:
                    raise LlmUnavailableError("cancelled")
                time.sleep(0.01)
            sink.emit(piece)
        sink.report_usage(self._usage)
        self.usage_sent.set()
        return "stop"


@pytest.fixture
def store() -> EmbeddedAnswerStore:
    return EmbeddedAnswerStore()


@pytest.fixture
def counters() -> InMemoryUsageStore:
    return InMemoryUsageStore()


@pytest.fixture
def budget(counters: InMemoryUsageStore) -> TokenBudget:
    return TokenBudget(BudgetLimits(per_conversation=100_000, per_client_day=100_000), lambda: counters)


@pytest.fixture
def records() -> Iterator[list[dict[str, Any]]]:
    captured: list[dict[str, Any]] = []
    metrics.set_sink(captured.append)
    yield captured
    metrics.set_sink(None)


def write(store: EmbeddedAnswerStore, provider: UsageReportingProvider, budget: TokenBudget) -> WorkerRun:
    return write_answer(
        store,
        provider,
        new_answer(store),
        deadline_seconds=10.0,
        idle_seconds=5.0,
        budget=budget,
        stop_poll_seconds=0.05,
    )


def estimate_for(*answer_parts: str) -> int:
    prompt = [message.content for message in job_messages(job())]
    return token_usage.estimate_tokens([*prompt, "".join(answer_parts)])


def token_records(records: list[dict[str, Any]]) -> dict[str, list[float]]:
    return {r[metrics.TOKEN_TYPE]: r[metrics.TOKEN_USAGE] for r in records if metrics.TOKEN_USAGE in r}


def test_the_reported_usage_is_charged_and_carried_by_the_metrics(
    store: EmbeddedAnswerStore,
    budget: TokenBudget,
    counters: InMemoryUsageStore,
    records: list[dict[str, Any]],
) -> None:
    provider = UsageReportingProvider([(0.0, "Exact "), (0.02, "count.")], TokenUsage(1234, 56))
    run = write(store, provider, budget)
    assert (run.status, run.tokens, run.tokens_estimated) == ("done", 1290, False)
    assert counters.get("conversation#session-1") == 1290
    assert token_records(records) == {"input": [1234.0], "output": [56.0]}


def test_without_usage_the_prompt_and_answer_are_estimated(
    store: EmbeddedAnswerStore,
    budget: TokenBudget,
    counters: InMemoryUsageStore,
    records: list[dict[str, Any]],
) -> None:
    provider = UsageReportingProvider([(0.0, "No usage "), (0.02, "from this server.")], None)
    run = write(store, provider, budget)
    expected = estimate_for("No usage ", "from this server.")
    assert (run.status, run.tokens, run.tokens_estimated) == ("done", expected, True)
    assert counters.get("conversation#session-1") == expected
    assert token_records(records) == {}


def test_a_stopped_answer_charges_the_estimate_up_to_the_stop_without_waiting_for_usage(
    store: EmbeddedAnswerStore, budget: TokenBudget, counters: InMemoryUsageStore
) -> None:
    provider = UsageReportingProvider(
        [(0.0, "Before "), (0.0, "the stop. "), (5.0, "Never sent.")], TokenUsage(999, 999)
    )
    answer_id = new_answer(store)
    result: list[WorkerRun] = []
    thread = threading.Thread(
        target=lambda: result.append(
            write_answer(
                store,
                provider,
                answer_id,
                deadline_seconds=10.0,
                idle_seconds=5.0,
                budget=budget,
                stop_poll_seconds=0.05,
            )
        ),
        daemon=True,
    )
    thread.start()
    give_up = time.monotonic() + 3.0
    while (answer := store.get(answer_id)) is not None and answer.text != "Before the stop. ":
        assert time.monotonic() < give_up, "the first text never arrived"
        time.sleep(0.01)
    asked = time.monotonic()
    store.request_stop(answer_id)
    thread.join(2.0)
    assert time.monotonic() - asked < 0.5
    [run] = result
    expected = estimate_for("Before ", "the stop. ")
    assert (run.status, run.tokens, run.tokens_estimated) == ("stopped", expected, True)
    assert counters.get("conversation#session-1") == expected
    assert not provider.usage_sent.is_set()


def test_an_answer_stopped_before_its_first_token_still_charges_its_prompt(
    store: EmbeddedAnswerStore, budget: TokenBudget, counters: InMemoryUsageStore
) -> None:
    provider = UsageReportingProvider([(5.0, "Too late.")], TokenUsage(10, 10))
    answer_id = new_answer(store)
    thread = threading.Thread(
        target=write_answer,
        args=(store, provider, answer_id),
        kwargs={"deadline_seconds": 10.0, "idle_seconds": 5.0, "budget": budget, "stop_poll_seconds": 0.05},
        daemon=True,
    )
    thread.start()
    time.sleep(0.1)
    store.request_stop(answer_id)
    thread.join(2.0)
    assert not thread.is_alive()
    assert counters.get("conversation#session-1") == estimate_for()
