"""Who answered a turn: the session attribute the code hook writes for `/chat` (see the shared protocol).

`/chat` sends each RecognizeText with the request attribute `x-chatbot-turn`; a code hook whose
response carries messages it produced writes `x-chatbot-answered-by = "<turn>:<source>"`, source
`llm` (the LLM wrote the text), `handler` (a user's intent handler) or `notice` (a fixed message:
no LLM configured, timeout, a failed handler...). Without a turn id nothing is written. A streamed
LLM turn, whose answer a worker writes after the turn, is `<turn>:llm-pending:<answerId>`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

TURN_ATTRIBUTE = "x-chatbot-turn"
ANSWERED_BY_ATTRIBUTE = "x-chatbot-answered-by"
Source = Literal["llm", "handler", "notice"]
PENDING_SOURCE = "llm-pending"


def turn_id(event: object) -> str | None:
    """The event's `x-chatbot-turn` request attribute, if it has a usable one."""
    attributes = event.get("requestAttributes") if isinstance(event, Mapping) else None
    turn = attributes.get(TURN_ATTRIBUTE) if isinstance(attributes, Mapping) else None
    return turn if isinstance(turn, str) and turn else None


def marked(attributes: Mapping[str, str], event: object, source: Source | str) -> dict[str, str]:
    """`attributes` plus the answered-by marker for this event's turn (unchanged without a turn id)."""
    result = dict(attributes)
    turn = turn_id(event)
    if turn is not None:
        result[ANSWERED_BY_ATTRIBUTE] = f"{turn}:{source}"
    return result


def pending_source(answer_id: str) -> str:
    """The source of a streamed LLM turn whose answer is still being written: `llm-pending:<id>`."""
    return f"{PENDING_SOURCE}:{answer_id}"


def mark_response(response: dict[str, Any], event: object, source: Source) -> dict[str, Any]:
    """Write the marker into a code-hook response's session attributes when it carries messages."""
    return _mark(response, event, source)


def mark_pending(response: dict[str, Any], event: object, answer_id: str) -> dict[str, Any]:
    """`mark_response` for a streamed turn's placeholder: `<turn>:llm-pending:<answerId>`."""
    return _mark(response, event, pending_source(answer_id))


def _mark(response: dict[str, Any], event: object, source: str) -> dict[str, Any]:
    state = response.get("sessionState")
    attributes = state.get("sessionAttributes") if isinstance(state, dict) else None
    # Without sessionAttributes in the response Lex keeps the session's own; writing only the marker
    # would replace them (the memory with them), so such a response stays unmarked.
    if not response.get("messages") or not isinstance(state, dict) or not isinstance(attributes, Mapping):
        return response
    state["sessionAttributes"] = marked(attributes, event, source)
    return response
