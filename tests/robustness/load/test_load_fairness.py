"""One client floods /chat while four others chat politely, on the real dev server with a per-client
rate limit: the flooder gets 429 `throttled` with Retry-After (the API's error shape), never more
answers than its allowance, and the polite clients are never refused. Latency figures with and
without the flood come from bench/fairness.py; this test checks behaviour, not timing."""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest

from devserver.limits import THROTTLED_MESSAGE
from devserver.process import DevServerProcess
from tests.robustness.support.devserver_support import assert_still_serving, llm_env
from tests.robustness.support.fairness import ClientLog, FairnessRun, run_fairness
from tests.robustness.support.llm_fakes import FaultyOpenAIServer

LIMIT = 20
WINDOW_SECONDS = 60


@pytest.fixture(scope="module")
def limited_devserver(echo_llm: FaultyOpenAIServer) -> Iterator[DevServerProcess]:
    env = llm_env(echo_llm, CLIENT_RATE_LIMIT=str(LIMIT), CLIENT_RATE_WINDOW_SECONDS=str(WINDOW_SECONDS))
    with DevServerProcess(env=env) as process:
        yield process


@pytest.fixture(scope="module")
def flooded(limited_devserver: DevServerProcess) -> FairnessRun:
    return run_fairness(
        limited_devserver.url, polite_clients=4, polite_turns=8, polite_pause=0.3, flood_threads=4
    )


@pytest.fixture(scope="module")
def flooder(flooded: FairnessRun) -> ClientLog:
    assert flooded.flooder is not None
    return flooded.flooder


def test_the_flooder_is_refused_with_429(flooder: ClientLog) -> None:
    assert flooder.statuses.count(429) > 0
    assert set(flooder.statuses) <= {200, 429}


def test_every_429_says_when_to_retry_and_uses_the_api_error_shape(flooder: ClientLog) -> None:
    for retry_after, body in flooder.throttled:
        assert retry_after is not None
        assert 1 <= int(retry_after) <= WINDOW_SECONDS
        assert body == {"error": {"code": "throttled", "message": THROTTLED_MESSAGE}}


def test_the_flooder_gets_no_more_than_its_allowance(flooded: FairnessRun, flooder: ClientLog) -> None:
    refill = LIMIT / WINDOW_SECONDS * (flooded.wall_seconds + 1.0)
    assert LIMIT <= flooder.statuses.count(200) <= LIMIT + math.ceil(refill)


def test_polite_clients_are_never_refused(flooded: FairnessRun) -> None:
    for log in flooded.polite:
        assert log.errors == []
        assert log.statuses == [200] * 8


def test_the_server_still_answers_other_clients_after_the_flood(
    limited_devserver: DevServerProcess, flooded: FairnessRun
) -> None:
    assert_still_serving(limited_devserver.url)  # from 127.0.0.1, neither the flooder nor a polite client
    assert "Traceback" not in limited_devserver.stderr
