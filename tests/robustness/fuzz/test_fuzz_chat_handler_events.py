"""Hypothesis against the /chat handler with whole events, not just bodies: arbitrary headers and
multi-value headers (names in any case, values of any type), base64 flags of any type, bodies of any
type, stray or missing event fields. Lex is the emulator on real HTTP.

(tests/integration/lambdas/test_chat_handler_properties_integration.py already throws arbitrary JSON
documents and bytes at a well-formed event; this is the event around them.)

Whatever arrives, the handler returns a proxy response, never raises, and answers only 200, 400,
413 or 415 (Lex answers every valid turn here), always in the documented JSON shape.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import lambda_lex.handler as chat_handler
from devserver.apigw import LambdaContext
from tests.chat_contract import DOCUMENTED_ERRORS, assert_success_body

pytestmark = pytest.mark.usefixtures("chat_stack")

# With Lex answering normally, only the request checks can refuse an event.
ERROR_CODES = {status: DOCUMENTED_ERRORS[status] for status in (400, 413, 415)}


def mostly(
    usual: st.SearchStrategy[Any], odd: st.SearchStrategy[Any], odds: int = 3
) -> st.SearchStrategy[Any]:
    """`usual` about (odds - 1) times in `odds`, else `odd`."""
    return st.integers(1, odds).flatmap(lambda n: odd if n == 1 else usual)


json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
content_types = st.sampled_from(
    ["application/json", "application/json; charset=utf-8", "text/plain", "", "application/ld+json",
     "application/json; charset=utf-16", "multipart/form-data; boundary=x", "application/json;;;"]
)  # fmt: skip
header_names = st.sampled_from(
    ["Content-Type", "content-type", "CONTENT-TYPE", "X-Forwarded-For", "Host"]
) | st.text(max_size=12)
odd_headers = st.dictionaries(
    header_names, st.one_of(content_types, st.text(max_size=20), json_values), max_size=4
)
headers = mostly(st.just({"Content-Type": "application/json"}) | st.just({}), odd_headers | st.none())
multi_headers = st.dictionaries(
    header_names,
    st.one_of(st.lists(st.one_of(content_types, json_values), max_size=3), json_values),
    max_size=3,
)
texts = st.sampled_from(["Hello", "안녕하세요", "what is love", "Tom", "네"])
odd_texts = st.sampled_from(["  ", "a" * 1025, "😀" * 1024, "\u0000"]) | st.text(max_size=30) | json_values
turns = st.fixed_dictionaries(
    {"text": mostly(texts, odd_texts)},
    optional={
        "sessionId": mostly(
            st.sampled_from(["fuzz-1", "fuzz:2", "fuzz.3"]), st.sampled_from(["x", "bad id"]) | json_values
        ),
        "locale": mostly(st.sampled_from(["ko_KR", "en_US"]), st.sampled_from(["fr_FR", ""]) | json_values),
    },
)
json_bodies = st.one_of(turns, json_values).map(json.dumps)
plain = turns.map(json.dumps)
bodies = mostly(
    plain,
    st.one_of(
        json_bodies,
        st.text(max_size=200),
        st.binary(max_size=200).map(lambda raw: base64.b64encode(raw).decode()),
        json_values,
    ),
)
base64_flags = mostly(st.just(False), st.booleans() | json_values, odds=4)
events = mostly(
    st.fixed_dictionaries(
        {"path": st.just("/chat"), "body": mostly(bodies, st.none(), odds=10), "headers": headers},
        optional={
            "multiValueHeaders": multi_headers | st.none(),
            "isBase64Encoded": base64_flags,
            "requestContext": st.fixed_dictionaries({}, optional={"requestId": json_values}) | json_values,
            "httpMethod": st.just("POST") | json_values,
            "queryStringParameters": json_values,
        },
    ),
    json_values,
    odds=8,
)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw_event=events)
def test_any_event_gets_a_documented_answer_and_never_raises(raw_event: Any) -> None:
    response = chat_handler.handler(raw_event, LambdaContext())
    status = response["statusCode"]
    event(f"status {status}")
    assert status == 200 or status in ERROR_CODES, response
    assert response["headers"]["Content-Type"] == "application/json; charset=utf-8"
    assert response["isBase64Encoded"] is False
    body = json.loads(response["body"])
    if status == 200:
        assert_success_body(body)
        return
    assert set(body) == {"error"}
    assert body["error"]["code"] in ERROR_CODES[status]
    assert isinstance(body["error"]["message"], str)
    assert body["error"]["message"]
