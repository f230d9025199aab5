"""The Lex V2 runtime's rest-json wire: routes, request validation, and response encodings.

Routes (service model ``lexv2-runtime`` 2020-08-07), under
``/bots/{botId}/botAliases/{botAliasId}/botLocales/{localeId}/sessions/{sessionId}``::

    POST   .../text       RecognizeText
    POST   .../utterance  RecognizeUtterance (text input; see `utterance_wire`)
    GET    ...            GetSession
    POST   ...            PutSession
    DELETE ...            DeleteSession

Validation follows the model's constraints and answers ValidationException in the service's
"1 validation error detected: Value at 'x' failed to satisfy constraint: ..." style. Text length
is counted in UTF-16 code units, as the Lex V2 quotas page says character limits are counted.
PutSession answers in headers: the session state, messages and request attributes as
base64-encoded gzipped JSON (``x-amz-lex-session-state``, ``x-amz-lex-messages``,
``x-amz-lex-request-attributes``), as the service model documents them.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from .errors import ValidationException
from .hook_contract import InvalidHookResponseError, validate_messages

MAX_BODY_BYTES = 64 * 1024
MAX_TEXT_UNITS = 1024
TEXT_PLAIN = "text/plain; charset=utf-8"

_ROUTE = re.compile(
    r"^/bots/(?P<bot>[^/]*)/botAliases/(?P<alias>[^/]*)/botLocales/(?P<locale>[^/]*)"
    r"/sessions/(?P<session>[^/]*)(?P<tail>/[^/]*)?/?$"
)
_BOT_ID = re.compile(r"^[0-9a-zA-Z]+$")
_SESSION_ID = re.compile(r"^[0-9a-zA-Z._:-]+$")
_CONTEXT_NAME = re.compile(r"^([A-Za-z0-9]_?)+$")

DIALOG_ACTION_TYPES = ("Close", "ConfirmIntent", "Delegate", "ElicitIntent", "ElicitSlot", "None")
INTENT_STATES = (
    "Failed",
    "Fulfilled",
    "InProgress",
    "ReadyForFulfillment",
    "Waiting",
    "FulfillmentInProgress",
)
CONFIRMATION_STATES = ("Confirmed", "Denied", "None")


class RouteNotFoundError(Exception):
    """No operation lives at this path."""


class MethodNotAllowedError(Exception):
    def __init__(self, allowed: tuple[str, ...]) -> None:
        super().__init__(", ".join(allowed))
        self.allowed = allowed


class UnsupportedOperationError(Exception):
    """A real Lex V2 operation the emulator does not implement (StartConversation)."""


@dataclass(frozen=True)
class Route:
    operation: str
    bot_id: str
    alias_id: str
    locale_id: str
    session_id: str


def match_route(method: str, path: str) -> Route:
    path = path.split("?", 1)[0]
    match = _ROUTE.match(path)
    if match is None:
        raise RouteNotFoundError(path)
    tail = match.group("tail")
    params = [unquote(match.group(name)) for name in ("bot", "alias", "locale", "session")]
    if tail in (None, "", "/"):
        operations = {"GET": "GetSession", "POST": "PutSession", "DELETE": "DeleteSession"}
    elif tail == "/text":
        operations = {"POST": "RecognizeText"}
    elif tail == "/utterance":
        operations = {"POST": "RecognizeUtterance"}
    elif tail == "/conversation":
        raise UnsupportedOperationError("StartConversation")
    else:
        raise RouteNotFoundError(path)
    if method not in operations:
        raise MethodNotAllowedError(tuple(sorted(operations)))
    return Route(operations[method], *params)


# -- validation ------------------------------------------------------------------------------------


class _Errors:
    """Collects constraint violations; raises them together, as the service does."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, constraint: str) -> None:
        self.items.append(f"Value at '{where}' failed to satisfy constraint: {constraint}")

    def raise_if_any(self) -> None:
        if self.items:
            count = len(self.items)
            noun = "error" if count == 1 else "errors"
            raise ValidationException(f"{count} validation {noun} detected: " + "; ".join(self.items))


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def validate_route(route: Route, errors: _Errors) -> None:
    if len(route.bot_id) != 10:
        errors.add("botId", "Member must have length equal to 10")
    elif not _BOT_ID.match(route.bot_id):
        errors.add("botId", "Member must satisfy regular expression pattern: ^[0-9a-zA-Z]+$")
    if not route.alias_id:
        errors.add("botAliasId", "Member must not be empty")
    if not route.locale_id:
        errors.add("localeId", "Member must have length greater than or equal to 1")
    if len(route.session_id) < 2:
        errors.add("sessionId", "Member must have length greater than or equal to 2")
    elif len(route.session_id) > 100:
        errors.add("sessionId", "Member must have length less than or equal to 100")
    elif not _SESSION_ID.match(route.session_id):
        errors.add("sessionId", "Member must satisfy regular expression pattern: [0-9a-zA-Z._:-]+")


