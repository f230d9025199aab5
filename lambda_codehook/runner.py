"""Running one user handler with a time limit: its result, its exception, or "it took too long".

The handler runs in a worker thread so the router can answer Lex before the Lambda's time runs
out. A Python thread cannot be stopped: one that overruns finishes on its own and its result is
dropped.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Run:
    """How a call ended: `value`, or `error` (the exception), or `timed_out`."""

    value: Any = None
    error: BaseException | None = None
    timed_out: bool = False


def run_with_timeout(function: Callable[[Any], Any], argument: Any, timeout: float) -> Run:
    """`function(argument)`, waiting at most `timeout` seconds for it."""
    box: dict[str, Any] = {}
    done = threading.Event()

    def work() -> None:
        try:
            box["value"] = function(argument)
        except BaseException as error:  # the router reports any failure of user code, SystemExit included
            box["error"] = error
        finally:
            done.set()

    threading.Thread(target=work, name="intent-handler", daemon=True).start()
    if not done.wait(max(timeout, 0.0)):
        return Run(timed_out=True)
    if "error" in box:
        return Run(error=box["error"])
    return Run(value=box.get("value"))
