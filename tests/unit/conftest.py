"""Fixtures shared by the unit tests: the Lambda cores' tests run with the network switched off (any
connect attempt fails loudly), and the EMF records both Lambdas' metrics write (`chat_metrics`)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import chat_metrics

# The folders of the Lambda cores' unit tests: plain Python, so no socket may even be opened there.
SOCKETS_OFF_FOLDERS = frozenset({"lambdas", "answers"})


class NetworkDisabledError(RuntimeError):
    """A unit test of a Lambda core tried to open a network connection."""


@pytest.fixture(autouse=True)
def _no_network_for_lambda_cores(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if Path(request.node.path).parent.name not in SOCKETS_OFF_FOLDERS:
        return

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise NetworkDisabledError("unit tests must not use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def emf_records(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """Every EMF record written during the test (metrics on, namespace `ChatbotUnitTest`)."""
    captured: list[dict[str, Any]] = []
    monkeypatch.setenv("METRICS_NAMESPACE", "ChatbotUnitTest")
    monkeypatch.delenv("POWERTOOLS_METRICS_DISABLED", raising=False)
    chat_metrics.set_sink(captured.append)
    yield captured
    chat_metrics.set_sink(None)
