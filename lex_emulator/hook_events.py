"""The Lex V2 code-hook input event (message version 1.0) the emulator sends to the Lambda handler.

Lex V2 developer guide, "AWS Lambda input event format for Lex V2". One shape for every invocation:

- ``invocationSource``: ``DialogCodeHook`` (initial response, slot capture, elicitation between
  attempts, confirmation, or a next step InvokeDialogCodeHook) or ``FulfillmentCodeHook``;
- ``invocationLabel``: the ``InvocationLabel`` of the setting that invoked it, when it has one;
- ``proposedNextState``: on dialog invocations, what Lex would do next when it knows
  (``dialogAction`` ElicitSlot with ``slotToElicit``, or ConfirmIntent; ``intent``; ``prompt.attempt``
  ``Initial`` or ``Retry1``..). Absent when the next step would be fulfilment, and on fulfilment;
- ``interpretations`` (each with ``intent`` in the event's slot shape, ``interpretationSource``
  ``Lex`` and ``nluConfidence`` as a plain number), ``sessionState`` (``sessionAttributes``,
  ``activeContexts`` when any, ``intent``, ``originatingRequestId``), ``inputTranscript``,
  ``inputMode`` ``Text``, ``responseContentType``, ``sessionId``, ``bot`` and, when the request had
  them, ``requestAttributes``. ``transcriptions`` is only sent for speech input, so never here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .state import IntentState

TEXT_CONTENT_TYPE = "text/plain; charset=utf-8"
DIALOG_CODE_HOOK = "DialogCodeHook"
FULFILLMENT_CODE_HOOK = "FulfillmentCodeHook"


@dataclass(frozen=True)
class BotInfo:
    """The bot and alias a locale belongs to, as a code-hook event names them."""

    bot_id: str
    bot_name: str
    alias_id: str
    alias_name: str
    version: str


@dataclass(frozen=True)
class Proposed:
    """``proposedNextState``: the dialog action Lex would take next."""

    action: str
    slot_to_elicit: str | None = None
    attempt: str = "Initial"


def build_event(
    *,
    source: str,
    bot: BotInfo,
    locale_id: str,
    session_id: str,
    transcript: str,
    request_id: str,
    intent: IntentState,
    interpretations: list[tuple[IntentState, float | None]],
    session_attributes: dict[str, str],
    active_contexts: list[dict[str, Any]],
    request_attributes: dict[str, str] | None,
    label: str | None = None,
    proposed: Proposed | None = None,
) -> dict[str, Any]:
    shown = []
    for candidate, score in interpretations:
        item: dict[str, Any] = {"intent": candidate.to_wire(with_shape=True), "interpretationSource": "Lex"}
        if score is not None:
            item["nluConfidence"] = score
        shown.append(item)
    session_state: dict[str, Any] = {
        "sessionAttributes": dict(session_attributes),
        "intent": intent.to_wire(with_shape=True),
        "originatingRequestId": request_id,
    }
    if active_contexts:
        session_state["activeContexts"] = [dict(context) for context in active_contexts]
    event: dict[str, Any] = {
        "messageVersion": "1.0",
        "invocationSource": source,
        "inputMode": "Text",
        "responseContentType": TEXT_CONTENT_TYPE,
        "sessionId": session_id,
        "inputTranscript": transcript,
        "bot": {
            "id": bot.bot_id,
            "name": bot.bot_name,
            "localeId": locale_id,
            "version": bot.version,
            "aliasId": bot.alias_id,
            "aliasName": bot.alias_name,
        },
        "interpretations": shown,
        "sessionState": session_state,
    }
    if label is not None:
        event["invocationLabel"] = label
    if proposed is not None:
        action: dict[str, Any] = {"type": proposed.action}
        if proposed.slot_to_elicit:
            action["slotToElicit"] = proposed.slot_to_elicit
        event["proposedNextState"] = {
            "dialogAction": action,
            "intent": intent.to_wire(with_shape=True),
            "prompt": {"attempt": proposed.attempt},
        }
    if request_attributes is not None:
        event["requestAttributes"] = dict(request_attributes)
    return event
