"""The router's metrics: every intent-handler call counted, failures by how they failed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lambda_codehook.router import Router
from lexhook.testing import make_event
from tests.unit.codehook.codehook_support import FakeContext, RecordingLog, make_router, write_handlers


def run(tmp_path: Path, body: str, *, remaining_ms: int = 30_000) -> None:
    source = f"import time\nfrom lexhook import close\n\ndef fulfillment(request):\n    {body}\n"
    router = make_router(write_handlers(tmp_path / "h", {"check_hours.py": source}))
    router.route(make_event("CheckHours", source="FulfillmentCodeHook"), FakeContext(remaining_ms))


def dimension_sets(record: dict[str, Any]) -> list[list[str]]:
    return sorted(map(sorted, record["_aws"]["CloudWatchMetrics"][0]["Dimensions"]))


def test_an_answered_call_counts_as_a_call_without_error(
    tmp_path: Path, emf_records: list[dict[str, Any]]
) -> None:
    run(tmp_path, "return close('Open 8 to 5.')")
    [record] = emf_records
    assert (record["chatbot.handler.calls"], record["chatbot.handler.errors"]) == ([1.0], [0.0])
    assert dimension_sets(record) == [["service"]]
    assert (record["service"], record["intent"], record["invocation_source"]) == (
        "code-hook",
        "CheckHours",
        "FulfillmentCodeHook",
    )


@pytest.mark.parametrize(
    ("body", "error_type", "remaining_ms"),
    [
        ("raise KeyError('hours')", "raised", 30_000),
        ("return 'open'", "invalid_response", 30_000),
        ("time.sleep(2)", "timed_out", 1300),
    ],
)
def test_a_failed_call_is_counted_by_how_it_failed(
    tmp_path: Path, emf_records: list[dict[str, Any]], body: str, error_type: str, remaining_ms: int
) -> None:
    run(tmp_path, body, remaining_ms=remaining_ms)
    [record] = emf_records
    assert (record["chatbot.handler.errors"], record["error.type"]) == ([1.0], error_type)
    assert dimension_sets(record) == [["error.type", "service"], ["service"]]


def test_handlers_that_did_not_load_count_as_not_loaded(emf_records: list[dict[str, Any]]) -> None:
    router = make_router(None, log=RecordingLog())
    broken = Router(router._bot, {}, fallback=router._fallback, llm=None, log=RecordingLog(), broken="bad")
    broken.route(make_event("OrderCoffee"), None)
    assert [r["error.type"] for r in emf_records] == ["not_loaded"]


def test_intents_without_handlers_and_the_fallback_are_not_handler_calls(
    tmp_path: Path, emf_records: list[dict[str, Any]]
) -> None:
    router = make_router(write_handlers(tmp_path / "h", {}))
    router.route(make_event("CheckHours", source="FulfillmentCodeHook"), FakeContext())
    router.route(make_event("FallbackIntent"), FakeContext())
    assert emf_records == []