def _string_map(raw: Any, where: str, errors: _Errors) -> dict[str, str] | None:
    if not isinstance(raw, dict):
        errors.add(where, "Member must be a map of strings to strings")
        return None
    for key, value in raw.items():
        if not key:
            errors.add(where, "Map keys must have length greater than or equal to 1")
        if not isinstance(value, str):
            errors.add(f"{where}.{key}", "Member must be a string")
    return raw


SLOT_SHAPES = ("Scalar", "List", "Composite")


def _validate_slot(raw: Any, where: str, errors: _Errors) -> None:
    """A client's slot (the runtime's Slot structure): Scalar, or List with Scalar ``values``."""
    if raw is None:
        return
    if not isinstance(raw, dict):
        errors.add(where, "Member must be a structure")
        return
    shape = raw.get("shape", "Scalar")
    if shape not in SLOT_SHAPES:
        errors.add(f"{where}.shape", "Member must satisfy enum value set: [" + ", ".join(SLOT_SHAPES) + "]")
        return
    if shape == "Composite":
        errors.add(f"{where}.shape", "Composite slots are not supported by the Lex emulator")
        return
    value = raw.get("value")
    if shape == "List":
        items = raw.get("values")
        if not isinstance(items, list) or not items:
            errors.add(f"{where}.values", "Member must be a non-empty list of slots when shape is List")
            return
        for index, item in enumerate(items):
            at = f"{where}.values.{index + 1}.member"
            if (
                not isinstance(item, dict)
                or item.get("shape", "Scalar") != "Scalar"
                or item.get("value") is None
            ):
                errors.add(at, "Member must be a Scalar slot with a value")
                continue
            _validate_value(item["value"], at, errors)
        if value is not None:
            _validate_value(value, where, errors)
        return
    if value is not None:
        _validate_value(value, where, errors)


def _validate_value(value: Any, where: str, errors: _Errors) -> None:
    if not isinstance(value, dict):
        errors.add(f"{where}.value", "Member must be a structure")
        return
    interpreted = value.get("interpretedValue")
    if not isinstance(interpreted, str) or not interpreted:
        errors.add(f"{where}.value.interpretedValue", "Member must not be null and have length >= 1")
    if "originalValue" in value and not isinstance(value["originalValue"], str):
        errors.add(f"{where}.value.originalValue", "Member must be a string")
    resolved = value.get("resolvedValues", [])
    if not isinstance(resolved, list) or not all(isinstance(item, str) and item for item in resolved):
        errors.add(f"{where}.value.resolvedValues", "Member must be a list of non-empty strings")


def validate_session_state(raw: Any, where: str, errors: _Errors) -> dict[str, Any] | None:
    if not isinstance(raw, dict):
        errors.add(where, "Member must be a structure")
        return None
    action = raw.get("dialogAction")
    if action is not None:
        if not isinstance(action, dict):
            errors.add(f"{where}.dialogAction", "Member must be a structure")
        else:
            if action.get("type") not in DIALOG_ACTION_TYPES:
                errors.add(
                    f"{where}.dialogAction.type",
                    "Member must not be null and satisfy enum value set: ["
                    + ", ".join(DIALOG_ACTION_TYPES)
                    + "]",
                )
            slot = action.get("slotToElicit")
            if slot is not None and (not isinstance(slot, str) or not slot):
                errors.add(
                    f"{where}.dialogAction.slotToElicit", "Member must have length greater than or equal to 1"
                )
    intent = raw.get("intent")
    if intent is not None:
        if not isinstance(intent, dict):
            errors.add(f"{where}.intent", "Member must be a structure")
        else:
            if not isinstance(intent.get("name"), str) or not intent.get("name"):
                errors.add(f"{where}.intent.name", "Member must not be null and have length >= 1")
            if intent.get("state") is not None and intent["state"] not in INTENT_STATES:
                errors.add(
                    f"{where}.intent.state",
                    "Member must satisfy enum value set: [" + ", ".join(INTENT_STATES) + "]",
                )
            confirmation = intent.get("confirmationState")
            if confirmation is not None and confirmation not in CONFIRMATION_STATES:
                errors.add(
                    f"{where}.intent.confirmationState",
                    "Member must satisfy enum value set: [" + ", ".join(CONFIRMATION_STATES) + "]",
                )
            slots = intent.get("slots")
            if slots is not None:
                if not isinstance(slots, dict):
                    errors.add(f"{where}.intent.slots", "Member must be a map")
                else:
                    for name, slot_raw in slots.items():
                        _validate_slot(slot_raw, f"{where}.intent.slots.{name}", errors)
    if raw.get("sessionAttributes") is not None:
        _string_map(raw["sessionAttributes"], f"{where}.sessionAttributes", errors)
    contexts = raw.get("activeContexts")
    if contexts is not None:
        _validate_contexts(contexts, f"{where}.activeContexts", errors)
    return raw


