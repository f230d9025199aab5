"""The conversation's memory, shared by both Lambdas: what the LLM sees of the recent conversation.

`lambda_lex` appends the turns Lex, a handler or a fixed notice answered; the LLM fallback appends
its own. Both read and write one session attribute in one format, so this package is bundled into
both Lambda assets and depends on nothing but the standard library.
"""

from .history import (
    ATTRIBUTE,
    FORMAT_VERSION,
    MAX_STORED_CHARS,
    SESSION_ATTRIBUTES_BUDGET_BYTES,
    Message,
    alternating,
    attributes_size,
    encode,
    load_history,
    remember,
)

__all__ = [
    "ATTRIBUTE",
    "FORMAT_VERSION",
    "MAX_STORED_CHARS",
    "SESSION_ATTRIBUTES_BUDGET_BYTES",
    "Message",
    "alternating",
    "attributes_size",
    "encode",
    "load_history",
    "remember",
]
