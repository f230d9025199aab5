"""The LLM fallback's view of the conversation memory: `conversation_memory` in this Lambda's types.

The format and its bounding live in the shared `conversation_memory` package (lambda_lex writes the
same attribute for the turns the LLM did not answer); this module only converts its messages to and
from the providers' `Message`. `fold_pending` (re-exported) brings an ended streamed answer into the
memory on the next turn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import conversation_memory as shared
from conversation_memory import (
    ATTRIBUTE,
    PENDING_ATTRIBUTE,
    SESSION_ATTRIBUTES_BUDGET_BYTES,
    attributes_size,
    fold_pending,
)

from .llm import Message

__all__ = [
    "ATTRIBUTE",
    "PENDING_ATTRIBUTE",
    "SESSION_ATTRIBUTES_BUDGET_BYTES",
    "alternating",
    "attributes_size",
    "encode",
    "fold_pending",
    "load_history",
    "remember",
]


def load_history(attributes: Mapping[str, str]) -> tuple[list[Message], str | None]:
    """The remembered messages, oldest first, and a note for the log when the value was unusable."""
    history, note = shared.load_history(attributes)
    return [_to_llm(m) for m in history], note


def alternating(history: Sequence[Message]) -> list[Message]:
    """The history starting with a user message, roles alternating (repeats joined)."""
    return [_to_llm(m) for m in shared.alternating(_to_shared(history))]


def encode(messages: Sequence[Message]) -> str:
    """The attribute's value for these messages."""
    return shared.encode(_to_shared(messages))


def remember(
    attributes: Mapping[str, str],
    history: Sequence[Message],
    user_text: str,
    answer: str,
    *,
    max_messages: int,
    budget_bytes: int = SESSION_ATTRIBUTES_BUDGET_BYTES,
) -> dict[str, str]:
    """The session attributes to return: the others unchanged, the memory updated and trimmed."""
    return shared.remember(
        attributes,
        _to_shared(history),
        user_text,
        answer,
        max_messages=max_messages,
        budget_bytes=budget_bytes,
    )


def _to_llm(message: shared.Message) -> Message:
    return Message(message.role, message.content)


def _to_shared(messages: Sequence[Message]) -> list[shared.Message]:
    # Only user and assistant messages are ever remembered (the system prompt is rebuilt each turn).
    return [shared.Message(m.role, m.content) for m in messages if m.role != "system"]
