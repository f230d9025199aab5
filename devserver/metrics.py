"""Local mode's view of the metrics: the EMF records the handlers emit, added up in memory.

The Lambdas' metrics modules (`lambda_lex.metrics`, `lambda_chatgpt.metrics`) hand each record to a
sink instead of printing it when local mode sets one (`install`); `MetricsStore.add` is that sink.
It keeps what CloudWatch would: every metric under each of the record's dimension sets, with its
count, sum, minimum, maximum and (from the latest values) percentiles. `GET /metrics` serves
`snapshot()` as JSON, or `text()` (`?format=text`); `summary_line()` is what the dev server prints
every N turns and at shutdown.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# Latest values kept per series for percentiles.
MAX_SAMPLES = 2000
DEFAULT_SUMMARY_EVERY = 20

SeriesKey = tuple[str, tuple[tuple[str, str], ...]]


@dataclass
class Series:
    """One metric under one set of dimension values, as CloudWatch would aggregate it."""

    unit: str
    count: int = 0
    total: float = 0.0
    minimum: float = math.inf
    maximum: float = -math.inf
    samples: deque[float] = field(default_factory=lambda: deque(maxlen=MAX_SAMPLES))

    def add(self, value: float) -> None:
        self.count += 1
        self.total += value
        self.minimum = min(self.minimum, value)
        self.maximum = max(self.maximum, value)
        self.samples.append(value)

    def percentile(self, p: float) -> float | None:
        """Nearest-rank percentile of the kept values."""
        if not self.samples:
            return None
        ordered = sorted(self.samples)
        return ordered[max(0, math.ceil(p / 100.0 * len(ordered)) - 1)]


class MetricsStore:
    """Thread-safe totals of EMF records; `on_summary(line)` every `summary_every` turns (0: never)."""

    def __init__(
        self, *, summary_every: int = DEFAULT_SUMMARY_EVERY, on_summary: Callable[[str], None] | None = None
    ) -> None:
        self._lock = threading.Lock()
        self._series: dict[SeriesKey, Series] = {}
        self._namespaces: set[str] = set()
        self._records = 0
        self._turns = 0
        self._summary_every = max(0, summary_every)
        self._on_summary = on_summary

    def add(self, record: Mapping[str, Any]) -> None:
        """Take one EMF record (the metrics modules' sink). Records that are not EMF are ignored."""
        directives = _directives(record)
        if not directives:
            return
        announce = False
        with self._lock:
            self._records += 1
            for directive in directives:
                self._namespaces.add(str(directive.get("Namespace", "")))
                for definition in directive.get("Metrics") or []:
                    name = definition.get("Name")
                    if not isinstance(name, str):
                        continue
                    values = list(_values(record.get(name)))
                    for dimension_set in directive.get("Dimensions") or [[]]:
                        key = (name, tuple(sorted((d, str(record.get(d, ""))) for d in dimension_set)))
                        series = self._series.setdefault(key, Series(unit=str(definition.get("Unit", ""))))
                        for value in values:
                            series.add(value)
                    if name == "chatbot.turns" and ["service"] in (directive.get("Dimensions") or []):
                        self._turns += len(values)
                        announce = self._summary_every > 0 and self._turns % self._summary_every == 0
        if announce and self._on_summary is not None:
            self._on_summary(self.summary_line())

    def series(self, name: str, **dimensions: str) -> Series | None:
        """A copy of the series of `name` under exactly these dimensions (for names with dots, pass
        a dict with **)."""
        wanted = tuple(sorted(dimensions.items()))
        for labels, series in self._matching(name, **dimensions):
            if tuple(sorted(labels.items())) == wanted:
                return series
        return None

    def _sum(self, name: str, **dimensions: str) -> float:
        series = self.series(name, **dimensions)
        return series.total if series else 0.0

    def _matching(self, name: str, **dimensions: str) -> list[tuple[dict[str, str], Series]]:
        """A copy of every series of `name` whose dimensions include these (and possibly more)."""
        with self._lock:
            found = []
            for (metric, dims), series in self._series.items():
                labels = dict(dims)
                if metric == name and all(labels.get(k) == v for k, v in dimensions.items()):
                    copy = Series(series.unit, series.count, series.total, series.minimum, series.maximum)
                    copy.samples.extend(series.samples)
                    found.append((labels, copy))
            return found

    def summary(self) -> dict[str, Any]:
        """The figures the dashboard shows, added up over this process's life."""
        turns = self._sum("chatbot.turns", service="chat-api")
        fallback = self._sum("chatbot.turns.fallback", service="chat-api")
        by_source: dict[str, float] = {}
        by_locale: dict[str, float] = {}
        for labels, series in self._matching("chatbot.turns", service="chat-api"):
            if "source" in labels:
                by_source[labels["source"]] = by_source.get(labels["source"], 0.0) + series.total
                by_locale[labels["locale"]] = by_locale.get(labels["locale"], 0.0) + series.total
        outcomes: dict[str, float] = {}
        durations: list[float] = []
        ttft: list[float] = []
        for labels, series in self._matching("chatbot.llm.calls"):
            if "outcome" in labels:
                outcomes[labels["outcome"]] = outcomes.get(labels["outcome"], 0.0) + series.total
        for labels, series in self._matching("gen_ai.client.operation.duration"):
            if "outcome" not in labels:
                durations.extend(series.samples)
        for labels, series in self._matching("chatbot.llm.time_to_first_token"):
            if "outcome" not in labels:
                ttft.extend(series.samples)
        tokens = {"input": 0.0, "output": 0.0}
        for labels, series in self._matching("gen_ai.client.token.usage"):
            token_type = labels.get("gen_ai.token.type", "")
            tokens[token_type] = tokens.get(token_type, 0.0) + series.total
        chat_errors = {
            labels["error.type"]: series.total
            for labels, series in self._matching("chatbot.chat.errors")
            if "error.type" in labels
        }
        handler_errors = {
            labels["error.type"]: series.total
            for labels, series in self._matching("chatbot.handler.errors")
            if "error.type" in labels
        }
        return {
            "turns": int(turns),
            "turns_by_source": {k: int(v) for k, v in sorted(by_source.items())},
            "turns_by_locale": {k: int(v) for k, v in sorted(by_locale.items())},
            "fallback_turns": int(fallback),
            "fallback_rate": round(fallback / turns, 4) if turns else None,
            "llm_calls_by_outcome": {k: int(v) for k, v in sorted(outcomes.items())},
            "llm_latency_seconds": _quantiles(durations),
            "llm_time_to_first_token_seconds": _quantiles(ttft),
            "tokens": {k: int(v) for k, v in sorted(tokens.items())},
            "chat_errors_by_type": {k: int(v) for k, v in sorted(chat_errors.items())},
            "handler_calls": int(self._sum("chatbot.handler.calls", service="code-hook")),
            "handler_errors_by_type": {k: int(v) for k, v in sorted(handler_errors.items())},
        }

    def snapshot(self) -> dict[str, Any]:
        """Everything, as `GET /metrics` serves it: the summary and every series."""
        with self._lock:
            rows = [
                {
                    "name": name,
                    "dimensions": dict(dims),
                    "unit": series.unit,
                    "count": series.count,
                    "sum": series.total,
                    "min": series.minimum if series.count else None,
                    "max": series.maximum if series.count else None,
                    "p50": series.percentile(50),
                    "p99": series.percentile(99),
                }
                for (name, dims), series in sorted(self._series.items())
            ]
            namespaces = sorted(self._namespaces)
            records = self._records
        return {"namespaces": namespaces, "records": records, "summary": self.summary(), "metrics": rows}

    def summary_line(self) -> str:
        """One line for the dev server's output."""
        s = self.summary()
        sources = ", ".join(f"{k} {v}" for k, v in s["turns_by_source"].items()) or "none"
        rate = f"{s['fallback_rate'] * 100:.0f}%" if s["fallback_rate"] is not None else "-"
        outcomes = ", ".join(f"{k} {v}" for k, v in s["llm_calls_by_outcome"].items()) or "none"
        p99 = s["llm_latency_seconds"]["p99"]
        latency = f"{p99:.2f} s" if p99 is not None else "-"
        errors = sum(s["handler_errors_by_type"].values())
        return (
            f"metrics: {s['turns']} turns ({sources}), fallback {rate}; LLM calls: {outcomes}; "
            f"LLM p99 {latency}; tokens {s['tokens'].get('input', 0)} in / {s['tokens'].get('output', 0)} "
            f"out; handler errors {errors}; /chat errors {sum(s['chat_errors_by_type'].values())}"
        )

    def text(self) -> str:
        """A readable page: the summary line, the summary, then every series."""
        snapshot = self.snapshot()
        lines = [self.summary_line(), ""]
        for key, value in snapshot["summary"].items():
            lines.append(f"{key}: {value}")
        lines.append("")
        for row in snapshot["metrics"]:
            dims = ", ".join(f"{k}={v}" for k, v in row["dimensions"].items())
            lines.append(
                f"{row['name']} [{dims}] {row['unit']}: count {row['count']}, sum {row['sum']:g}, "
                f"p50 {row['p50']:g}, p99 {row['p99']:g}"
            )
        return "\n".join(lines) + "\n"


def _directives(record: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    aws = record.get("_aws") if isinstance(record, Mapping) else None
    directives = aws.get("CloudWatchMetrics") if isinstance(aws, Mapping) else None
    return [d for d in directives if isinstance(d, Mapping)] if isinstance(directives, list) else []


def _values(raw: object) -> Iterable[float]:
    items = raw if isinstance(raw, list) else [raw]
    return [float(v) for v in items if isinstance(v, int | float) and not isinstance(v, bool)]


def _quantiles(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"p50": None, "p90": None, "p99": None}
    ordered = sorted(values)

    def rank(p: float) -> float:
        return round(ordered[max(0, math.ceil(p / 100.0 * len(ordered)) - 1)], 4)

    return {"p50": rank(50), "p90": rank(90), "p99": rank(99)}


def install(store: MetricsStore) -> None:
    """Hand both Lambdas' metrics records to `store` (local mode): they share `chat_metrics`' sink."""
    import chat_metrics

    chat_metrics.set_sink(store.add)
