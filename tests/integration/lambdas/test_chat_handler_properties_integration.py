"""Property tests: whatever body arrives at POST /chat, only documented statuses come back, always
with the documented JSON shape. Lex is a fake on real HTTP that answers every valid turn."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import lambda_lex.handler as chat_handler
from tests.chat_contract import DOCUMENTED_ERRORS, assert_success_body
from tests.integration.lambdas.fake_lex_server import FakeLexServer
from tests.integration.lambdas.lambda_support import FakeLambdaContext

DOCUMENTED = DOCUMENTED_ERRORS

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
# Mostly plausible values, so that a good share of examples are valid turns that reach Lex.
texts = st.text(min_size=1, max_size=1100) | st.sampled_from(
    [
        "",
        "   ",
        "안녕하세요",
        "😀" * 512,
        "😀" * 513,
        "😀" * 1024,
        "a" * 1024,
        " " + "a" * 1024 + " ",
        "a" * 1025,
    ]
)
session_ids = (
    st.from_regex(r"[0-9a-zA-Z._:-]{2,100}", fullmatch=True)
    | st.text(max_size=10)
    | st.sampled_from(["..", "...", "..a..", "." * 100])
)
locales = st.sampled_from(["ko_KR", "en_US", "ko_KR", "en_US", "fr_FR", "", "ko-KR"])
fields = {
    "sessionId": st.one_of(session_ids, session_ids, json_values),
    "locale": st.one_of(locales, locales, json_values),
    "extra": json_values,
}
turns = st.fixed_dictionaries({"text": st.one_of(texts, texts, texts, json_values)}, optional=fields)
chat_bodies = turns | st.fixed_dictionaries({}, optional={"text": texts | json_values, **fields})
content_types = st.sampled_from(
    [
        None,
        "application/json",
        "application/json",
        "application/json; charset=utf-8",
        "APPLICATION/JSON",
        "text/plain",
        "application/json; charset=latin-1",
        "multipart/form-data; boundary=x",
        "",
    ]
)


@pytest.fixture(scope="module")
def lex() -> Iterator[FakeLexServer]:
    with FakeLexServer() as server:
        yield server


@pytest.fixture
def wired(lex: FakeLexServer, chat_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_LEX_RUNTIME_V2", lex.url)
    chat_handler.reset_container()


# Lex (the fake) answers every turn it gets, so only the request's own errors may come back.
REQUEST_STATUSES = {200, 400, 413, 415}
ACCEPTED_TYPES = {None, "application/json", "application/json; charset=utf-8", "APPLICATION/JSON"}


def valid_request(document: object, content_type: str | None, size: int) -> bool:
    """An independent statement of the contract: would this request be accepted?"""
    if content_type not in ACCEPTED_TYPES or size > 16 * 1024 or not isinstance(document, dict):
        return False
    text, session_id, locale = document.get("text"), document.get("sessionId"), document.get("locale")
    # Lengths as Lex counts them: UTF-16 code units (an emoji beyond the BMP is two).
    if (
        not isinstance(text, str)
        or not 1 <= len(text.strip().encode("utf-16-le", "surrogatepass")) // 2 <= 1024
    ):
        return False
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        return False
    if session_id is not None and not (
        isinstance(session_id, str)
        and re.fullmatch(r"[0-9a-zA-Z._:-]{2,100}", session_id)
        and session_id.strip(".")  # not only dots: `..` could be normalised away as a path segment
    ):
        return False
    return locale is None or locale in ("ko_KR", "en_US")


def check(response: dict[str, Any], expect_success: bool | None = None) -> None:
    status = response["statusCode"]
    event(f"status {status}")
    assert status in REQUEST_STATUSES, f"status {status} although Lex answers every turn: {response['body']}"
    if expect_success is not None:
        assert (status == 200) == expect_success, response["body"]
    assert response["headers"]["Content-Type"] == "application/json; charset=utf-8"
    assert response["headers"]["Cache-Control"] == "no-store"
    body = json.loads(response["body"])
    if status == 200:
        assert_success_body(body)
        return
    assert status in DOCUMENTED, f"undocumented status {status}: {body}"
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] in DOCUMENTED[status]
    assert isinstance(body["error"]["message"], str)
    assert body["error"]["message"]


def send(body: str | None, *, content_type: str | None, base64_encoded: bool = False) -> dict[str, Any]:
    headers = {} if content_type is None else {"Content-Type": content_type}
    event = {
        "httpMethod": "POST",
        "path": "/chat",
        "headers": headers,
        "body": body,
        "isBase64Encoded": base64_encoded,
    }
    return chat_handler.handler(event, FakeLambdaContext())


@pytest.mark.usefixtures("wired")
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=st.one_of(turns, turns, chat_bodies, json_values), content_type=content_types)
def test_any_json_body_gets_a_documented_answer(document: object, content_type: str | None) -> None:
    body = json.dumps(document)
    expected = valid_request(document, content_type, len(body.encode("utf-8")))
    check(send(body, content_type=content_type), expect_success=expected)


@pytest.mark.usefixtures("wired")
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    raw=st.binary(max_size=20_000) | st.builds(lambda d: json.dumps(d).encode(), chat_bodies),
    as_base64=st.booleans(),
    content_type=content_types,
)
def test_any_bytes_get_a_documented_answer(raw: bytes, as_base64: bool, content_type: str | None) -> None:
    if as_base64:
        response = send(base64.b64encode(raw).decode(), content_type=content_type, base64_encoded=True)
    else:
        response = send(raw.decode("utf-8", errors="surrogateescape"), content_type=content_type)
    check(response)
