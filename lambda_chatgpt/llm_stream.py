"""A streamed answer handed from the thread that reads it to the caller, under the turn's deadline.

A provider's `complete_stream` returns a `DeltaStream`: a worker thread runs the provider's exchange
(open the request, read the events) and passes each text delta through a queue; the caller iterates.
The caller never waits longer than the deadline, nor longer than `idle_seconds` for the next delta
(first one included), whatever the server does: it stops waiting, cancels the exchange and raises
LlmTimeoutError. `close()` (or `cancel()`, from any thread) ends the exchange: the provider's abort
callback closes the HTTP response, so the server sees the client go away at once, and iteration stops.
A failure after some text raises with that text in `error.partial`; `text` always holds what arrived.

Usage: the worker reports the answer's token usage (`DeltaSink.report_usage`, from OpenAI's final
usage chunk or Bedrock's `metadata` event). When the stream ends (finished, or failed after the usage
came) the caller's iteration records it with `token_usage.record`, so a `token_usage.metering()` block
around the iteration counts it as it counts a `complete` call, and `usage` holds it. A cancelled
stream records nothing and never waits for usage: whoever stopped it estimates.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Iterator
from typing import Literal, NoReturn

from . import token_usage
from .deadline import Deadline
from .llm import LlmError, LlmTimeoutError, LlmUnavailableError, TokenUsage
from .retrying import RetryableError

# How long a stream may stay silent (before its first delta, or between two) when the provider is
# not told otherwise. The turn's deadline still caps the whole exchange.
DEFAULT_IDLE_SECONDS = 30.0

_Item = tuple[Literal["delta"], str] | tuple[Literal["done"], str | None] | tuple[Literal["error"], LlmError]


class DeltaSink:
    """What the worker side sees: where to put deltas, how to learn the caller gave up."""

    def __init__(self, items: queue.Queue[_Item]) -> None:
        self._items = items
        self._lock = threading.Lock()
        self._cancelled = False
        self._abort: Callable[[], None] | None = None
        self.usage: TokenUsage | None = None

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def report_usage(self, usage: TokenUsage | None) -> None:
        """The answer's token usage as the provider reported it (the last report wins; None: ignored)."""
        if usage is not None:
            self.usage = usage

    def emit(self, text: str) -> None:
        if text and not self._cancelled:
            self._items.put(("delta", text))

    def on_abort(self, abort: Callable[[], None]) -> None:
        """Register how to tear the exchange down (close the response); runs now if already cancelled."""
        with self._lock:
            self._abort = abort
            run_now = self._cancelled
        if run_now:
            _quietly(abort)

    def cancel(self) -> None:
        with self._lock:
            if self._cancelled:
                return
            self._cancelled = True
            abort = self._abort
        if abort is not None:
            _quietly(abort)


class DeltaStream(Iterator[str]):
    """The text deltas of one answer, in order; see the module docstring."""

    def __init__(
        self,
        produce: Callable[[DeltaSink], str | None],
        deadline: Deadline,
        *,
        idle_seconds: float = DEFAULT_IDLE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`produce(sink)` runs in a worker thread, emits deltas and returns the finish reason (or
        None); it raises LlmError (or RetryableError) on failure."""
        self._items: queue.Queue[_Item] = queue.Queue()
        self._sink = DeltaSink(self._items)
        self._deadline = deadline
        self._idle_seconds = idle_seconds
        self._clock = clock
        self._parts: list[str] = []
        self._over = False
        self.cancelled = False
        self.finish_reason: str | None = None
        self.usage: TokenUsage | None = None  # the provider's usage, once the stream has ended
        self.started_at = clock()
        self.first_delta_at: float | None = None
        # The worker holds the sink and the queue, not the stream: a stream dropped unfinished is
        # collected, and its __del__ cancels the exchange.
        worker = threading.Thread(
            target=_work, args=(produce, self._sink, self._items), name="llm-stream", daemon=True
        )
        worker.start()

    @property
    def text(self) -> str:
        """Everything delivered so far."""
        return "".join(self._parts)

    @property
    def first_delta_seconds(self) -> float | None:
        """Time from the call to the first delta the caller received (None before it)."""
        return None if self.first_delta_at is None else self.first_delta_at - self.started_at

    def __iter__(self) -> DeltaStream:
        return self

    def __next__(self) -> str:
        if self._over:
            raise StopIteration
        wait = min(self._idle_seconds, self._deadline.remaining())
        try:
            item = self._items.get(timeout=wait) if wait > 0 else self._items.get_nowait()
        except queue.Empty:
            if self._deadline.expired():
                self._fail(LlmTimeoutError("no complete answer before the deadline"))
            self._fail(LlmTimeoutError(f"the stream sent nothing for {self._idle_seconds:g} s"))
        if self.cancelled:
            raise StopIteration
        if item[0] == "delta":
            if self.first_delta_at is None:
                self.first_delta_at = self._clock()
            self._parts.append(item[1])
            return item[1]
        if item[0] == "done":
            self._over = True
            self.finish_reason = item[1]
            self._take_usage()
            raise StopIteration
        self._fail(item[1])

    def cancel(self) -> None:
        """Stop the answer now (safe from any thread): the request is cancelled, iteration ends."""
        self.cancelled = True
        self._over = True
        self._sink.cancel()
        self._items.put(("done", None))  # wakes a caller waiting in __next__

    def close(self) -> None:
        if not self._over:
            self.cancel()

    def __del__(self) -> None:
        self._sink.cancel()

    def _fail(self, error: LlmError) -> NoReturn:
        self._over = True
        self._sink.cancel()
        self._take_usage()
        error.partial = self.text
        raise error

    def _take_usage(self) -> None:
        """Record the reported usage in the caller's meter, once (the worker reports it before it
        queues the end, so it is there when the end is)."""
        usage = self._sink.usage
        if usage is not None and self.usage is None:
            self.usage = usage
            token_usage.record(usage)


def _work(produce: Callable[[DeltaSink], str | None], sink: DeltaSink, items: queue.Queue[_Item]) -> None:
    """The worker thread: run the exchange, then say how it ended."""
    item: _Item
    try:
        item = ("done", produce(sink))
    except RetryableError as failure:
        item = ("error", failure.error)
    except LlmError as error:
        item = ("error", error)
    except Exception as error:  # a bug or an unexpected library error: the turn still ends cleanly
        item = ("error", LlmUnavailableError(f"stream failed: {type(error).__name__}"))
    if not sink.cancelled:
        items.put(item)


def _quietly(call: Callable[[], None]) -> None:
    # Tearing down a connection that may already be gone.
    with contextlib.suppress(Exception):
        call()
