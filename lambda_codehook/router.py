"""The router: one Lex V2 code-hook event in, one response out, whichever intent it is for.

- FallbackIntent -> the LLM fallback (`lambda_chatgpt`), unchanged.
- An intent whose handler module defines a function for this invocation source (`dialog` for
  DialogCodeHook, which also covers initial-response, slot-capture and confirmation hooks;
  `fulfillment` for FulfillmentCodeHook) -> that function, its answer checked against the
  code-hook contract.
- Any other intent -> what Lex does without a Lambda: Delegate for a dialog hook (the intent and
  slots echoed), and for fulfillment a Close with the intent Fulfilled and no messages, so the
  bot's own success and closing responses play. Never an LLM answer.

A handler that raises, runs out of time or answers something Lex would reject closes the intent
as Failed: with no messages when the intent defines a fulfillment failure response (Lex plays it)
and this is the fulfillment hook, else a short apology in the user's language. The reason is
logged with the intent; the user never sees a stack trace and Lex never gets an invalid answer.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol

from lambda_chatgpt.answered_by import Source, mark_response
from lambda_chatgpt.budget import CLIENT_ATTRIBUTE
from lambda_chatgpt.deadline import Deadline, latency_fields, remaining_millis
from lexhook import IntentRequest, LlmUnavailableError, Response, to_lex

from .bot_model import FALLBACK_INTENT, BotModel
from .contract import ContractError, check_response
from .discovery import IntentHandlers
from .metrics import record_handler_call
from .runner import run_with_timeout
from .texts import apology

DIALOG = "DialogCodeHook"
FULFILLMENT = "FulfillmentCodeHook"
# Time kept back from the Lambda's remaining time to build and return the failure answer.
HANDLER_MARGIN_SECONDS = 1.0
# How long a handler may run when the context does not say how much time is left.
DEFAULT_HANDLER_SECONDS = 25.0

CodeHook = Callable[[Any, Any], dict[str, Any]]


class LlmPort(Protocol):
    """What the router needs from the LLM side to serve `IntentRequest.ask_llm`."""

    def deadline(self, remaining_millis: int | None) -> Deadline: ...

    def ask(
        self,
        prompt: str,
        *,
        instructions: str | None,
        locale: str,
        attributes: Mapping[str, str],
        deadline: Deadline,
        session_id: str = "",
        client: str | None = None,
    ) -> str: ...


class RouteLog(Protocol):
    def info(self, msg: str, *, extra: dict[str, Any]) -> None: ...
    def error(self, msg: str, *, extra: dict[str, Any]) -> None: ...


class Router:
    """Routes code-hook events. `broken` (the handlers could not be loaded) fails every hook event but
    FallbackIntent's: without its handlers the router cannot tell which intents needed one."""

    def __init__(
        self,
        bot: BotModel,
        handlers: Mapping[str, IntentHandlers],
        *,
        fallback: CodeHook,
        llm: LlmPort | None,
        log: RouteLog,
        broken: str | None = None,
    ) -> None:
        self._bot = bot
        self._handlers = dict(handlers)
        self._fallback = fallback
        self._llm = llm
        self._log = log
        self._broken = broken

    def route(self, event: Any, context: Any) -> dict[str, Any]:
        data: Mapping[str, Any] = event if isinstance(event, Mapping) else {}
        intent = _mapping(_mapping(data.get("sessionState")).get("intent"))
        name = intent.get("name") if isinstance(intent.get("name"), str) else ""
        if not name or name == FALLBACK_INTENT:
            return self._fallback(event, context)
        started = time.perf_counter()
        raw_source = data.get("invocationSource")
        source = raw_source if isinstance(raw_source, str) else ""
        locale = _mapping(data.get("bot")).get("localeId")
        fields: dict[str, Any] = {
            "intent": name,
            "invocation_source": source,
            "locale": locale if isinstance(locale, str) else "",
            "session_id": data.get("sessionId") if isinstance(data.get("sessionId"), str) else None,
        }
        if self._broken is not None:
            return self._failed(
                data,
                source,
                {**fields, "route": "handler"},
                f"handlers not loaded: {self._broken}",
                error_type="not_loaded",
            )
        handlers = self._handlers.get(name)
        function = None
        if handlers is not None:
            function = handlers.fulfillment if source == FULFILLMENT else handlers.dialog
        if function is None:
            response = default_response(data, source)
            self._log.info("code hook turn", extra={**fields, "route": "default", **latency_fields(started)})
            return response
        fields.update(route="handler", handler=handlers.path if handlers else "")
        return self._run(function, data, context, source, fields, started)

    def _run(
        self,
        function: Callable[[Any], Any],
        event: Mapping[str, Any],
        context: Any,
        source: str,
        fields: dict[str, Any],
        started: float,
    ) -> dict[str, Any]:
        remaining = remaining_millis(context)
        request = IntentRequest(event, ask_llm=self._asker(event, remaining))
        timeout = (
            DEFAULT_HANDLER_SECONDS if remaining is None else remaining / 1000.0 - HANDLER_MARGIN_SECONDS
        )
        run = run_with_timeout(function, request, timeout)
        if run.timed_out:
            return self._failed(
                event,
                source,
                fields,
                f"the handler did not answer within {max(timeout, 0):.1f} s",
                error_type="timed_out",
            )
        if run.error is not None:
            return self._failed(
                event, source, fields, f"the handler raised {_described(run.error)}", error_type="raised"
            )
        answer = run.value
        if isinstance(answer, Response):
            try:
                answer = to_lex(answer, request)
            except Exception as error:  # a Response built by hand with odd values
                return self._failed(event, source, fields, f"the handler's Response cannot be sent: {error}")
        elif not isinstance(answer, Mapping):
            return self._failed(
                event,
                source,
                fields,
                f"the handler returned {type(answer).__name__}, not a lexhook Response (return "
                "delegate(), elicit_slot(...), confirm_intent(...), elicit_intent(...) or close(...))",
            )
        locale = str(fields["locale"])
        try:
            response = check_response(answer, bot=self._bot, locale=locale, source=source)
        except ContractError as error:
            return self._failed(
                event, source, fields, f"the handler's answer breaks the code-hook contract: {error}"
            )
        response = mark_response(response, event, "handler")
        record_handler_call(intent=str(fields["intent"]), invocation_source=source)
        action = response["sessionState"]["dialogAction"]["type"]
        self._log.info(
            "code hook turn",
            extra={**fields, "outcome": "answered", "dialog_action": action, **latency_fields(started)},
        )
        return response

    def _asker(
        self, event: Mapping[str, Any], remaining: int | None
    ) -> Callable[[str, str | None], str] | None:
        llm = self._llm
        if llm is None:
            return None
        deadline = llm.deadline(remaining)
        locale = _mapping(event.get("bot")).get("localeId")
        attributes = {
            k: v
            for k, v in _mapping(_mapping(event.get("sessionState")).get("sessionAttributes")).items()
            if isinstance(k, str) and isinstance(v, str)
        }

        session_id = event.get("sessionId")
        client = _mapping(event.get("requestAttributes")).get(CLIENT_ATTRIBUTE)

        def ask(prompt: str, instructions: str | None) -> str:
            try:
                return llm.ask(
                    prompt,
                    instructions=instructions,
                    locale=locale if isinstance(locale, str) else "en_US",
                    attributes=attributes,
                    deadline=deadline,
                    session_id=session_id if isinstance(session_id, str) else "",
                    client=client if isinstance(client, str) and client else None,
                )
            except LlmUnavailableError:
                raise
            except Exception as error:  # an LlmError of the fallback, or a bug below it
                raise LlmUnavailableError(getattr(error, "kind", "error"), str(error)) from None

        return ask

    def _failed(
        self,
        event: Mapping[str, Any],
        source: str,
        fields: dict[str, Any],
        reason: str,
        *,
        error_type: str = "invalid_response",
    ) -> dict[str, Any]:
        locale = str(fields.get("locale") or "en_US")
        info = self._bot.intent(locale, str(fields["intent"]))
        silent = source == FULFILLMENT and info is not None and info.failure_response
        response = failed_response(event, None if silent else apology(locale))
        self._log.error(
            "intent handler failed", extra={**fields, "outcome": "failed", "reason": reason[:500]}
        )
        record_handler_call(intent=str(fields["intent"]), invocation_source=source, error_type=error_type)
        source_kind: Source = "notice"
        return mark_response(response, event, source_kind)


