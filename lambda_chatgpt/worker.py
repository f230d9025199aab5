"""Lambda entry point of the answer worker (issue 11): writes one streamed answer, then exits.

The code hook creates the answer and invokes this function asynchronously (`worker_invoke`) with
`{"answerId": "<uuid>"}`; locally the same `handler` runs in a thread of the dev server. The work
itself is `answer_writer.write_answer`; this module reads the environment, builds the provider
once per container (as the fallback does: `container.build_llm`) and logs one structured line per
answer, never the text.

| variable | default | meaning |
| --- | --- | --- |
| `ANSWER_DEADLINE_SECONDS` | 300 (at most 840) | how long the LLM may take for one answer |
| `ANSWER_IDLE_SECONDS` | 60 | no text for this long -> the answer fails as `timeout` |

plus the LLM variables of the fallback (`settings.Settings`) and the answer store's
(`answer_store.from_env`). The handler never raises: Lambda would retry the event, and the answer
has ended (or was never ours) by the time it returns.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.logging.logger import Logger

from container_setup import Lazy, safe_log_level

from .answer_writer import SKIPPED, WorkerRun, write_answer
from .container import LlmParts, build_llm
from .deadline import SAFETY_MARGIN_SECONDS, latency_fields, remaining_millis
from .settings import SettingsError
from .streamed import answer_store

if TYPE_CHECKING:
    from answer_store import AnswerStore

__all__ = ["WorkerSettings", "handler", "reset_container"]

DEADLINE_VARIABLE = "ANSWER_DEADLINE_SECONDS"
IDLE_VARIABLE = "ANSWER_IDLE_SECONDS"
DEFAULT_DEADLINE_SECONDS = 300.0
MAX_DEADLINE_SECONDS = 840.0
DEFAULT_IDLE_SECONDS = 60.0

logger = Logger(service="answer-worker", level=safe_log_level(os.environ.get("LOG_LEVEL")))


@dataclass(frozen=True)
class WorkerSettings:
    """How long one answer may take, and stay silent."""

    deadline_seconds: float = DEFAULT_DEADLINE_SECONDS
    idle_seconds: float = DEFAULT_IDLE_SECONDS

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> WorkerSettings:
        """From ANSWER_DEADLINE_SECONDS and ANSWER_IDLE_SECONDS; SettingsError names a bad value."""
        deadline = _seconds(environ, DEADLINE_VARIABLE, DEFAULT_DEADLINE_SECONDS, MAX_DEADLINE_SECONDS)
        idle = _seconds(environ, IDLE_VARIABLE, DEFAULT_IDLE_SECONDS, MAX_DEADLINE_SECONDS)
        return cls(deadline, idle)


def _seconds(environ: Mapping[str, str], name: str, default: float, high: float) -> float:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0.1 <= value <= high:
        raise SettingsError(f"invalid configuration: {name}={raw!r} must be a number from 0.1 to {high:g}")
    return value


@dataclass(frozen=True)
class Container:
    """What one worker container builds once: the LLM parts and how long an answer may take."""

    llm: LlmParts
    worker: WorkerSettings


def _build_container() -> Container:
    worker = WorkerSettings.from_env(os.environ)
    return Container(build_llm(os.environ, logger, stream_idle_seconds=worker.idle_seconds), worker)


_container: Lazy[Container] = Lazy(_build_container)


def container() -> Container:
    """This container's settings and provider, built from the environment on first use."""
    return _container.get()


def reset_container() -> None:
    """Forget the cached settings and provider (tests change the environment)."""
    _container.reset()


def handler(event: Any, context: Any) -> dict[str, Any]:
    """Write the answer the event names; never raises. Returns `{"answerId", "status"}`."""
    started = time.perf_counter()
    answer_id = event.get("answerId") if isinstance(event, Mapping) else None
    if not isinstance(answer_id, str) or not answer_id:
        logger.error("worker event without an answerId", extra={"event_type": type(event).__name__})
        return {"answerId": None, "status": SKIPPED}
    fields: dict[str, Any] = {"answer_id": answer_id}
    try:
        store = answer_store()
    except Exception as error:  # a bad ANSWER_* variable, a client that cannot be built
        logger.error("the answer store is unavailable", extra={**fields, "problem": str(error)[:300]})
        return {"answerId": answer_id, "status": SKIPPED}
    if store is None:
        logger.error("no answer store is configured (ANSWER_TABLE_NAME or ANSWER_STORE)", extra=fields)
        return {"answerId": answer_id, "status": SKIPPED}
    try:
        run = _run(store, answer_id, context, fields)
    except Exception:
        logger.exception("the worker failed unexpectedly", extra={**fields, **latency_fields(started)})
        return {"answerId": answer_id, "status": "failed"}
    _log(run, {**fields, **latency_fields(started)})
    return {"answerId": answer_id, "status": run.status}


def _run(store: AnswerStore, answer_id: str, context: Any, fields: dict[str, Any]) -> WorkerRun:
    try:
        app = container()
    except SettingsError as error:
        logger.error("the answer worker is misconfigured", extra={**fields, "problem": str(error)})
        if store.claim(answer_id) is None:
            return WorkerRun(SKIPPED)
        store.finish(answer_id, "failed", error_kind="misconfigured")
        return WorkerRun("failed", "misconfigured", detail="misconfigured")
    fields.update(provider=app.llm.provider.name, model=app.llm.provider.model)
    deadline = app.worker.deadline_seconds
    remaining = remaining_millis(context)
    if remaining is not None:
        deadline = max(min(deadline, remaining / 1000.0 - SAFETY_MARGIN_SECONDS), 0.0)
    fields["deadline_s"] = round(deadline, 2)
    return write_answer(
        store,
        app.llm.provider,
        answer_id,
        deadline_seconds=deadline,
        idle_seconds=app.worker.idle_seconds,
        budget=app.llm.budget,
    )


def _log(run: WorkerRun, fields: dict[str, Any]) -> None:
    if run.status == SKIPPED:
        logger.info("answer already claimed, unknown or expired; nothing to do", extra=fields)
        return
    fields.update(
        session_id=run.session_id or None,
        locale=run.locale or None,
        outcome=run.status,
        answer_chars=run.chars,
        batches=run.batches,
        llm_ms=round(run.seconds * 1000.0, 1),
    )
    if run.first_token_seconds is not None:
        fields["first_token_ms"] = round(run.first_token_seconds * 1000.0, 1)
    for name in ("error_kind", "finish_reason", "detail", "budget_note"):
        if getattr(run, name):
            fields[name] = getattr(run, name)
    if run.tokens:
        fields["tokens"] = run.tokens
        fields["tokens_counted"] = "estimate" if run.tokens_estimated else "usage"
    if run.status in ("done", "stopped"):
        logger.info("streamed answer", extra=fields)
    elif run.error_kind in ("timeout", "rate_limited", "bad_response", "not_configured"):
        logger.warning("streamed answer failed", extra=fields)
    else:
        logger.error("streamed answer failed", extra=fields)
