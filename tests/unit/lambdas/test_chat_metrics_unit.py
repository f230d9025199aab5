"""The /chat Lambda's metrics: the EMF records it hands to the sink, and that they never break a turn."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from lambda_lex import handler as chat_handler
from lambda_lex import metrics


def directive(record: dict[str, Any]) -> dict[str, Any]:
    [found] = record["_aws"]["CloudWatchMetrics"]
    return dict(found)


def test_a_turn_is_counted_by_locale_and_source_and_in_total(emf_records: list[dict[str, Any]]) -> None:
    metrics.record_turn(locale="ko_KR", source="handler", intent="OrderCoffee")
    [record] = emf_records
    assert directive(record)["Namespace"] == "ChatbotUnitTest"
    assert sorted(map(sorted, directive(record)["Dimensions"])) == [
        ["locale", "service", "source"],
        ["service"],
    ]
    assert (record["locale"], record["source"], record["service"]) == ("ko_KR", "handler", "chat-api")
    assert (record["chatbot.turns"], record["chatbot.turns.fallback"]) == ([1.0], [0.0])


def test_a_fallback_intent_turn_counts_as_a_fallback_turn(emf_records: list[dict[str, Any]]) -> None:
    metrics.record_turn(locale="en_US", source="notice", intent="FallbackIntent")
    assert emf_records[0]["chatbot.turns.fallback"] == [1.0]


def test_an_error_answer_is_counted_by_its_code(emf_records: list[dict[str, Any]]) -> None:
    metrics.record_error("throttled")
    [record] = emf_records
    assert sorted(map(sorted, directive(record)["Dimensions"])) == [["error.type", "service"], ["service"]]
    assert (record["error.type"], record["chatbot.chat.errors"]) == ("throttled", [1.0])
    assert {"Name": "chatbot.chat.errors", "Unit": "Count"} in directive(record)["Metrics"]


def test_the_namespace_defaults_to_the_default_stack_name(monkeypatch: pytest.MonkeyPatch) -> None:
    assert metrics.namespace({}) == "LexLlmChatbot"
    assert metrics.namespace({"METRICS_NAMESPACE": "  "}) == "LexLlmChatbot"
    assert metrics.namespace({"METRICS_NAMESPACE": "Other"}) == "Other"


def test_powertools_switch_turns_metrics_off(
    emf_records: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    metrics.record_turn(locale="en_US", source="lex", intent="HelloWorld")
    assert emf_records == []


def test_without_a_sink_the_record_is_one_json_line_on_stdout(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("POWERTOOLS_METRICS_DISABLED", raising=False)
    metrics.set_sink(None)
    metrics.record_error("upstream_timeout")
    [line] = capsys.readouterr().out.splitlines()
    assert json.loads(line)["error.type"] == "upstream_timeout"


def test_a_failing_sink_is_logged_and_does_not_raise(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(record: dict[str, Any]) -> None:
        raise OSError("stdout is gone")

    monkeypatch.delenv("POWERTOOLS_METRICS_DISABLED", raising=False)
    metrics.set_sink(broken)
    try:
        with caplog.at_level(logging.WARNING, logger="chat_metrics"):
            metrics.record_turn(locale="en_US", source="lex", intent=None)
    finally:
        metrics.set_sink(None)
    assert "metrics record dropped: OSError: stdout is gone" in caplog.text


def test_a_rejected_request_is_counted_and_answered_even_when_metrics_fail(
    monkeypatch: pytest.MonkeyPatch, emf_records: list[dict[str, Any]]
) -> None:
    for name, value in {"BOT_ID": "BOT1234567", "BOT_ALIAS_ID": "ALIAS12345", "BOT_LOCALES": "en_US"}.items():
        monkeypatch.setenv(name, value)
    for name, value in {
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "unit-test",
        "AWS_SECRET_ACCESS_KEY": "unit-test",
        "AWS_EC2_METADATA_DISABLED": "true",
    }.items():
        monkeypatch.setenv(name, value)
    chat_handler.reset_container()
    try:
        event = {"httpMethod": "POST", "path": "/chat", "body": "{not json", "headers": {}}
        assert chat_handler.handler(event, None)["statusCode"] == 400
        assert [r["error.type"] for r in emf_records] == ["invalid_json"]

        def broken(record: dict[str, Any]) -> None:
            raise RuntimeError("sink down")

        metrics.set_sink(broken)
        assert chat_handler.handler(event, None)["statusCode"] == 400
    finally:
        chat_handler.reset_container()