def default_response(event: Mapping[str, Any], source: str) -> dict[str, Any]:
    """What Lex does for a hook nobody handles: Delegate (dialog) or fulfilled with no messages."""
    state = _mapping(event.get("sessionState"))
    intent = _echoed_intent(state)
    if source == FULFILLMENT:
        intent["state"] = "Fulfilled"
        action = {"type": "Close"}
    else:
        action = {"type": "Delegate"}
    return _session_response(state, action, intent, [])


def failed_response(event: Mapping[str, Any], message: str | None) -> dict[str, Any]:
    """Close with the intent Failed, with `message` or no message (the bot's failure response)."""
    state = _mapping(event.get("sessionState"))
    intent = _echoed_intent(state)
    intent["state"] = "Failed"
    messages = [{"contentType": "PlainText", "content": message}] if message else []
    return _session_response(state, {"type": "Close"}, intent, messages)


def _echoed_intent(state: Mapping[str, Any]) -> dict[str, Any]:
    raw = _mapping(state.get("intent"))
    intent: dict[str, Any] = {"name": raw.get("name")}
    if isinstance(raw.get("slots"), Mapping):
        intent["slots"] = dict(raw["slots"])
    intent["state"] = (
        raw.get("state") if raw.get("state") in ("InProgress", "ReadyForFulfillment") else "InProgress"
    )
    confirmation = raw.get("confirmationState")
    intent["confirmationState"] = confirmation if confirmation in ("Confirmed", "Denied", "None") else "None"
    return intent


def _session_response(
    state: Mapping[str, Any], action: dict[str, Any], intent: dict[str, Any], messages: list[dict[str, Any]]
) -> dict[str, Any]:
    attributes = {
        k: v
        for k, v in _mapping(state.get("sessionAttributes")).items()
        if isinstance(k, str) and isinstance(v, str)
    }
    session_state: dict[str, Any] = {
        "sessionAttributes": attributes,
        "dialogAction": action,
        "intent": intent,
    }
    if isinstance(state.get("activeContexts"), list):
        session_state["activeContexts"] = state["activeContexts"]
    response: dict[str, Any] = {"sessionState": session_state}
    if messages:
        response["messages"] = messages
    return response


def _described(error: BaseException) -> str:
    """`Type at file:line: message`, the line being where it was raised (no full stack trace)."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return f"{type(error).__name__}{where}: {error}"


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}
