"""The proxy Lambdas' shared edge (`apigw_proxy`): reading an event as API Gateway sends it (or as
a malformed one arrives), the JSON and error responses, and the log lines' correlation id and latency."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from apigw_proxy import (
    JSON_HEADERS,
    as_event,
    error_response,
    header,
    json_response,
    latency_fields,
    query,
    request_id,
    start_request,
    time_left,
)

# --- reading the event --------------------------------------------------------------------------


def test_header_names_are_case_insensitive() -> None:
    assert header({"headers": {"CONTENT-TYPE": "application/json"}}, "content-type") == "application/json"
    assert header({"headers": {"X-Answer-Token": "a"}}, "X-ANSWER-TOKEN") == "a"


def test_header_falls_back_to_multi_value_headers_and_tolerates_null_or_odd_values() -> None:
    multi = {"headers": None, "multiValueHeaders": {"X-Answer-Token": ["b", "c"]}}
    assert header(multi, "x-answer-token") == "b"
    assert header({"headers": None, "multiValueHeaders": None}, "x-answer-token") is None
    assert header({"headers": {"X-Answer-Token": 5}}, "x-answer-token") is None
    assert header({"multiValueHeaders": {"x-answer-token": []}}, "x-answer-token") is None
    assert header({"multiValueHeaders": {"x-answer-token": [7]}}, "x-answer-token") is None
    assert header({"headers": {3: "x"}}, "x-answer-token") is None


def test_query_parameters_come_from_either_shape() -> None:
    assert query({"queryStringParameters": {"after": "4"}}, "after") == "4"
    assert query({"multiValueQueryStringParameters": {"after": ["2", "9"]}}, "after") == "2"
    assert query({"queryStringParameters": None}, "after") is None
    assert query({"queryStringParameters": {"after": 4}}, "after") is None
    assert query({"multiValueQueryStringParameters": {"after": []}}, "after") is None


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ({"requestContext": {"requestId": "c0ffee-1"}}, "c0ffee-1"),
        ({"requestContext": {"requestId": 12}}, None),
        ({"requestContext": "nope"}, None),
        ({}, None),
    ],
)
def test_request_id_is_read_only_when_it_is_a_string(event: dict[str, Any], expected: str | None) -> None:
    assert request_id(event) == expected


def test_an_event_that_is_not_a_mapping_reads_as_empty() -> None:
    assert as_event(["not", "an", "event"]) == {}
    assert as_event(None) == {}
    event = {"path": "/chat"}
    assert as_event(event) is event


class _Context:
    def __init__(self, millis: int) -> None:
        self.millis = millis

    def get_remaining_time_in_millis(self) -> int:
        return self.millis


def test_time_left_reads_the_context_each_time_it_is_asked() -> None:
    context = _Context(2500)
    left = time_left(context)
    assert left is not None
    assert left() == 2.5
    context.millis = 900
    assert left() == 0.9
    assert time_left(None) is None
    assert time_left(object()) is None


# --- responses ----------------------------------------------------------------------------------


def test_json_response_is_compact_utf8_with_the_shared_headers() -> None:
    response = json_response(200, {"text": "안녕하세요", "n": 1}, {"X-Extra": "1"})
    assert response["statusCode"] == 200
    assert response["isBase64Encoded"] is False
    assert response["body"] == '{"text":"안녕하세요","n":1}'
    assert response["headers"] == {**JSON_HEADERS, "X-Extra": "1"}
    assert response["headers"]["Cache-Control"] == "no-store"


def test_error_response_has_the_error_shape_its_details_and_headers() -> None:
    response = error_response(
        409, "session_busy", "Still writing.", details={"answerId": "a-1"}, extra_headers={"Retry-After": "2"}
    )
    assert response["statusCode"] == 409
    assert json.loads(response["body"]) == {
        "error": {"code": "session_busy", "message": "Still writing.", "answerId": "a-1"}
    }
    assert response["headers"]["Retry-After"] == "2"
    plain = error_response(404, "not_found", "Nothing here.")
    assert json.loads(plain["body"]) == {"error": {"code": "not_found", "message": "Nothing here."}}
    assert plain["headers"] == JSON_HEADERS


# --- logging --------------------------------------------------------------------------------------


class _Logger:
    def __init__(self) -> None:
        self.ids: list[str | None] = []

    def set_correlation_id(self, value: str | None) -> None:
        self.ids.append(value)


def test_start_request_sets_and_clears_the_correlation_id() -> None:
    logger = _Logger()
    event = start_request({"requestContext": {"requestId": "r-1"}}, logger)
    assert event == {"requestContext": {"requestId": "r-1"}}
    assert start_request("junk", logger) == {}
    assert logger.ids == ["r-1", None]


def test_latency_fields_count_milliseconds_since_the_start() -> None:
    started = time.perf_counter() - 0.25
    latency = latency_fields(started)["latency_ms"]
    assert 250.0 <= latency < 5000.0
