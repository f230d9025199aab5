"""Reading an API Gateway REST proxy event (and the Lambda context) whatever it holds.

Every reader tolerates what a malformed or hand-made event may carry (a missing or null field, a
value of the wrong type) and answers None rather than raising: the handlers turn that into their
own error. Header names are matched case-insensitively, as HTTP wants.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


def as_event(raw: object) -> Mapping[str, Any]:
    """The event as a mapping; `{}` for anything else (a list, None), which then reads as empty."""
    return raw if isinstance(raw, Mapping) else {}


def request_id(event: Mapping[str, Any]) -> str | None:
    """API Gateway's `requestContext.requestId`, None when there is none."""
    context = event.get("requestContext")
    found = context.get("requestId") if isinstance(context, Mapping) else None
    return found if isinstance(found, str) else None


def header(event: Mapping[str, Any], name: str) -> str | None:
    """A request header by case-insensitive name, from `headers` or else `multiValueHeaders` (its
    first value)."""
    wanted = name.lower()
    headers = event.get("headers")
    if isinstance(headers, Mapping):
        for key, value in headers.items():
            if isinstance(key, str) and key.lower() == wanted and isinstance(value, str):
                return value
    multi = event.get("multiValueHeaders")
    if isinstance(multi, Mapping):
        for key, values in multi.items():
            if isinstance(key, str) and key.lower() == wanted and isinstance(values, list) and values:
                first = values[0]
                return first if isinstance(first, str) else None
    return None


def query(event: Mapping[str, Any], name: str) -> str | None:
    """A query string parameter, from `queryStringParameters` or else the first value in
    `multiValueQueryStringParameters`."""
    single = event.get("queryStringParameters")
    if isinstance(single, Mapping):
        value = single.get(name)
        if isinstance(value, str):
            return value
    multi = event.get("multiValueQueryStringParameters")
    if isinstance(multi, Mapping):
        values = multi.get(name)
        if isinstance(values, list) and values and isinstance(values[0], str):
            first: str = values[0]
            return first
    return None


def time_left(context: Any) -> Callable[[], float] | None:
    """Seconds the invocation has left, read from the Lambda context when asked; None without one
    (local mode, tests)."""
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    if not callable(remaining):
        return None
    return lambda: float(remaining()) / 1000.0
