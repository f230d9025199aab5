"""Starting the answer worker (`worker_invoke.invoke_worker`): Lambda's asynchronous invoke (checked
with botocore's Stubber: the exact request, a refusal), the local thread, and no worker at all."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.stub import Stubber

import lambda_chatgpt.worker as worker
from lambda_chatgpt import worker_invoke
from lambda_chatgpt.worker_invoke import WorkerUnavailableError, invoke_worker
from tests.aws_offline import offline_aws_env

ANSWER_ID = "6d7c1c52-2b1e-4a8e-9d55-0f0e7f4f8a10"
FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:answer-worker"


@pytest.fixture
def lambda_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[dict[str, str]]:
    offline_aws_env(monkeypatch, tmp_path)
    worker_invoke.reset_clients()
    yield {"ANSWER_WORKER_FUNCTION": FUNCTION, "AWS_REGION": "us-east-1"}
    worker_invoke.reset_clients()


def stubbed(environ: dict[str, str]) -> Stubber:
    return Stubber(worker_invoke._client(environ))


def test_the_function_is_invoked_asynchronously_with_the_answer_id(lambda_env: dict[str, str]) -> None:
    payload = json.dumps({"answerId": ANSWER_ID}).encode("utf-8")
    with stubbed(lambda_env) as stub:
        stub.add_response(
            "invoke",
            {"StatusCode": 202},
            {"FunctionName": FUNCTION, "InvocationType": "Event", "Payload": payload},
        )
        invoke_worker(ANSWER_ID, lambda_env)
        stub.assert_no_pending_responses()


def test_one_client_serves_every_invoke_of_the_container(lambda_env: dict[str, str]) -> None:
    assert worker_invoke._client(lambda_env) is worker_invoke._client(lambda_env)


@pytest.mark.parametrize("code", ["TooManyRequestsException", "AccessDeniedException"])
def test_a_refused_invoke_is_a_worker_unavailable_error_naming_the_cause(
    lambda_env: dict[str, str], code: str
) -> None:
    with stubbed(lambda_env) as stub:
        stub.add_client_error("invoke", service_error_code=code, http_status_code=429)
        with pytest.raises(WorkerUnavailableError, match=code):
            invoke_worker(ANSWER_ID, lambda_env)


def test_an_invoke_not_accepted_for_later_is_an_error(lambda_env: dict[str, str]) -> None:
    with stubbed(lambda_env) as stub:
        stub.add_response("invoke", {"StatusCode": 200})
        with pytest.raises(WorkerUnavailableError, match="not 202"):
            invoke_worker(ANSWER_ID, lambda_env)


def test_thread_mode_runs_the_worker_handler_in_a_daemon_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[Any, Any, bool]] = []
    ran = threading.Event()

    def fake_handler(event: Any, context: Any) -> dict[str, Any]:
        seen.append((event, context, threading.current_thread().daemon))
        ran.set()
        return {}

    monkeypatch.setattr(worker, "handler", fake_handler)
    invoke_worker(ANSWER_ID, {"ANSWER_WORKER_MODE": "thread"})

    assert ran.wait(2)
    assert seen == [({"answerId": ANSWER_ID}, None, True)]


def test_the_function_wins_over_thread_mode(
    lambda_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(worker, "handler", lambda *_: pytest.fail("no thread when a function is set"))
    with stubbed(lambda_env) as stub:
        stub.add_response("invoke", {"StatusCode": 202})
        invoke_worker(ANSWER_ID, {**lambda_env, "ANSWER_WORKER_MODE": "thread"})


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({}, "set ANSWER_WORKER_FUNCTION"),
        ({"ANSWER_WORKER_FUNCTION": "  "}, "set ANSWER_WORKER_FUNCTION"),
        ({"ANSWER_WORKER_MODE": "process"}, "ANSWER_WORKER_MODE='process' is not a worker mode"),
    ],
)
def test_no_usable_worker_is_a_clear_error(environ: dict[str, str], message: str) -> None:
    with pytest.raises(WorkerUnavailableError, match=message):
        invoke_worker(ANSWER_ID, environ)
