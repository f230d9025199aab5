"""/chat's client key: from the viewer-ip header CloudFront (or the dev server) writes, else API
Gateway's sourceIp; a salted hash, never the address; sent to the code hook as a request attribute."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lambda_lex.chat import converse
from lambda_lex.client_key import client_ip, client_key
from lambda_lex.request import ChatRequest


def event(viewer_ip: str | None = None, source_ip: str | None = "198.51.100.7") -> dict[str, Any]:
    headers = {"x-chatbot-viewer-ip": viewer_ip} if viewer_ip is not None else {}
    return {"headers": headers, "requestContext": {"identity": {"sourceIp": source_ip}}}


def test_the_viewer_ip_header_wins_over_the_edge_address() -> None:
    assert client_ip(event(viewer_ip="203.0.113.9")) == "203.0.113.9"


def test_without_the_header_the_source_ip_is_used() -> None:
    assert client_ip(event()) == "198.51.100.7"


def test_a_header_that_is_not_an_address_is_ignored() -> None:
    assert client_ip(event(viewer_ip="203.0.113.9, 10.0.0.1")) == "198.51.100.7"


def test_ipv6_addresses_are_normalised_so_one_client_has_one_key() -> None:
    assert client_key(event(viewer_ip="2001:DB8::0:1"), "s") == client_key(
        event(viewer_ip="2001:db8::1"), "s"
    )


def test_the_key_hides_the_address() -> None:
    key = client_key(event(viewer_ip="203.0.113.9"), "salt")
    assert key is not None
    assert len(key) == 32
    assert all(c in "0123456789abcdef" for c in key)


def test_different_salts_give_different_keys() -> None:
    assert client_key(event(), "stack-a") != client_key(event(), "stack-b")


def test_different_addresses_give_different_keys() -> None:
    assert client_key(event(viewer_ip="203.0.113.9"), "s") != client_key(event(viewer_ip="203.0.113.10"), "s")


def test_no_address_no_key() -> None:
    assert client_key(event(source_ip=None), "s") is None


class RecordingLex:
    def __init__(self) -> None:
        self.attributes: Mapping[str, str] | None = None

    def recognize_text(
        self, *, request_attributes: Mapping[str, str] | None = None, **_: Any
    ) -> Mapping[str, Any]:
        self.attributes = request_attributes
        return {"sessionState": {"intent": {"name": "Greet"}}, "messages": []}

    def put_session(self, **_: Any) -> None:
        return None


def talk(client: str | None) -> Mapping[str, str] | None:
    lex = RecordingLex()
    converse(
        ChatRequest(text="hi", session_id="s1", locale="en_US", session_generated=False),
        lex,
        bot_id="B",
        bot_alias_id="A",
        turn_id=lambda: "t1",
        client=client,
    )
    return lex.attributes


def test_the_key_goes_to_lex_as_the_client_request_attribute() -> None:
    assert talk("k123") == {"x-chatbot-turn": "t1", "x-chatbot-client": "k123"}


def test_without_a_key_only_the_turn_is_sent() -> None:
    assert talk(None) == {"x-chatbot-turn": "t1"}
