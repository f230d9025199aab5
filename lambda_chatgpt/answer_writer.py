"""Writing one streamed LLM answer into the answer store: the worker's core, without Lambda.

`write_answer(store, provider, answer_id, ...)` claims the answer (a duplicated or retried event
finds it claimed and does nothing), asks `provider.complete_stream` the job's messages, and appends
the text in batches (every `flush_seconds` or `flush_chars`, whichever comes first) so readers see
it grow without one store write per token. It ends the answer exactly once:

- `done`: the stream finished (its finish reason kept);
- `stopped`: a reader asked to stop. The Stop flag is read at every flush and, while no text comes,
  every `stop_poll_seconds`; the stream is then cancelled (`DeltaStream.cancel` closes the LLM's
  HTTP response, so the provider stops generating) and text not yet flushed is dropped: the answer
  keeps what readers could have seen when they pressed Stop;
- `failed(kind)`: the LLM failed (its LlmError kind), sent nothing for `idle_seconds` or ran past
  the deadline (`timeout`), or something unexpected happened (`unavailable`). What arrived is kept.

Tokens: the stream's usage (OpenAI's usage chunk, Bedrock's `metadata`) is metered as the
synchronous fallback meters `complete` (`token_usage.metering`); when the provider reported none
(a server without usage, a stopped answer: cancelling never waits for it) the tokens are estimated
from the prompt and every delta received up to the end (text dropped at Stop included: the model
wrote it). Budgets are charged as the fallback charges them, for any answer with text and for a
stopped one (its prompt was read); the metrics carry the real usage when there is one.

With no text to write it still touches the answer every `heartbeat_seconds`, so readers can tell a
slow LLM from a dead worker (answer_store.STALE_AFTER_SECONDS). Text is cleaned as the synchronous
fallback cleans it (lone surrogates replaced; the two halves of a character that arrived in two
deltas joined, as a JSON decoder joins them in a whole answer).
"""

from __future__ import annotations

import contextlib
import contextvars
import queue
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from . import token_usage
from .budget import TokenBudget, charge_answer, spent_budget
from .codehook import clean_text
from .deadline import Deadline
from .llm import LlmError, LlmProvider, LlmTimeoutError, LlmUnavailableError, Message
from .metrics import ANSWERED, record_llm_call

if TYPE_CHECKING:
    from answer_store import AnswerStore

SKIPPED = "skipped"  # the answer was not ours to write (claimed already, unknown or expired)
DEFAULT_FLUSH_SECONDS = 0.15
DEFAULT_FLUSH_CHARS = 1024
DEFAULT_STOP_POLL_SECONDS = 0.2
DEFAULT_HEARTBEAT_SECONDS = 10.0
_HIGH_SURROGATES = ("\ud800", "\udbff")
_SURROGATE = re.compile("[\ud800-\udfff]")

_Item = tuple[Literal["delta"], str] | tuple[Literal["end"], str | None] | tuple[Literal["error"], LlmError]


@dataclass(frozen=True)
class WorkerRun:
    """How one answer ended, for the log: never the text itself."""

    status: str  # done, stopped, failed, or SKIPPED
    error_kind: str | None = None
    finish_reason: str | None = None
    detail: str = ""
    chars: int = 0
    batches: int = 0
    seconds: float = 0.0
    first_token_seconds: float | None = None
    tokens: int = 0
    budget_note: str | None = None
    session_id: str = ""
    locale: str = ""
    tokens_estimated: bool = False  # no usage from the provider: `tokens` is token_usage's estimate


class JobError(ValueError):
    """The answer's job does not hold what the worker needs; the message names the field."""


def job_messages(job: Mapping[str, Any]) -> list[Message]:
    """The job's `messages` as provider messages; JobError when they are missing or malformed."""
    raw = job.get("messages")
    if not isinstance(raw, list) or not raw:
        raise JobError("job.messages must be a non-empty list")
    messages: list[Message] = []
    for index, item in enumerate(raw):
        role = item.get("role") if isinstance(item, Mapping) else None
        content = item.get("content") if isinstance(item, Mapping) else None
        if role not in ("system", "user", "assistant") or not isinstance(content, str):
            raise JobError(f"job.messages[{index}] must have a role (system/user/assistant) and a content")
        messages.append(Message(role, content))
    return messages


