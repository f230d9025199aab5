"""The conversation's memory, shared by both Lambdas: what the LLM sees of the recent conversation.

`lambda_lex` appends the turns Lex, a handler or a fixed notice answered; the LLM fallback appends
its own. Both read and write one session attribute in one format, so this package is bundled into
both Lambda assets and depends on nothing but the standard library. `fold_pending` brings a
streamed answer (written after its turn, into the answer store) into the memory on the next turn.
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
from .pending import (
    MARKERS,
    PENDING_ATTRIBUTE,
    AnswerLookup,
    AnswerRecord,
    fold_pending,
    marker,
    remembered_answer,
)

__all__ = [
    "ATTRIBUTE",
    "FORMAT_VERSION",
    "MARKERS",
    "MAX_STORED_CHARS",
    "PENDING_ATTRIBUTE",
    "SESSION_ATTRIBUTES_BUDGET_BYTES",
    "AnswerLookup",
    "AnswerRecord",
    "Message",
    "alternating",
    "attributes_size",
    "encode",
    "fold_pending",
    "load_history",
    "marker",
    "remember",
    "remembered_answer",
]
