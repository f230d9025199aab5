"""The dev server's metrics store: EMF records added up per metric and dimension set, as CloudWatch does."""

from __future__ import annotations

from typing import Any

from devserver.metrics import MetricsStore


def record(dimension_sets: list[list[str]], values: dict[str, Any], **dimensions: str) -> dict[str, Any]:
    return {
        "_aws": {
            "Timestamp": 0,
            "CloudWatchMetrics": [
                {
                    "Namespace": "Local",
                    "Dimensions": dimension_sets,
                    "Metrics": [{"Name": name, "Unit": "Seconds"} for name in values],
                }
            ],
        },
        **dimensions,
        **values,
    }


def test_each_metric_is_kept_under_each_dimension_set() -> None:
    store = MetricsStore(summary_every=0)
    store.add(record([["service", "outcome"], ["service"]], {"latency": [0.5]}, service="s", outcome="ok"))
    store.add(record([["service", "outcome"], ["service"]], {"latency": [1.5]}, service="s", outcome="bad"))
    total = store.series("latency", service="s")
    ok = store.series("latency", service="s", outcome="ok")
    assert total is not None
    assert ok is not None
    assert (total.count, total.total, total.minimum, total.maximum) == (2, 2.0, 0.5, 1.5)
    assert (ok.count, ok.total) == (1, 0.5)


def test_percentiles_are_nearest_rank() -> None:
    store = MetricsStore(summary_every=0)
    for value in range(1, 101):
        store.add(record([["service"]], {"latency": float(value)}, service="s"))
    series = store.series("latency", service="s")
    assert series is not None
    assert (series.percentile(50), series.percentile(99)) == (50.0, 99.0)


def test_records_that_are_not_emf_are_ignored() -> None:
    store = MetricsStore(summary_every=0)
    for junk in ({}, {"_aws": "x"}, {"_aws": {"CloudWatchMetrics": "x"}}, {"level": "INFO"}):
        store.add(junk)
    store.add(record([["service"]], {"latency": ["1", True]}, service="s"))
    snapshot = store.snapshot()
    assert snapshot["records"] == 1
    assert snapshot["metrics"][0]["count"] == 0


def test_a_summary_line_comes_every_n_turns() -> None:
    lines: list[str] = []
    store = MetricsStore(summary_every=2, on_summary=lines.append)
    turn = record(
        [["locale", "source", "service"], ["service"]],
        {"chatbot.turns": [1.0], "chatbot.turns.fallback": [0.0]},
        service="chat-api",
        locale="en_US",
        source="lex",
    )
    for _ in range(5):
        store.add(turn)
    assert lines == [
        "metrics: 2 turns (lex 2), fallback 0%; LLM calls: none; LLM p99 -; tokens 0 in / 0 out; "
        "handler errors 0; /chat errors 0",
        "metrics: 4 turns (lex 4), fallback 0%; LLM calls: none; LLM p99 -; tokens 0 in / 0 out; "
        "handler errors 0; /chat errors 0",
    ]
