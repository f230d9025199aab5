"""The answers Lambda's edge: whatever the event holds, a proxy response with a JSON error or SSE,
never an exception (reading the event itself: tests/unit/lambdas/test_apigw_proxy_unit.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lambda_answers.handler as answers_handler
from answer_store import EmbeddedAnswerStore


@pytest.fixture(autouse=True)
def store(monkeypatch: pytest.MonkeyPatch) -> EmbeddedAnswerStore:
    embedded = EmbeddedAnswerStore()
    built = answers_handler.Container(embedded, 600)
    monkeypatch.setattr(answers_handler, "container", lambda: built)
    return embedded


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=8,
)
paths = st.sampled_from(
    ["/chat/answers/", "/chat/conversations/", "/prod/chat/answers/", "/chat/answers//stop", "/other/"]
).flatmap(lambda prefix: st.text(max_size=40).map(lambda rest: prefix + rest))


@settings(max_examples=150, deadline=None)
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "", None, 3]),
    path=paths | json_values,
    headers=json_values,
    query=json_values,
)
def test_any_event_gets_a_proxy_response_never_an_exception(
    method: Any, path: Any, headers: Any, query: Any
) -> None:
    event = {"httpMethod": method, "path": path, "headers": headers, "queryStringParameters": query}
    response = answers_handler.handler(event, None)
    assert isinstance(response["statusCode"], int)
    if response["headers"]["Content-Type"].startswith("application/json"):
        assert set(json.loads(response["body"])) == {"error"}
    else:
        assert response["statusCode"] == 200


def test_a_non_mapping_event_is_404_not_found() -> None:
    response = answers_handler.handler(["not", "an", "event"], None)  # type: ignore[arg-type]
    assert response["statusCode"] == 404
    assert json.loads(response["body"])["error"]["code"] == "not_found"


def test_a_stage_prefix_in_the_path_reaches_the_same_route(store: EmbeddedAnswerStore) -> None:
    answer_id = store.create(session_id="s-prefix", token="tok-prefix-1", job={}, ttl_seconds=60)
    store.claim(answer_id)
    store.finish(answer_id, "done")
    event = {
        "httpMethod": "POST",
        "path": f"/prod/chat/answers/{answer_id}/stop",
        "headers": {"x-answer-token": "tok-prefix-1"},
    }
    response = answers_handler.handler(event, None)
    assert json.loads(response["body"]) == {"stopped": False, "status": "done"}
