"""Metrics of the code hook's router: your intent handlers' calls and errors (EMF, as the LLM's).

- `chatbot.handler.calls` (Count): one per intent-handler call, in total and, for a failed call,
  by `error.type`.
- `chatbot.handler.errors` (Count): 1 when the call failed, else 0; same dimensions.

`error.type` is `raised` (the handler raised), `timed_out` (it ran past the Lambda's time),
`invalid_response` (it answered something Lex would reject) or `not_loaded` (the handlers folder
did not load). Every record has the `service` dimension (`code-hook`); the intent and hook are
record properties, not dimensions. Written through `chat_metrics.emit` (same namespace,
same sink, never raises).
"""

from __future__ import annotations

from chat_metrics import emit
from lambda_chatgpt.metrics import SERVICE

HANDLER_CALLS = "chatbot.handler.calls"
HANDLER_ERRORS = "chatbot.handler.errors"
ERROR_TYPES = ("raised", "timed_out", "invalid_response", "not_loaded")


def record_handler_call(*, intent: str, invocation_source: str, error_type: str | None = None) -> None:
    """One intent-handler call; `error_type` (one of ERROR_TYPES) when it failed."""
    failed = error_type is not None
    emit(
        SERVICE,
        [(HANDLER_CALLS, "Count", 1.0), (HANDLER_ERRORS, "Count", 1.0 if failed else 0.0)],
        dimensions={},
        also_by=[{"error.type": error_type}] if error_type is not None else (),
        metadata={"intent": intent, "invocation_source": invocation_source},
    )
