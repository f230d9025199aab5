"""Lex's Retry-After reaches the /chat client clamped to whole seconds in 1..60 (1 if absent/unreadable)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from lambda_lex.handler import api_error_for
from lambda_lex.lex_gateway import LexCallError, LexFailure, LexGateway


def throttled(headers: dict[str, str]) -> ClientError:
    response = {
        "Error": {"Code": "ThrottlingException", "Message": "slow down"},
        "ResponseMetadata": {"HTTPStatusCode": 429, "HTTPHeaders": headers},
    }
    return ClientError(response, "RecognizeText")  # type: ignore[arg-type]


class AlwaysThrottled:
    def __init__(self, headers: dict[str, str]) -> None:
        self.headers = headers

    def recognize_text(self, **_kwargs: object) -> object:
        raise throttled(self.headers)


def retry_after_for(headers: dict[str, str]) -> int | None:
    client: Any = AlwaysThrottled(headers)
    gateway = LexGateway(client, read_timeout=25.0, sleep=lambda _s: None, jitter=lambda: 0.5)
    with pytest.raises(LexCallError) as caught:
        gateway.recognize_text(
            bot_id="ABCDEFGHIJ", bot_alias_id="LIVEALIAS1", locale_id="en_US", session_id="s", text="hi"
        )
    assert caught.value.failure is LexFailure.THROTTLED
    return api_error_for(caught.value).retry_after


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("0", 1),
        ("-5", 1),
        ("1", 1),
        ("2.9", 2),
        ("7", 7),
        ("60", 60),
        ("61", 60),
        ("120", 60),
        ("soon", 1),
        ("", 1),
    ],
)
def test_lex_retry_after_is_clamped_to_1_to_60_whole_seconds(header: str, expected: int) -> None:
    assert retry_after_for({"retry-after": header}) == expected


def test_no_retry_after_from_lex_means_one_second() -> None:
    assert retry_after_for({}) == 1
