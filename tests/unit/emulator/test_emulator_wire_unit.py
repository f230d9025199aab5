"""The wire helpers: routes, header packing and text length as Lex counts it."""

from __future__ import annotations

import pytest

from lex_emulator.wire import (
    MethodNotAllowedError,
    RouteNotFoundError,
    UnsupportedOperationError,
    match_route,
    packed_header,
    unpack_header,
    utf16_units,
)

BASE = "/bots/LOCALBOT01/botAliases/LOCALALIAS/botLocales/ko_KR/sessions/abc"


@pytest.mark.parametrize(
    ("method", "path", "operation"),
    [
        ("POST", f"{BASE}/text", "RecognizeText"),
        ("GET", BASE, "GetSession"),
        ("POST", BASE, "PutSession"),
        ("DELETE", BASE, "DeleteSession"),
        ("POST", f"{BASE}/text?x=1", "RecognizeText"),
    ],
)
def test_the_four_operations_are_routed(method: str, path: str, operation: str) -> None:
    route = match_route(method, path)

    assert route.operation == operation
    assert (route.bot_id, route.alias_id, route.locale_id, route.session_id) == (
        "LOCALBOT01",
        "LOCALALIAS",
        "ko_KR",
        "abc",
    )


def test_path_parameters_are_percent_decoded() -> None:
    assert match_route("GET", f"{BASE[:-3]}a%3Ab").session_id == "a:b"


def test_unknown_paths_wrong_methods_and_unimplemented_operations_are_told_apart() -> None:
    with pytest.raises(RouteNotFoundError):
        match_route("GET", "/bots/LOCALBOT01")
    with pytest.raises(RouteNotFoundError):
        match_route("POST", f"{BASE}/other")
    with pytest.raises(MethodNotAllowedError) as raised:
        match_route("PUT", BASE)
    assert raised.value.allowed == ("DELETE", "GET", "POST")
    with pytest.raises(UnsupportedOperationError, match="StartConversation"):
        match_route("POST", f"{BASE}/conversation")
    with pytest.raises(MethodNotAllowedError):
        match_route("GET", f"{BASE}/utterance")
    assert match_route("POST", f"{BASE}/utterance").operation == "RecognizeUtterance"


def test_packed_headers_are_gzipped_base64_json() -> None:
    value = {"dialogAction": {"type": "Close"}, "text": "안녕"}

    packed = packed_header(value)

    assert packed.isascii()
    assert unpack_header(packed) == value


@pytest.mark.parametrize(("text", "units"), [("abc", 3), ("안녕하세요", 5), ("😀", 2), ("a😀b", 4)])
def test_text_length_is_counted_in_utf16_code_units(text: str, units: int) -> None:
    assert utf16_units(text) == units