def write_answer(
    store: AnswerStore,
    provider: LlmProvider,
    answer_id: str,
    *,
    deadline_seconds: float,
    idle_seconds: float,
    flush_seconds: float = DEFAULT_FLUSH_SECONDS,
    flush_chars: int = DEFAULT_FLUSH_CHARS,
    budget: TokenBudget | None = None,
    stop_poll_seconds: float = DEFAULT_STOP_POLL_SECONDS,
    heartbeat_seconds: float = DEFAULT_HEARTBEAT_SECONDS,
    clock: Callable[[], float] = time.monotonic,
) -> WorkerRun:
    """Write the answer (see the module docstring): its final status (or SKIPPED) and the details
    of the run, for the worker's log line and metrics."""
    answer = store.claim(answer_id)
    if answer is None:
        return WorkerRun(SKIPPED)
    job = answer.job
    session_id = str(job.get("sessionId") or answer.session_id)
    locale = str(job.get("locale") or "")
    client = job.get("client") if isinstance(job.get("client"), str) and job.get("client") else None
    writer = _Writer(
        store, answer_id, flush_seconds, flush_chars, stop_poll_seconds, heartbeat_seconds, clock
    )
    started = clock()
    try:
        messages = job_messages(job)
    except JobError as error:
        writer.finish("failed", error_kind="unavailable")
        return WorkerRun("failed", "unavailable", detail=str(error), session_id=session_id, locale=locale)
    # The code hook checked the budgets before creating the answer, but a regenerated answer is
    # created by the answers route, which does not: one check here covers both.
    spent, budget_note = spent_budget(budget, session_id, client)
    if spent is not None:
        writer.finish("failed", error_kind=f"budget_{spent}")
        detail = f"{spent} budget spent"
        return WorkerRun("failed", f"budget_{spent}", detail=detail, session_id=session_id, locale=locale)
    with token_usage.metering() as meter:
        try:
            writer.run(provider, messages, Deadline(started + deadline_seconds, clock), idle_seconds)
        except Exception as error:  # the store failing mid-answer, or a bug: no reader may wait forever
            writer.fail_quietly(f"{type(error).__name__}: {str(error)[:200]}")
    seconds = clock() - started
    tokens = 0
    usage = meter.usage
    estimated = False
    if usage is not None or writer.received or writer.status == "stopped":
        estimated = usage is None
        if estimated:
            tokens = token_usage.estimate_tokens([*(m.content for m in messages), writer.received])
        else:
            tokens = meter.total or 0
        budget_note = charge_answer(budget, session_id, client, tokens) or budget_note
    answered = writer.status in ("done", "stopped")
    record_llm_call(
        provider=provider.name,
        model=provider.model,
        kind=ANSWERED if answered else writer.error_kind or "unavailable",
        seconds=seconds,
        usage=usage if answered else None,
        streamed=True,
        first_token_seconds=writer.first_token_seconds,
        stopped=writer.status == "stopped",
    )
    return WorkerRun(
        writer.status,
        writer.error_kind,
        writer.finish_reason,
        writer.detail,
        len(writer.text),
        writer.batches,
        seconds,
        writer.first_token_seconds,
        tokens,
        budget_note,
        session_id,
        locale,
        estimated,
    )


