"""Calling a code hook like Lambda: loading by import path, the context countdown, errors and timeouts."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from lex_emulator.code_hook import FakeLambdaContext, invoke, load_handler
from lex_emulator.errors import DeploymentError


def echo(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {"got": event["x"]}


def test_a_handler_loads_by_import_path_in_either_spelling() -> None:
    colon, name = load_handler("json:dumps")
    dotted, _ = load_handler("json.dumps")

    assert colon is dotted
    assert name == "json-dumps"


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("", "import path"),
        ("nothing", "import path"),
        ("no_such_module_here:handler", "cannot import no_such_module_here"),
        ("json:no_such_function", "has no function no_such_function"),
    ],
)
def test_a_handler_that_does_not_load_is_a_deployment_error(spec: str, problem: str) -> None:
    with pytest.raises(DeploymentError, match=problem):
        load_handler(spec)


def test_the_context_counts_down_on_its_clock() -> None:
    now = [100.0]
    context = FakeLambdaContext("fn", 30.0, clock=lambda: now[0])

    assert context.get_remaining_time_in_millis() == 30_000
    now[0] = 112.5
    assert context.get_remaining_time_in_millis() == 17_500
    now[0] = 200
    assert context.get_remaining_time_in_millis() == 0
    assert context.function_name == "fn"
    assert context.aws_request_id != FakeLambdaContext("fn").aws_request_id


def test_invoke_returns_the_json_the_handler_returned() -> None:
    outcome = invoke(echo, {"x": [1, "두"]}, FakeLambdaContext("fn"), 5)

    assert outcome.response == {"got": [1, "두"]}
    assert outcome.error is None
    assert not outcome.timed_out


def test_invoke_reports_an_exception_with_its_type() -> None:
    def broken(event: dict[str, Any], context: Any) -> None:
        raise KeyError("missing")

    outcome = invoke(broken, {}, FakeLambdaContext("fn"), 5)

    assert outcome.error == "KeyError: 'missing'"


def test_invoke_reports_a_result_that_is_not_json() -> None:
    outcome = invoke(lambda event, context: {"when": object()}, {}, FakeLambdaContext("fn"), 5)

    assert outcome.error is not None
    assert "not JSON" in outcome.error


def test_invoke_stops_waiting_at_the_timeout_and_leaves_the_thread_to_finish() -> None:
    release = threading.Event()
    finished = threading.Event()

    def slow(event: dict[str, Any], context: Any) -> dict[str, Any]:
        release.wait(5)
        finished.set()
        return {}

    outcome = invoke(slow, {}, FakeLambdaContext("fn", 0.05), 0.05)

    assert outcome.timed_out
    assert not finished.is_set()
    release.set()
    assert finished.wait(5)