def _validate_contexts(raw: Any, where: str, errors: _Errors) -> None:
    if not isinstance(raw, list) or len(raw) > 20:
        errors.add(where, "Member must be a list of at most 20 active contexts")
        return
    for index, context in enumerate(raw):
        at = f"{where}.{index + 1}.member"
        if not isinstance(context, dict):
            errors.add(at, "Member must be a structure")
            continue
        name = context.get("name")
        if not isinstance(name, str) or not 1 <= len(name) <= 100 or not _CONTEXT_NAME.match(name):
            errors.add(f"{at}.name", "Member must satisfy regular expression pattern: ^([A-Za-z0-9]_?)+$")
        ttl = context.get("timeToLive")
        if not isinstance(ttl, dict):
            errors.add(f"{at}.timeToLive", "Member must not be null")
        else:
            seconds, turns = ttl.get("timeToLiveInSeconds"), ttl.get("turnsToLive")
            if not isinstance(seconds, int) or isinstance(seconds, bool) or not 5 <= seconds <= 86400:
                errors.add(f"{at}.timeToLive.timeToLiveInSeconds", "Member must be between 5 and 86400")
            if not isinstance(turns, int) or isinstance(turns, bool) or not 1 <= turns <= 20:
                errors.add(f"{at}.timeToLive.turnsToLive", "Member must be between 1 and 20")
        attributes = context.get("contextAttributes")
        if not isinstance(attributes, dict) or len(attributes) > 10:
            errors.add(f"{at}.contextAttributes", "Member must be a map of at most 10 entries")


def parse_json_object(raw: bytes) -> dict[str, Any]:
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValidationException("The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise ValidationException("The request body must be a JSON object.")
    return body


@dataclass(frozen=True)
class RecognizeTextInput:
    text: str
    session_state: dict[str, Any] | None
    request_attributes: dict[str, str] | None


@dataclass(frozen=True)
class PutSessionInput:
    session_state: dict[str, Any]
    messages: list[dict[str, Any]] | None
    request_attributes: dict[str, str] | None
    response_content_type: str


def validate_recognize_text(route: Route, body: dict[str, Any]) -> RecognizeTextInput:
    errors = _Errors()
    validate_route(route, errors)
    text = body.get("text")
    if text is None:
        errors.add("text", "Member must not be null")
    elif not isinstance(text, str):
        errors.add("text", "Member must be a string")
    elif utf16_units(text) < 1:
        errors.add("text", "Member must have length greater than or equal to 1")
    elif utf16_units(text) > MAX_TEXT_UNITS:
        errors.add("text", f"Member must have length less than or equal to {MAX_TEXT_UNITS}")
    state = None
    if body.get("sessionState") is not None:
        state = validate_session_state(body["sessionState"], "sessionState", errors)
    attributes = None
    if body.get("requestAttributes") is not None:
        attributes = _string_map(body["requestAttributes"], "requestAttributes", errors)
    errors.raise_if_any()
    assert isinstance(text, str)
    return RecognizeTextInput(text=text, session_state=state, request_attributes=attributes)


def validate_put_session(
    route: Route, body: dict[str, Any], content_type_header: str | None
) -> PutSessionInput:
    errors = _Errors()
    validate_route(route, errors)
    state = None
    if body.get("sessionState") is None:
        errors.add("sessionState", "Member must not be null")
    else:
        state = validate_session_state(body["sessionState"], "sessionState", errors)
    attributes = None
    if body.get("requestAttributes") is not None:
        attributes = _string_map(body["requestAttributes"], "requestAttributes", errors)
    messages = None
    if body.get("messages") is not None:
        try:
            messages = validate_messages(body["messages"], "messages")
        except InvalidHookResponseError as error:
            errors.add("messages", str(error))
    response_type = content_type_header or TEXT_PLAIN
    if not response_type.lower().startswith("text/plain"):
        errors.add("responseContentType", "The Lex emulator answers text only (text/plain; charset=utf-8)")
    errors.raise_if_any()
    assert state is not None
    return PutSessionInput(
        session_state=state,
        messages=messages,
        request_attributes=attributes,
        response_content_type=response_type,
    )


def validate_session_route(route: Route) -> None:
    errors = _Errors()
    validate_route(route, errors)
    errors.raise_if_any()


# -- encodings -------------------------------------------------------------------------------------


def packed_header(value: Any) -> str:
    """JSON, gzipped, base64-encoded: how Lex V2 puts structures in response headers."""
    raw = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.b64encode(gzip.compress(raw, mtime=0)).decode("ascii")


def unpack_header(value: str) -> Any:
    """The inverse of `packed_header` (for clients and tests)."""
    return json.loads(gzip.decompress(base64.b64decode(value)).decode("utf-8"))
