"""Metrics of the `/chat` Lambda: one CloudWatch embedded-metric-format (EMF) record per request.

Written with the shared `chat_metrics.emit` (stdout on Lambda, a sink in local mode; never raises).

- `chatbot.turns` (Count): answered turns, by `locale` and `source` (lex, llm, handler, notice: who
  wrote the answer, as in the reply), and in total.
- `chatbot.turns.fallback` (Count): 1 when Lex chose FallbackIntent, else 0, with the same
  dimensions: its sum over `chatbot.turns`'s is the fallback rate.
- `chatbot.chat.errors` (Count): error answers, by `error.type` (the API's error code: throttled,
  upstream_timeout, invalid_json, ...), and in total.

Every record also has the `service` dimension (`chat-api`). The namespace is `METRICS_NAMESPACE`
(the stack sets it; `LexLlmChatbot` when unset); `POWERTOOLS_METRICS_DISABLED=true` turns them off.
"""

from __future__ import annotations

# emit, namespace and set_sink are re-exported: tests and the dev server reach them here.
from chat_metrics import emit as emit
from chat_metrics import namespace as namespace
from chat_metrics import set_sink as set_sink

SERVICE = "chat-api"

TURNS = "chatbot.turns"
FALLBACK_TURNS = "chatbot.turns.fallback"
CHAT_ERRORS = "chatbot.chat.errors"
FALLBACK_INTENT = "FallbackIntent"


def record_turn(*, locale: str, source: str, intent: str | None) -> None:
    """An answered turn: who answered it, and whether it was a FallbackIntent turn."""
    fallback = 1.0 if intent == FALLBACK_INTENT else 0.0
    emit(
        SERVICE,
        [(TURNS, "Count", 1.0), (FALLBACK_TURNS, "Count", fallback)],
        dimensions={"locale": locale or "unknown", "source": source or "unknown"},
        also_by=[{}],
    )


def record_error(code: str) -> None:
    """An error answer (`code` as in the API's error body: throttled, upstream_timeout, ...)."""
    emit(SERVICE, [(CHAT_ERRORS, "Count", 1.0)], dimensions={"error.type": code or "unknown"}, also_by=[{}])
