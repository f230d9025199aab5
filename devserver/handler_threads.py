"""Blocking calls from the dev server's event loop, on a bounded pool of reused worker threads.

The Lambda handlers block (a turn may wait 29 s for an LLM) and cannot be cancelled. `HandlerThreads`
runs them on anyio's worker threads (`anyio.to_thread.run_sync`), at most `size` at once (a
`CapacityLimiter`: further calls wait for a free thread), so a slow call never holds up the event
loop or the calls already running, threads are reused instead of started per request, and a burst
of requests cannot start an unbounded number of them. A call the server gives up on (it is stopping)
or whose caller is cancelled is abandoned: its thread runs to the call's end, the result dropped.
anyio's workers take the daemon flag of the event loop's thread, and the dev server runs its loop in
a daemon thread (`DevServer.serve_forever`'s caller), so an abandoned call never keeps the process
alive (concurrent.futures' workers would: they are joined at exit).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import TypeVar

import anyio
import anyio.to_thread

T = TypeVar("T")
# As many as the /chat Lambda's Lex clients keep connections (lambda_lex.lex_gateway): more turns at
# once would only open and drop extra connections; 50 concurrent slow LLM turns still run side by side.
HANDLER_THREADS = 64
_GIVE_UP_POLL_SECONDS = 0.1


class AbandonedError(Exception):
    """The call was given up because the server is stopping (its thread runs on, unheard)."""


class HandlerThreads:
    """At most `size` blocking calls at once, each on a worker thread; made in (or before) the event
    loop that uses it, one per loop (its limiter belongs to that loop)."""

    def __init__(self, size: int = HANDLER_THREADS) -> None:
        if size < 1:
            raise ValueError(f"a handler pool needs at least one thread, not {size}")
        self.size = size
        self._limiter: anyio.CapacityLimiter | None = None

    @property
    def busy(self) -> int:
        """Calls running now (not those waiting for a thread)."""
        return 0 if self._limiter is None else int(self._limiter.borrowed_tokens)

    async def run(self, function: Callable[[], T], *, give_up: threading.Event | None = None) -> T:
        """`function()` on a worker thread once one is free; its result or exception. When
        `give_up` is set first, raises AbandonedError; cancelling the caller abandons the call too."""
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(self.size)
        call = anyio.to_thread.run_sync(function, abandon_on_cancel=True, limiter=self._limiter)
        if give_up is None:
            return await call
        task = asyncio.ensure_future(call)
        try:
            while not task.done():
                if give_up.is_set():
                    task.cancel()
                    raise AbandonedError("the dev server is stopping")
                await asyncio.wait({task}, timeout=_GIVE_UP_POLL_SECONDS)
        except asyncio.CancelledError:
            task.cancel()
            raise
        return task.result()
