"""Fixtures for the whole test suite: no test may look up a host other than this machine."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.network_guard import LocalOnlyLookup


@pytest.fixture(autouse=True)
def no_network_beyond_this_machine(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any name lookup other than this machine fails the test: nothing may reach a real cloud or LLM
    (or silently pass because an unreachable AWS endpoint fails the way a test expects). Checked after
    the test too, since the code under test may swallow the lookup's error. Child processes (the dev
    server, the browser) are outside this guard."""
    lookup = LocalOnlyLookup(socket.getaddrinfo)
    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    yield
    assert not lookup.refused, f"the test tried to reach {lookup.refused}"


@pytest.fixture
def dynamodb_answer_table(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Any]:
    """A DynamoDB client on moto holding the answer table as the stack declares it
    (`tests.fakes.dynamodb.ANSWER_TABLE`), in an offline AWS environment."""
    from tests.fakes.dynamodb import moto_answer_table  # moto is slow to import: only when used

    with moto_answer_table(monkeypatch, tmp_path) as client:
        yield client
