"""In-memory streaming providers for the answer worker's unit tests: each answer is a script of
(pause, piece) steps; a piece may be an LlmError (raised there). Cancelling wakes a pause at once."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import Any

from answer_store import EmbeddedAnswerStore
from lambda_chatgpt.deadline import Deadline
from lambda_chatgpt.llm import LlmError, Message

Step = tuple[float, "str | LlmError"]
TOKEN = "reader-token-" + "x" * 30


class ScriptedStream(Iterator[str]):
    """A DeltaStream stand-in: the steps in order, `cancel()` from any thread, `finish_reason`."""

    def __init__(self, steps: Sequence[Step], finish_reason: str | None = "stop") -> None:
        self._steps = list(steps)
        self._finish_reason = finish_reason
        self.finish_reason: str | None = None
        self.cancelled = threading.Event()

    def __iter__(self) -> ScriptedStream:
        return self

    def __next__(self) -> str:
        if not self._steps or self.cancelled.is_set():
            if not self.cancelled.is_set():
                self.finish_reason = self._finish_reason
            raise StopIteration
        pause, piece = self._steps.pop(0)
        if pause and self.cancelled.wait(pause):
            raise StopIteration
        if isinstance(piece, LlmError):
            raise piece
        return piece

    def cancel(self) -> None:
        self.cancelled.set()


class ScriptedProvider:
    """An LlmProvider whose complete_stream plays the next script (or raises the error given)."""

    name = "openai"
    model = "scripted-model"

    def __init__(self, *scripts: Sequence[Step] | LlmError) -> None:
        self._scripts = list(scripts)
        self.calls: list[list[Message]] = []
        self.streams: list[ScriptedStream] = []

    def complete(self, messages: Sequence[Message], deadline: Deadline) -> str:
        raise AssertionError("the worker only streams")

    def complete_stream(self, messages: Sequence[Message], deadline: Deadline) -> Iterator[str]:
        self.calls.append(list(messages))
        script = self._scripts.pop(0)
        if isinstance(script, LlmError):
            raise script
        stream = ScriptedStream(script)
        self.streams.append(stream)
        return stream


def job(question: str = "What is a code hook?", *, locale: str = "en_US", limit: int = 10) -> dict[str, Any]:
    """A job as the code hook writes it."""
    return {
        "messages": [
            {"role": "system", "content": "You are a bot."},
            {"role": "user", "content": question},
        ],
        "question": question,
        "locale": locale,
        "sessionId": "session-1",
        "client": "client-1",
        "historyLimit": limit,
        "turn": "turn-1",
    }


def new_answer(store: EmbeddedAnswerStore, *, session: str = "session-1", **job_fields: Any) -> str:
    return store.create(session_id=session, token=TOKEN, job=job(**job_fields), ttl_seconds=600)
