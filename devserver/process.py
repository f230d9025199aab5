"""Run `python -m devserver` as a child process and wait until it serves (for tests and benchmarks).

The child's environment is the parent's without any LLM or AWS settings (so a developer's own
OPENAI_API_KEY never leaks into a test), plus the given overrides.

A started server never outlives its user: `with DevServerProcess() as server:` stops it (killing
it if it ignores Ctrl-C) whatever happens inside the block, a failed `start()` kills what it
started, and any child still running when the interpreter exits is killed then.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import IO

from .app import BANNER_PREFIX
from .settings import REPO_ROOT

_URL = re.compile(re.escape(BANNER_PREFIX) + r"(http://\S+?)/?$")
_SCRUBBED_PREFIXES = ("OPENAI_", "LLM_", "AWS_", "BOT_", "CLIENT_RATE_", "CLIENT_READ_", "ANSWER_")
# Tests and benchmarks send many requests from 127.0.0.1: the per-client limits are off unless the
# caller's `env` sets them (make serve has cdk.json's).
_LIMITS_OFF = {
    "CLIENT_RATE_LIMIT": "0",
    "CLIENT_READ_RATE_LIMIT": "0",
    "LLM_TOKENS_PER_CONVERSATION": "0",
    "LLM_TOKENS_PER_CLIENT_DAY": "0",
}
_SCRUBBED = {"PORT", "DEFAULT_LOCALE", "LOG_LEVEL", "LOG_USER_TEXT"}


_running: weakref.WeakSet[DevServerProcess] = weakref.WeakSet()


@atexit.register
def _kill_leftovers() -> None:
    """The last line of defence: no dev server started from here outlives this interpreter."""
    for process in list(_running):
        process.kill()


class DevServerError(RuntimeError):
    """The dev server did not come up; the message includes what it printed."""


class DevServerProcess:
    """``with DevServerProcess(env={...}) as server: requests.post(server.url + "/chat", ...)``."""

    def __init__(
        self,
        *,
        env: Mapping[str, str] | None = None,
        port: int | None = 0,
        args: Sequence[str] = ("--quiet",),
        start_timeout: float = 60.0,
    ) -> None:
        base = {
            k: v for k, v in os.environ.items() if not k.startswith(_SCRUBBED_PREFIXES) and k not in _SCRUBBED
        }
        base.update(_LIMITS_OFF)
        base.update(env or {})
        base["PYTHONUNBUFFERED"] = "1"
        self._env = base
        port_args = [] if port is None else ["--port", str(port)]  # None: PORT from env decides
        self._cmd = [sys.executable, "-m", "devserver", *port_args, *args]
        self._start_timeout = start_timeout
        self._process: subprocess.Popen[str] | None = None
        self._stdout: list[str] = []
        self._stderr: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        self.url = ""
        self.started_in = 0.0

    def start(self) -> DevServerProcess:
        """Start the server and wait for its banner; on any failure the child is killed."""
        try:
            return self._start()
        except BaseException:
            self.kill()
            raise

    def _start(self) -> DevServerProcess:
        began = time.perf_counter()
        self._process = subprocess.Popen(  # noqa: S603 - our own interpreter and module, fixed arguments
            self._cmd,
            cwd=REPO_ROOT,
            env=self._env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        _running.add(self)
        assert self._process.stdout is not None
        assert self._process.stderr is not None
        for stream, sink, announce in (
            (self._process.stdout, self._stdout, True),
            (self._process.stderr, self._stderr, False),
        ):
            threading.Thread(target=self._pump, args=(stream, sink, announce), daemon=True).start()
        deadline = time.monotonic() + self._start_timeout
        while True:
            try:
                line = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                self.stop()
                message = f"the dev server did not start in {self._start_timeout:g} s"
                raise DevServerError(message + self._output()) from None
            if line is None:
                self.wait(5)
                raise DevServerError(f"the dev server exited with {self._process.returncode}{self._output()}")
            match = _URL.match(line.rstrip("\n"))
            if match:
                self.url = match.group(1)
                self.started_in = time.perf_counter() - began
                return self

    def _pump(self, stream: IO[str], sink: list[str], announce: bool) -> None:
        for line in stream:
            sink.append(line)
            if announce:
                self._lines.put(line)
        if announce:
            self._lines.put(None)

    def _output(self) -> str:
        time.sleep(0.2)
        return f"\n--- stdout ---\n{self.stdout}--- stderr ---\n{self.stderr}"

    @property
    def stdout(self) -> str:
        return "".join(self._stdout)

    @property
    def stderr(self) -> str:
        return "".join(self._stderr)

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    def send_signal(self, signum: int) -> None:
        assert self._process is not None
        self._process.send_signal(signum)

    def wait(self, timeout: float) -> int:
        """The exit status; the output pumps are given a moment to drain."""
        assert self._process is not None
        code = self._process.wait(timeout=timeout)
        time.sleep(0.1)
        return code

    def stop(self, signum: int = signal.SIGINT, timeout: float = 10.0) -> int:
        """Ask the server to stop (Ctrl-C by default); kill it if it does not within ``timeout``."""
        if self._process is None:
            return 0
        if self._process.poll() is None:
            self._process.send_signal(signum)
            try:
                return self.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                raise DevServerError(f"the dev server ignored signal {signum}{self._output()}") from None
            finally:
                if self._process.poll() is not None:
                    _running.discard(self)
        return self._process.returncode

    def kill(self) -> None:
        """Kill the server at once if it is still running (safe to call at any time, repeatedly)."""
        process = self._process
        if process is None:
            return
        if process.poll() is None:
            process.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
        _running.discard(self)

    def __enter__(self) -> DevServerProcess:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if exc_type is None:
                self.stop()
            else:
                # The block failed: stop the server without waiting for a clean shutdown.
                self.kill()
        finally:
            self.kill()
