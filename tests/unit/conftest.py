"""Fixtures shared by the unit tests: the EMF records both Lambdas' metrics write (`chat_metrics`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import chat_metrics


@pytest.fixture
def emf_records(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """Every EMF record written during the test (metrics on, namespace `ChatbotUnitTest`)."""
    captured: list[dict[str, Any]] = []
    monkeypatch.setenv("METRICS_NAMESPACE", "ChatbotUnitTest")
    monkeypatch.delenv("POWERTOOLS_METRICS_DISABLED", raising=False)
    chat_metrics.set_sink(captured.append)
    yield captured
    chat_metrics.set_sink(None)
