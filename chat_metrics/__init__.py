"""Metrics machinery shared by both Lambdas: CloudWatch embedded-metric-format (EMF) records.

`lambda_lex.metrics` (the `/chat` turns) and `lambda_chatgpt.metrics` (the LLM calls, and through
it `lambda_codehook.metrics`) keep their own metric names and write them with `emit`. This package
is bundled into both Lambda assets (cdk_chatbot/chat_api.py and code_hook.py SHARED_PACKAGES);
its only third-party import is Powertools, which both assets carry.
"""

from .emf import (
    DEFAULT_NAMESPACE,
    DISABLED_VARIABLE,
    NAMESPACE_VARIABLE,
    Metric,
    Sink,
    emit,
    namespace,
    set_sink,
)

__all__ = [
    "DEFAULT_NAMESPACE",
    "DISABLED_VARIABLE",
    "NAMESPACE_VARIABLE",
    "Metric",
    "Sink",
    "emit",
    "namespace",
    "set_sink",
]
