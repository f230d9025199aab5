"""The /chat core: one user turn in, Lex's answer out, shaped as the API's 200 body.

It knows nothing of Lambda or HTTP; the gateway it is given does the talking to Lex.

Each turn carries a fresh id in the request attribute `x-chatbot-turn`. The code hook says who
wrote its messages by setting the session attribute `x-chatbot-answered-by` to `<turn>:<source>`;
anything else (Lex's own prompts and responses) is `lex`. Turns the LLM did not answer are added to
the conversation memory (`conversation_memory`) and written back with one PutSession, best effort,
so the LLM sees the whole recent conversation and not only its own turns.

With an answer store (`streaming.Streaming`), a turn may also be refused while the session has an
answer still being written, may come back as a handle to a streamed answer, and is added to the
session's kept conversation (see streaming.py); without one none of that happens.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import conversation_memory

from .lex_gateway import LexCallError
from .request import ChatRequest
from .streaming import (
    ANSWER_TOKEN_ATTRIBUTE,
    PENDING_SOURCE_PREFIX,
    STREAM_ATTRIBUTE,
    PendingFold,
    Streaming,
    answer_handle,
    is_answer_id,
    new_token,
    transcript_turns,
)

FALLBACK_INTENT = "FallbackIntent"
MESSAGE_SEPARATOR = "\n\n"
TURN_ATTRIBUTE = "x-chatbot-turn"
# The caller's pseudonymous key (client_key.py), for the code hook's per-client LLM budget.
CLIENT_ATTRIBUTE = "x-chatbot-client"
ANSWERED_BY_ATTRIBUTE = "x-chatbot-answered-by"
# Who answered a turn: Lex itself, or (as the code hook reports it) the LLM, an intent's handler,
# or the fallback's own fixed message.
SOURCE_LEX = "lex"
SOURCE_LLM = "llm"
HOOK_SOURCES = frozenset({SOURCE_LLM, "handler", "notice"})
# PutSession with a Delegate action would make Lex run the dialog again: never write that back.
_NOT_WRITTEN_BACK_ACTIONS = frozenset({"Delegate"})
# The dialog step the last memory write restated ("<intent>|<action>|<slot>"). A turn that ends on the
# same ElicitSlot/ConfirmIntent step is a re-prompt: it is not written back, because a PutSession
# restarts the step and whether Lex then restarts its count of retries is not documented. Writing
# only the first prompt of a step (retry count 0 either way) keeps MaxRetries and the fallback after
# it working whatever Lex does; the re-prompt exchanges ("maybe" / the same question) are not kept.
DIALOG_STEP_ATTRIBUTE = "x-chatbot-dialog-step"
_PROMPT_ACTIONS = frozenset({"ElicitSlot", "ConfirmIntent"})

Slots = dict[str, str | list[str] | None]


class LexRuntime(Protocol):
    """The part of LexGateway the core uses (a fake in unit tests)."""

    def recognize_text(
        self,
        *,
        bot_id: str,
        bot_alias_id: str,
        locale_id: str,
        session_id: str,
        text: str,
        request_attributes: Mapping[str, str] | None = None,
        time_left: Callable[[], float] | None = None,
    ) -> Mapping[str, Any]: ...

    def put_session(
        self,
        *,
        bot_id: str,
        bot_alias_id: str,
        locale_id: str,
        session_id: str,
        session_state: Mapping[str, Any],
        time_left: Callable[[], float] | None = None,
    ) -> None: ...


@dataclass(frozen=True)
class ChatReply:
    """The 200 body of /chat, and (not in the body) what became of the conversation memory."""

    msg: str
    messages: list[dict[str, str]]
    session_id: str
    locale: str
    intent: str | None
    intent_state: str | None
    dialog_action: str | None
    source: str
    slots: Slots = field(default_factory=dict)
    memory: str = "unchanged"
    memory_error: LexCallError | None = None
    # The code hook's streamed answer for this turn (its id), when it started one.
    pending_answer: str | None = None
    # With an answer store: the handle to read the streamed answer, the conversation token (first
    # turn only), and why the transcript could not be written (best effort, for the log).
    answer: dict[str, str] | None = None
    conversation_token: str | None = None
    store_error: str | None = None

    def to_body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "msg": self.msg,
            "messages": self.messages,
            "sessionId": self.session_id,
            "locale": self.locale,
            "intent": self.intent,
            "intentState": self.intent_state,
            "dialogAction": self.dialog_action,
            "slots": self.slots,
            "source": self.source,
        }
        if self.answer is not None:
            body["answer"] = self.answer
        if self.conversation_token is not None:
            body["conversation"] = {"token": self.conversation_token}
        return body


def new_turn_id() -> str:
    """A fresh id for one turn (uuid4, 32 hex digits)."""
    return uuid.uuid4().hex


def converse(
    request: ChatRequest,
    lex: LexRuntime,
    *,
    bot_id: str,
    bot_alias_id: str,
    history_messages: int = 0,
    time_left: Callable[[], float] | None = None,
    turn_id: Callable[[], str] = new_turn_id,
    client: str | None = None,
    streaming: Streaming | None = None,
) -> ChatReply:
    """Send the turn to Lex and describe its answer; Lex errors propagate as LexCallError.

    When the LLM did not answer and `history_messages` > 0, the turn is added to the memory with
    PutSession; a failed PutSession is reported in `memory_error`, never raised.

    With `streaming` (an answer store): raises AnswerBusyError before Lex while the session has an
    answer still being written; a `stream` request may come back with an answer handle; the turn
    is added to the kept conversation (best effort: a failure is reported in `store_error`)."""
    asked_at = streaming.now() if streaming is not None else 0.0
    store_problem = streaming.check_idle(request.session_id) if streaming is not None else None
    turn = turn_id()
    attributes = {TURN_ATTRIBUTE: turn, **({CLIENT_ATTRIBUTE: client} if client else {})}
    answer_token = None
    if streaming is not None and request.stream:
        answer_token = new_token()
        attributes[STREAM_ATTRIBUTE] = "1"
        attributes[ANSWER_TOKEN_ATTRIBUTE] = answer_token
    response = lex.recognize_text(
        bot_id=bot_id,
        bot_alias_id=bot_alias_id,
        locale_id=request.locale,
        session_id=request.session_id,
        text=request.text,
        request_attributes=attributes,
        time_left=time_left,
    )
    reply = reply_from_lex(response, session_id=request.session_id, locale=request.locale, turn=turn)
    if reply.pending_answer is not None and answer_token is not None:
        # The code hook's placeholder is not the answer: the client reads it from the handle.
        reply = replace(reply, msg="", messages=[], answer=answer_handle(reply.pending_answer, answer_token))
    reply = _write_back(
        reply,
        response,
        request,
        lex,
        bot_id=bot_id,
        bot_alias_id=bot_alias_id,
        history_messages=history_messages,
        time_left=time_left,
        fold=streaming.fold(request.locale) if streaming is not None else None,
    )
    if streaming is None:
        return reply
    reply = _keep_turn(streaming, request, reply, asked_at)
    if store_problem is not None and reply.store_error is None:
        reply = replace(reply, store_error=store_problem)
    return reply


def _write_back(
    reply: ChatReply,
    response: Mapping[str, Any],
    request: ChatRequest,
    lex: LexRuntime,
    *,
    bot_id: str,
    bot_alias_id: str,
    history_messages: int,
    time_left: Callable[[], float] | None,
    fold: PendingFold | None,
) -> ChatReply:
    """Add a turn the LLM did not answer to the memory with one PutSession (best effort)."""
    if reply.source == SOURCE_LLM or history_messages <= 0:
        return reply
    state = remembered_state(response, request.text, reply.msg, max_messages=history_messages, fold=fold)
    if state is None:
        return replace(reply, memory="not_written")
    try:
        lex.put_session(
            bot_id=bot_id,
            bot_alias_id=bot_alias_id,
            locale_id=request.locale,
            session_id=request.session_id,
            session_state=state,
            time_left=time_left,
        )
    except LexCallError as error:
        return replace(reply, memory="failed", memory_error=error)
    return replace(reply, memory="written")


def _keep_turn(streaming: Streaming, request: ChatRequest, reply: ChatReply, asked_at: float) -> ChatReply:
    """Add the turn to the session's kept conversation; the first turn also gets its token."""
    turns = transcript_turns(
        user_text=request.text,
        source=reply.source,
        msg=reply.msg,
        messages=reply.messages,
        slots=reply.slots,
        answer_id=reply.pending_answer if reply.answer is not None else None,
        asked_at=asked_at,
        answered_at=streaming.now(),
    )
    token, problem = streaming.record(request.session_id, turns, first_turn_hint=request.session_generated)
    return replace(reply, conversation_token=token, store_error=problem)


