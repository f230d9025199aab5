"""Code hooks run in-process: a Python handler found by import path, called like Lambda calls it.

`load_handler("lambda_chatgpt.handler:handler")` imports the handler (``module.path.function``,
Lambda's own spelling, works too). `invoke` calls it in a worker thread with the event and a
`FakeLambdaContext` whose remaining time counts down from the hook timeout (30 s, as Lex allows a
code hook), and waits at most that long.

A Python thread cannot be killed: a handler that overruns keeps running in its daemon thread until
it returns on its own (its result is then dropped); the turn goes on as Lex does after a Lambda
timeout. Handlers should watch ``context.get_remaining_time_in_millis()``, as in Lambda.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .errors import DeploymentError

HandlerFunction = Callable[[dict[str, Any], Any], Any]
DEFAULT_HOOK_TIMEOUT_SECONDS = 30.0

_log = logging.getLogger("lex_emulator.code_hook")


def load_handler(spec: str | HandlerFunction) -> tuple[HandlerFunction, str]:
    """The handler function and a Lambda-like function name for it; `DeploymentError` if it will not load."""
    if callable(spec):
        name = getattr(spec, "__qualname__", None) or getattr(spec, "__name__", "code_hook")
        return spec, _function_name(f"{getattr(spec, '__module__', 'hook')}.{name}")
    if not isinstance(spec, str) or not spec.strip():
        raise DeploymentError("code_hook must be an import path like 'package.module:function'")
    spec = spec.strip()
    if ":" in spec:
        module_name, _, attribute = spec.partition(":")
    else:
        module_name, _, attribute = spec.rpartition(".")
    if not module_name or not attribute:
        raise DeploymentError(f"code hook {spec!r} is not an import path like 'package.module:function'")
    try:
        module = importlib.import_module(module_name)
    except Exception as error:  # any import-time failure of the hook's module
        raise DeploymentError(
            f"code hook {spec!r}: cannot import {module_name}: {type(error).__name__}: {error}"
        ) from error
    handler = getattr(module, attribute, None)
    if not callable(handler):
        raise DeploymentError(f"code hook {spec!r}: {module_name} has no function {attribute}")
    return handler, _function_name(f"{module_name}.{attribute}")


def _function_name(dotted: str) -> str:
    cleaned = "".join(char if char.isalnum() or char in "-_" else "-" for char in dotted)
    return cleaned.strip("-")[:64] or "code-hook"


class FakeLambdaContext:
    """What a Python Lambda handler gets as ``context``, with a real countdown."""

    def __init__(
        self,
        function_name: str,
        timeout_seconds: float = DEFAULT_HOOK_TIMEOUT_SECONDS,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = f"arn:aws:lambda:{region}:000000000000:function:{function_name}"
        self.memory_limit_in_mb = "128"  # a string in the Python runtime too (from the environment)
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = f"{datetime.now(UTC):%Y/%m/%d}/[$LATEST]{uuid.uuid4().hex}"
        self.identity = None
        self.client_context = None
        self._clock = clock
        self._deadline = clock() + timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - self._clock()) * 1000))


@dataclass(frozen=True)
class HookOutcome:
    """How a hook call ended: a JSON-clean response, an error description, or a timeout."""

    response: Any = None
    error: str | None = None
    timed_out: bool = False


def invoke(
    handler: HandlerFunction, event: dict[str, Any], context: FakeLambdaContext, timeout: float
) -> HookOutcome:
    """Call the handler in a worker thread; wait at most ``timeout`` seconds for it."""
    finished = threading.Event()
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["response"] = handler(event, context)
        except BaseException as error:  # a Lambda error of any kind, as Lambda reports it
            box["error"] = error
        finally:
            finished.set()

    worker = threading.Thread(target=run, name=f"code-hook-{context.aws_request_id[:8]}", daemon=True)
    worker.start()
    if not finished.wait(timeout):
        _log.warning(
            "code hook %s did not answer within %.3g s (request %s); its thread is left to finish",
            context.function_name,
            timeout,
            context.aws_request_id,
        )
        return HookOutcome(timed_out=True)
    if "error" in box:
        error = box["error"]
        _log.warning(
            "code hook %s raised %s (request %s)",
            context.function_name,
            type(error).__name__,
            context.aws_request_id,
            exc_info=(type(error), error, error.__traceback__),
        )
        return HookOutcome(error=f"{type(error).__name__}: {error}")
    try:
        # Lambda hands Lex the JSON the handler returned: round-trip it the same way.
        clean = json.loads(json.dumps(box["response"], ensure_ascii=False, allow_nan=False))
    except (TypeError, ValueError) as error:
        return HookOutcome(error=f"the handler returned something that is not JSON: {error}")
    return HookOutcome(response=clean)
