"""Blocking calls from the dev server's event loop, each in its own daemon thread.

The Lambda handlers block (a turn may wait 29 s for an LLM) and are not cancellable. Each call runs
in a fresh daemon thread, as the dev server's requests did when it was a threading HTTP server: a
slow call never holds up another, and one still running when the server stops never keeps the
process alive (anyio's and concurrent.futures' worker threads would: they are joined at exit).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
_GIVE_UP_POLL_SECONDS = 0.1


def _settle(future: asyncio.Future[T], result: T | None, error: BaseException | None) -> None:
    if future.done():  # the caller was cancelled (the server is stopping): nobody wants the result
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)  # type: ignore[arg-type]


class AbandonedError(Exception):
    """The call was given up because the server is stopping (its thread runs on, unheard)."""


async def run_in_daemon_thread(
    function: Callable[[], T], *, name: str = "devserver-call", give_up: threading.Event | None = None
) -> T:
    """`function()` in a new daemon thread; its result or exception. When `give_up` is set first,
    raises AbandonedError; cancelling the caller abandons the thread the same way (it runs to its
    end, its result dropped)."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def run() -> None:
        result: T | None = None
        error: BaseException | None = None
        try:
            result = function()
        except BaseException as raised:  # handed to the awaiting task, which decides
            error = raised
        with contextlib.suppress(RuntimeError):  # the loop has closed: the server has stopped
            loop.call_soon_threadsafe(_settle, future, result, error)

    threading.Thread(target=run, name=name, daemon=True).start()
    if give_up is None:
        return await future
    while not future.done():
        if give_up.is_set():
            future.cancel()
            raise AbandonedError(name)
        await asyncio.wait({future}, timeout=_GIVE_UP_POLL_SECONDS)
    return future.result()