def remembered_state(
    response: Mapping[str, Any],
    user_text: str,
    answer: str,
    *,
    max_messages: int,
    fold: PendingFold | None = None,
) -> dict[str, Any] | None:
    """The sessionState RecognizeText returned, with the turn added to its memory attribute; None
    when there is no state to write back. `fold` first remembers a streamed answer that ended since
    the code hook started it (so memory keeps the conversation's order)."""
    state = response.get("sessionState")
    if not isinstance(state, Mapping):
        return None
    dialog_action = _mapping(state.get("dialogAction"))
    action = dialog_action.get("type")
    if action in _NOT_WRITTEN_BACK_ACTIONS:
        return None
    attributes = {
        str(key): value
        for key, value in _mapping(state.get("sessionAttributes")).items()
        if isinstance(value, str)
    }
    step = None
    if action in _PROMPT_ACTIONS:
        intent_name = _mapping(state.get("intent")).get("name")
        step = f"{intent_name}|{action}|{dialog_action.get('slotToElicit') or ''}"
        if attributes.get(DIALOG_STEP_ATTRIBUTE) == step:
            return None  # a re-prompt of the step the last write restated
    if fold is not None:
        attributes = fold(attributes)
    history, _note = conversation_memory.load_history(attributes)
    updated = conversation_memory.remember(attributes, history, user_text, answer, max_messages=max_messages)
    updated.pop(DIALOG_STEP_ATTRIBUTE, None)
    if step is not None:
        updated[DIALOG_STEP_ATTRIBUTE] = step
    written = {**state, "sessionAttributes": updated}
    intent = state.get("intent")
    if isinstance(intent, Mapping) and isinstance(intent.get("slots"), Mapping):
        # RecognizeText reports an empty slot as null; PutSession's input does not accept null (an
        # absent slot is the same empty slot).
        slots = {name: slot for name, slot in intent["slots"].items() if slot is not None}
        written["intent"] = {**intent, "slots": slots}
    return written


