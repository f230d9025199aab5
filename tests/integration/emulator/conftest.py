"""Fixtures: an emulator served on 127.0.0.1:0 and boto3 clients pointed at it with dummy credentials."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from lex_emulator import RunningEmulator
from tests.aws_offline import offline_aws_env
from tests.integration.emulator import emulator_hooks
from tests.integration.emulator.emulator_support import Served, start_served


@pytest.fixture(autouse=True)
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Dummy credentials and region, no profile or shared config: nothing can reach AWS."""
    offline_aws_env(monkeypatch, tmp_path)
    emulator_hooks.reset()


@pytest.fixture
def serve() -> Iterator[Callable[..., Served]]:
    """Start emulators on 127.0.0.1:0 for the test: serve(definition_path=..., code_hook=..., **options)."""
    started: list[RunningEmulator] = []

    def start(**options: Any) -> Served:
        served = start_served(**options)
        started.append(served.running)
        return served

    yield start
    emulator_hooks.GATE.set()  # let any held hook thread finish
    for running in started:
        running.shutdown()


@pytest.fixture
def served(serve: Callable[..., Served]) -> Served:
    """The frozen HelloWorld bot (tests/bots) with the test hook as the fallback's code hook."""
    return serve()
