"""LLM call metrics: outcome, duration, time to first token and tokens from the providers' usage fields."""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from typing import Any

import pytest

from lambda_chatgpt import metrics
from lambda_chatgpt.bedrock_provider import converse_usage
from lambda_chatgpt.deadline import Deadline
from lambda_chatgpt.llm import (
    LlmAuthError,
    LlmError,
    LlmNotConfiguredError,
    LlmRateLimitedError,
    LlmTimeoutError,
    Message,
    TokenUsage,
)
from lambda_chatgpt.openai_provider import OpenAIChatProvider, usage_of


class ScriptedProvider:
    """Answers or fails as told, and reports usage like the real providers."""

    name = "openai"
    model = "gpt-test"

    def __init__(self, error: LlmError | None = None, usage: TokenUsage | None = None) -> None:
        self.error = error
        self.usage = usage

    def complete(self, messages: Sequence[Message], deadline: Deadline) -> str:
        if self.error is not None:
            raise self.error
        return "an answer"

    def last_usage(self) -> TokenUsage | None:
        return self.usage


def ticking(step: float) -> Any:
    counter = itertools.count()
    return lambda: next(counter) * step


def metered_call(provider: Any, clock_step: float = 1.5) -> str:
    metered = metrics.MeteredProvider(provider, clock=ticking(clock_step))
    return metered.complete([Message("user", "hi")], Deadline.for_turn(5.0, None))


def by_metric(emf_records: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [r for r in emf_records if name in r]


def test_an_answered_call_records_outcome_duration_and_time_to_first_token(
    emf_records: list[dict[str, Any]],
) -> None:
    assert metered_call(ScriptedProvider(usage=TokenUsage(40, 9))) == "an answer"
    [call] = by_metric(emf_records, "chatbot.llm.calls")
    dims = sorted(map(sorted, call["_aws"]["CloudWatchMetrics"][0]["Dimensions"]))
    assert dims == [
        ["gen_ai.request.model", "gen_ai.system", "outcome", "service"],
        ["gen_ai.request.model", "gen_ai.system", "service"],
    ]
    assert (call["gen_ai.system"], call["gen_ai.request.model"], call["outcome"]) == (
        "openai",
        "gpt-test",
        "answered",
    )
    assert call["gen_ai.client.operation.duration"] == [1.5]
    assert call["chatbot.llm.time_to_first_token"] == call["gen_ai.client.operation.duration"]
    assert call["gen_ai.operation.name"] == "chat"


def test_tokens_are_recorded_by_type(emf_records: list[dict[str, Any]]) -> None:
    metered_call(ScriptedProvider(usage=TokenUsage(40, 9)))
    tokens = {
        r["gen_ai.token.type"]: r["gen_ai.client.token.usage"]
        for r in by_metric(emf_records, "gen_ai.client.token.usage")
    }
    assert tokens == {"input": [40.0], "output": [9.0]}


def test_a_provider_without_usage_records_no_tokens(emf_records: list[dict[str, Any]]) -> None:
    metered_call(ScriptedProvider(usage=None))
    assert by_metric(emf_records, "gen_ai.client.token.usage") == []
    assert len(by_metric(emf_records, "chatbot.llm.calls")) == 1


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (LlmTimeoutError("slow"), "timeout"),
        (LlmRateLimitedError("HTTP 429"), "rate_limited"),
        (LlmNotConfiguredError("no key"), "not_configured"),
        (LlmAuthError("HTTP 401"), "failed"),
        (LlmError("odd"), "failed"),
    ],
)
def test_a_failed_call_is_counted_by_outcome_and_reraised(
    emf_records: list[dict[str, Any]], error: LlmError, outcome: str
) -> None:
    with pytest.raises(type(error)):
        metered_call(ScriptedProvider(error=error))
    [call] = emf_records
    assert (call["outcome"], call["error.type"]) == (outcome, error.kind)
    assert "chatbot.llm.time_to_first_token" not in call
    assert call["gen_ai.client.operation.duration"] == [1.5]


def test_bedrock_is_named_as_otel_names_it(emf_records: list[dict[str, Any]]) -> None:
    metrics.record_llm_call(provider="bedrock", model="amazon.nova-lite-v1:0", kind="answered", seconds=0.4)
    assert emf_records[0]["gen_ai.system"] == "aws.bedrock"


def test_openai_usage_fields_are_read() -> None:
    body = {"choices": [], "usage": {"prompt_tokens": 120, "completion_tokens": 30, "total_tokens": 150}}
    assert usage_of(json.dumps(body).encode()) == TokenUsage(120, 30)


@pytest.mark.parametrize(
    "usage",
    [None, "lots", {"prompt_tokens": -1, "completion_tokens": True}, {"prompt_tokens": "12"}, {}],
)
def test_missing_or_odd_openai_usage_is_no_usage(usage: object) -> None:
    assert usage_of(json.dumps({"usage": usage}).encode()) is None


def test_unparseable_body_has_no_usage() -> None:
    assert usage_of(b"not json") is None
    assert usage_of(b"[1, 2]") is None


def test_a_partial_usage_keeps_the_part_reported() -> None:
    assert usage_of(b'{"usage": {"completion_tokens": 7}}') == TokenUsage(None, 7)


def test_bedrock_converse_usage_fields_are_read() -> None:
    response = {"output": {}, "usage": {"inputTokens": 55, "outputTokens": 21, "totalTokens": 76}}
    assert converse_usage(response) == TokenUsage(55, 21)
    assert converse_usage({"output": {}}) is None


class CannedResponse:
    def __init__(self, body: dict[str, Any]) -> None:
        self.status_code = 200
        self.content = json.dumps(body).encode()
        self.headers: dict[str, str] = {}

    def __enter__(self) -> CannedResponse:
        return self

    def __exit__(self, *args: object) -> None:
        return None


class CannedSession:
    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body

    def post(self, url: str, **kwargs: Any) -> CannedResponse:
        return CannedResponse(self.body)


class NoKey:
    def get(self) -> str | None:
        return None

    def invalidate(self) -> None:
        return None


def test_the_openai_provider_reports_the_usage_of_its_last_answer() -> None:
    body = {
        "choices": [{"message": {"role": "assistant", "content": "Bonjour"}}],
        "usage": {"prompt_tokens": 17, "completion_tokens": 4},
    }
    provider = OpenAIChatProvider(
        base_url="http://llm.invalid/v1",
        model="m",
        max_tokens=10,
        keys=NoKey(),
        session=CannedSession(body),  # type: ignore[arg-type]
    )
    assert provider.last_usage() is None
    assert provider.complete([Message("user", "hi")], Deadline.for_turn(5.0, None)) == "Bonjour"
    assert provider.last_usage() == TokenUsage(17, 4)