class _Writer:
    """One answer being written: the batching, the Stop flag, the ending (exactly once)."""

    def __init__(
        self,
        store: AnswerStore,
        answer_id: str,
        flush_seconds: float,
        flush_chars: int,
        stop_poll_seconds: float,
        heartbeat_seconds: float,
        clock: Callable[[], float],
    ) -> None:
        self._store = store
        self._id = answer_id
        self._flush_seconds = flush_seconds
        self._flush_chars = flush_chars
        self._stop_poll_seconds = stop_poll_seconds
        self._heartbeat_seconds = heartbeat_seconds
        self._clock = clock
        self._pending: list[str] = []
        self._pending_chars = 0
        self._written: list[str] = []
        self._received: list[str] = []
        self.batches = 0
        self.status = ""
        self.error_kind: str | None = None
        self.finish_reason: str | None = None
        self.detail = ""
        self.first_token_seconds: float | None = None

    @property
    def text(self) -> str:
        """What was appended to the answer so far."""
        return "".join(self._written)

    @property
    def received(self) -> str:
        """Every delta the LLM sent so far, written or not (what its tokens are estimated from)."""
        return "".join(self._received)

    def run(
        self, provider: LlmProvider, messages: Sequence[Message], deadline: Deadline, idle: float
    ) -> None:
        started = self._clock()
        try:
            stream = provider.complete_stream(messages, deadline)
        except LlmError as error:
            self.detail = error.detail
            self.finish("failed", error_kind=error.kind)
            return
        items: queue.Queue[_Item] = queue.Queue()
        reader = threading.Thread(
            target=contextvars.copy_context().run,
            args=(_read, stream, items),
            name="answer-reader",
            daemon=True,
        )
        reader.start()
        try:
            self._follow(stream, items, deadline, idle, started)
        finally:
            _cancel(stream)  # whatever ended the answer (a store error too), the LLM request ends with it

    def _follow(
        self,
        stream: Iterator[str],
        items: queue.Queue[_Item],
        deadline: Deadline,
        idle: float,
        started: float,
    ) -> None:
        """Write what the reader thread passes on until the answer ends (see the module docstring)."""
        now = started
        last_write = last_stop_check = last_delta = now
        last_flush = now - self._flush_seconds  # the first text is written as soon as it arrives
        while True:
            due = [
                last_stop_check + self._stop_poll_seconds,
                last_delta + idle,
                last_write + self._heartbeat_seconds,
            ]
            if self._pending:
                due.append(last_flush + self._flush_seconds)
            wait = min(min(due) - now, deadline.remaining())
            try:
                item: _Item | None = items.get(timeout=max(wait, 0.0))
            except queue.Empty:
                item = None
            now = self._clock()
            if item is not None and item[0] == "delta":
                if self.first_token_seconds is None:
                    self.first_token_seconds = now - started
                self._pending.append(item[1])
                self._received.append(item[1])
                self._pending_chars += len(item[1])
                last_delta = now
            elif item is not None and item[0] == "end":
                self._flush(final=True)
                self.finish("done", finish_reason=item[1])
                return
            elif item is not None:
                self._flush(final=True)
                self.detail = item[1].detail
                self.finish("failed", error_kind=item[1].kind)
                return
            flush_due = self._pending and (
                self._pending_chars >= self._flush_chars or now - last_flush >= self._flush_seconds
            )
            if flush_due or now - last_stop_check >= self._stop_poll_seconds:
                last_stop_check = now
                if self._stop_requested():
                    _cancel(stream)
                    self.finish("stopped")
                    return
            if flush_due:
                last_flush = now  # even when only half a character waits for its other half
                if self._flush(final=False):
                    last_write = now
            failure = _overdue(now - last_delta, idle, deadline)
            if failure is not None:
                _cancel(stream)
                self._flush(final=True)
                self.detail = failure.detail
                self.finish("failed", error_kind=failure.kind)
                return
            if now - last_write >= self._heartbeat_seconds:
                self._store.append(self._id, "")
                last_write = now

    def _stop_requested(self) -> bool:
        """Whether a reader asked to stop (or the answer is gone): the record without its text
        (`include_text=False`: one small read, not every piece written so far)."""
        answer = self._store.get(self._id, include_text=False)
        return answer is None or answer.stop_requested

    def _flush(self, *, final: bool) -> bool:
        """Append the pending text (keeping back a trailing half surrogate pair unless `final`);
        True when something was written."""
        text = "".join(self._pending)
        held = ""
        if not final and text and _HIGH_SURROGATES[0] <= text[-1] <= _HIGH_SURROGATES[1]:
            text, held = text[:-1], text[-1]
        self._pending = [held] if held else []
        self._pending_chars = len(held)
        if not text:
            return False
        text = clean_text(_paired(text))
        self._store.append(self._id, text)
        self._written.append(text)
        self.batches += 1
        return True

    def finish(self, status: str, *, error_kind: str | None = None, finish_reason: str | None = None) -> None:
        self.status = status
        self.error_kind = error_kind
        self.finish_reason = finish_reason
        self._store.finish(self._id, status, error_kind=error_kind, finish_reason=finish_reason)

    def fail_quietly(self, detail: str) -> None:
        """End the answer as failed after an unexpected error, whatever the store still does."""
        self.detail = detail
        self.status = "failed"
        self.error_kind = "unavailable"
        with contextlib.suppress(Exception):
            self._store.finish(self._id, "failed", error_kind="unavailable")


def _paired(text: str) -> str:
    """`text` with each high + low surrogate (halves of one character that came in two deltas)
    joined into that character, as a JSON decoder joins them in a whole answer."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def _overdue(silent_for: float, idle: float, deadline: Deadline) -> LlmError | None:
    if deadline.expired():
        return LlmTimeoutError("no complete answer before the deadline")
    if silent_for >= idle:
        return LlmTimeoutError(f"the stream sent nothing for {idle:g} s")
    return None


def _read(stream: Iterator[str], items: queue.Queue[_Item]) -> None:
    """The reader thread: every delta of the stream, then how it ended."""
    try:
        for delta in stream:
            if delta:
                items.put(("delta", delta))
    except LlmError as error:
        items.put(("error", error))
    except Exception as error:  # a provider bug: the answer still ends
        items.put(("error", LlmUnavailableError(f"stream failed: {type(error).__name__}")))
    else:
        reason = getattr(stream, "finish_reason", None)
        items.put(("end", reason if isinstance(reason, str) else None))


def _cancel(stream: Iterator[str]) -> None:
    """Cancel the LLM request (`DeltaStream.cancel`, safe from any thread)."""
    cancel = getattr(stream, "cancel", None)
    if callable(cancel):
        with contextlib.suppress(Exception):
            cancel()
