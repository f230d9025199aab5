"""Starting the answer worker for a streamed turn: an asynchronous Lambda invoke, or a thread locally.

- `ANSWER_WORKER_FUNCTION` (set by the stack): invoke that function with `InvocationType=Event`
  and the event `{"answerId": ...}`; Lambda queues the event and returns at once (202). The worker
  claims the answer exactly once, so a duplicated or retried event does nothing.
- `ANSWER_WORKER_MODE=thread` (local mode, the dev server): run the worker's handler in a daemon
  thread of this process, where the embedded answer store lives.
- Neither: `WorkerUnavailableError`, which the code hook turns into a failed answer and a notice.

boto3 is imported on first use only: most code-hook containers never stream.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Mapping
from typing import Any

FUNCTION_VARIABLE = "ANSWER_WORKER_FUNCTION"
MODE_VARIABLE = "ANSWER_WORKER_MODE"
THREAD_MODE = "thread"

_clients: dict[str, Any] = {}
_clients_lock = threading.Lock()


class WorkerUnavailableError(RuntimeError):
    """The worker could not be started (not configured, or Lambda refused the invoke)."""


def invoke_worker(answer_id: str, environ: Mapping[str, str] = os.environ) -> None:
    """Start the worker for this answer, as the environment says; raises WorkerUnavailableError."""
    function = environ.get(FUNCTION_VARIABLE, "").strip()
    mode = environ.get(MODE_VARIABLE, "").strip().lower()
    if function:
        _invoke_lambda(function, answer_id, environ)
    elif mode == THREAD_MODE:
        _start_thread(answer_id)
    elif mode:
        raise WorkerUnavailableError(f"{MODE_VARIABLE}={mode!r} is not a worker mode (use {THREAD_MODE!r})")
    else:
        raise WorkerUnavailableError(
            f"no answer worker configured: set {FUNCTION_VARIABLE} (AWS) or {MODE_VARIABLE}=thread (local)"
        )


def worker_event(answer_id: str) -> dict[str, str]:
    """The event the worker Lambda receives."""
    return {"answerId": answer_id}


def _invoke_lambda(function: str, answer_id: str, environ: Mapping[str, str]) -> None:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        response = _client(environ).invoke(
            FunctionName=function,
            InvocationType="Event",
            Payload=json.dumps(worker_event(answer_id)).encode("utf-8"),
        )
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "error")
        raise WorkerUnavailableError(f"invoking {function} failed: {code}") from None
    except BotoCoreError as error:
        raise WorkerUnavailableError(f"invoking {function} failed: {type(error).__name__}") from None
    status = response.get("StatusCode")
    if status != 202:
        raise WorkerUnavailableError(f"invoking {function} answered status {status}, not 202")


def _client(environ: Mapping[str, str]) -> Any:
    """One Lambda client per region and container (a client costs a cold start)."""
    region = environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION") or ""
    client = _clients.get(region)
    if client is None:
        with _clients_lock:
            client = _clients.get(region)
            if client is None:
                import boto3
                from botocore.config import Config

                config = Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 2})
                client = boto3.client("lambda", region_name=region or None, config=config)
                _clients[region] = client
    return client


def reset_clients() -> None:
    """Forget the cached Lambda clients (tests change the environment)."""
    with _clients_lock:
        _clients.clear()


def _start_thread(answer_id: str) -> None:
    from .worker import handler

    thread = threading.Thread(
        target=handler, args=(worker_event(answer_id), None), name=f"answer-{answer_id[:8]}", daemon=True
    )
    thread.start()
