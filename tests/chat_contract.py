"""The /chat error contract as the tests check it: each documented status and its error codes."""

from __future__ import annotations

DOCUMENTED_ERRORS: dict[int, set[str]] = {
    400: {
        "invalid_json",
        "missing_text",
        "text_too_long",
        "invalid_session_id",
        "unsupported_locale",
        "invalid_field_type",
        "invalid_request",
    },
    409: {"session_busy"},
    413: {"payload_too_large"},
    415: {"unsupported_media_type"},
    429: {"throttled"},
    502: {"upstream_failed"},
    504: {"upstream_timeout"},
}
