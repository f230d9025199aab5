"""The router's own words: the apology when a handler fails and the intent has no failure response."""

from __future__ import annotations

_APOLOGY = {
    "ko": "죄송합니다. 요청을 처리하지 못했어요. 잠시 후 다시 시도해 주세요.",
    "en": "Sorry, I couldn't complete that request. Please try again in a moment.",
}


def apology(locale: str) -> str:
    """Korean for Korean locales, English for every other."""
    return _APOLOGY["ko" if locale.startswith("ko") else "en"]