def reply_from_lex(
    response: Mapping[str, Any], *, session_id: str, locale: str, turn: str | None = None
) -> ChatReply:
    """Map a RecognizeText response to the API's reply; tolerant of missing parts."""
    messages = _messages(response.get("messages"))
    state = _mapping(response.get("sessionState"))
    intent = _mapping(state.get("intent"))
    intent_name = _text_or_none(intent.get("name"))
    if intent_name is None:
        interpretations = response.get("interpretations")
        if isinstance(interpretations, Sequence) and interpretations:
            first = _mapping(interpretations[0])
            intent_name = _text_or_none(_mapping(first.get("intent")).get("name"))
    attributes = _mapping(state.get("sessionAttributes"))
    return ChatReply(
        msg=MESSAGE_SEPARATOR.join(m["content"] for m in messages if m["content"]),
        messages=messages,
        session_id=session_id,
        locale=locale,
        intent=intent_name,
        intent_state=_text_or_none(intent.get("state")),
        dialog_action=_text_or_none(_mapping(state.get("dialogAction")).get("type")),
        source=answered_by(attributes, turn),
        slots=slot_values(intent.get("slots")),
        pending_answer=pending_answer(attributes, turn),
    )


def answered_by(attributes: Mapping[str, Any], turn: str | None) -> str:
    """Who wrote this turn's messages, from the code hook's `x-chatbot-answered-by` attribute."""
    marker = attributes.get(ANSWERED_BY_ATTRIBUTE)
    if isinstance(marker, str) and turn is not None:
        claimed_turn, _, source = marker.partition(":")
        if claimed_turn == turn and source in HOOK_SOURCES:
            return source
    if pending_answer(attributes, turn) is not None:
        return SOURCE_LLM
    return SOURCE_LEX


def pending_answer(attributes: Mapping[str, Any], turn: str | None) -> str | None:
    """The streamed answer the code hook started for this turn (`<turn>:llm-pending:<answerId>`)."""
    marker = attributes.get(ANSWERED_BY_ATTRIBUTE)
    if not isinstance(marker, str) or turn is None:
        return None
    claimed_turn, _, source = marker.partition(":")
    if claimed_turn != turn or not source.startswith(PENDING_SOURCE_PREFIX):
        return None
    answer_id = source.removeprefix(PENDING_SOURCE_PREFIX)
    return answer_id if is_answer_id(answer_id) else None


def slot_values(raw: object) -> Slots:
    """Slot name -> interpreted value (a list for a multi-value slot, None when empty)."""
    result: Slots = {}
    for name, slot in _mapping(raw).items():
        if not isinstance(name, str):
            continue
        slot = _mapping(slot)
        if slot.get("shape") == "List" or ("values" in slot and "value" not in slot):
            values = slot.get("values")
            listed = [
                text
                for item in (values if isinstance(values, Sequence) and not isinstance(values, str) else [])
                if (text := _interpreted(_mapping(item))) is not None
            ]
            result[name] = listed or None
        else:
            result[name] = _interpreted(slot)
    return result


def _interpreted(slot: Mapping[str, Any]) -> str | None:
    value = _mapping(slot.get("value"))
    interpreted = value.get("interpretedValue")
    return interpreted if isinstance(interpreted, str) else None


def _messages(raw: object) -> list[dict[str, str]]:
    result: list[dict[str, str]] = []
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        return result
    for item in raw:
        message = _mapping(item)
        content_type = _text_or_none(message.get("contentType")) or "PlainText"
        content = message.get("content")
        if not isinstance(content, str):
            # An ImageResponseCard may come without content: show its title.
            content = _text_or_none(_mapping(message.get("imageResponseCard")).get("title")) or ""
        result.append({"contentType": content_type, "content": content})
    return result


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
