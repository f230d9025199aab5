"""Helpers for the Lambda handler integration tests: a Lambda context, sample events, log capture."""

from __future__ import annotations

import io
import json
import uuid
from pathlib import Path
from typing import Any

EVENTS = Path(__file__).resolve().parents[2] / "events"


class FakeLambdaContext:
    """The parts of the Lambda runtime's context the handlers (and Powertools) read."""

    function_name = "test-function"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:test-function"
    memory_limit_in_mb = 256
    log_group_name = "/aws/lambda/test-function"
    log_stream_name = "test"

    def __init__(self, remaining_ms: int = 29_000) -> None:
        self.aws_request_id = str(uuid.uuid4())
        self.remaining_ms = remaining_ms

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


def load_event(name: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / name).read_text(encoding="utf-8"))
    return event


class LogCapture:
    """What a handler's Powertools logger wrote (one JSON object per line), captured from its stream."""

    def __init__(self) -> None:
        self.stream = io.StringIO()

    def text(self) -> str:
        return self.stream.getvalue()

    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.text().splitlines() if line.strip()]
