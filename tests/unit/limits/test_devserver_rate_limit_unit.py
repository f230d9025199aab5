"""Local mode's per-client rate limit (a token bucket with the stack's context values) and where
its values come from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devserver.limits import ClientRateLimiter, LocalLimits
from devserver.settings import ConfigError


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_client_gets_exactly_the_limit_at_once_then_waits() -> None:
    limiter = ClientRateLimiter(5, 60, Clock())
    answers = [limiter.acquire("203.0.113.1") for _ in range(6)]
    assert answers[:5] == [None] * 5
    assert answers[5] == 12  # one request's worth of refill: 60 s / 5


def test_the_bucket_refills_at_limit_per_window() -> None:
    clock = Clock()
    limiter = ClientRateLimiter(5, 60, clock)
    for _ in range(5):
        limiter.acquire("a")
    clock.now += 12
    assert limiter.acquire("a") is None
    assert limiter.acquire("a") is not None


def test_retry_after_is_when_the_next_request_would_pass() -> None:
    clock = Clock()
    limiter = ClientRateLimiter(10, 60, clock)
    for _ in range(10):
        limiter.acquire("a")
    clock.now += 4
    wait = limiter.acquire("a")
    assert wait == 2
    clock.now += wait
    assert limiter.acquire("a") is None


def test_refused_requests_do_not_use_up_the_refill() -> None:
    clock = Clock()
    limiter = ClientRateLimiter(2, 2, clock)
    limiter.acquire("a")
    limiter.acquire("a")
    for _ in range(50):
        limiter.acquire("a")
    clock.now += 1
    assert limiter.acquire("a") is None


def test_clients_have_their_own_buckets() -> None:
    limiter = ClientRateLimiter(1, 60, Clock())
    assert limiter.acquire("a") is None
    assert limiter.acquire("a") is not None
    assert limiter.acquire("b") is None


def write_cdk_json(tmp_path: Path, **context: object) -> Path:
    path = tmp_path / "cdk.json"
    path.write_text(json.dumps({"context": context}))
    return path


def test_values_come_from_cdk_json_by_default(tmp_path: Path) -> None:
    cdk_json = write_cdk_json(
        tmp_path,
        clientRateLimit=30,
        clientRateWindowSeconds=60,
        llmTokensPerConversation=20000,
        llmTokensPerClientDay=100000,
    )
    assert LocalLimits.from_env({}, cdk_json) == LocalLimits(30, 60, 20000, 100000)


def test_environment_variables_override_cdk_json(tmp_path: Path) -> None:
    cdk_json = write_cdk_json(tmp_path, clientRateLimit=30, clientRateWindowSeconds=60)
    limits = LocalLimits.from_env({"CLIENT_RATE_LIMIT": "3", "LLM_TOKENS_PER_CLIENT_DAY": "50"}, cdk_json)
    assert (limits.rate_limit, limits.window_seconds, limits.tokens_per_client_day) == (3, 60, 50)


def test_the_shipped_cdk_json_defaults_are_the_local_defaults() -> None:
    context = json.loads(Path("cdk.json").read_text())["context"]
    limits = LocalLimits.from_env({})
    assert limits.rate_limit == context["clientRateLimit"]
    assert limits.tokens_per_conversation == context["llmTokensPerConversation"]


def test_zero_turns_the_local_rate_limit_off(tmp_path: Path) -> None:
    cdk_json = write_cdk_json(tmp_path, clientRateLimit=30, clientRateWindowSeconds=60)
    assert LocalLimits.from_env({"CLIENT_RATE_LIMIT": "0"}, cdk_json).rate_limiter() is None


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"CLIENT_RATE_LIMIT": "lots"}, "CLIENT_RATE_LIMIT='lots' must be a whole number"),
        ({"LLM_TOKENS_PER_CONVERSATION": "-5"}, "LLM_TOKENS_PER_CONVERSATION='-5' must be a whole number"),
        ({"CLIENT_RATE_WINDOW_SECONDS": "0"}, "CLIENT_RATE_WINDOW_SECONDS must be at least 1"),
    ],
)
def test_bad_values_name_the_variable(tmp_path: Path, environ: dict[str, str], message: str) -> None:
    cdk_json = write_cdk_json(tmp_path, clientRateLimit=30, clientRateWindowSeconds=60)
    with pytest.raises(ConfigError, match=message):
        LocalLimits.from_env(environ, cdk_json)


def test_the_code_hook_gets_the_budgets_and_the_in_process_store(tmp_path: Path) -> None:
    limits = LocalLimits(30, 60, 700, 900)
    assert limits.lambda_environment() == {
        "LLM_TOKENS_PER_CONVERSATION": "700",
        "LLM_TOKENS_PER_CLIENT_DAY": "900",
        "USAGE_TABLE_NAME": None,
    }
