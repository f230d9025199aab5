"""Fixtures shared by the robustness tests: an echoing fake LLM and the real dev server using it, an
offline AWS environment, and a served emulator with lambda_lex's handler pointed at it. (No test here
may look up a host beyond this machine: tests/conftest.py's autouse guard covers the whole suite.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from devserver.process import DevServerProcess
from lex_emulator import LexEmulator, RunningEmulator
from tests.aws_offline import offline_aws_env
from tests.robustness.support.devserver_support import llm_env
from tests.robustness.support.llm_fakes import FaultyOpenAIServer, echo_reply
from tests.robustness.support.local_stack import point_chat_handler_at, served_emulator


@pytest.fixture(scope="session")
def echo_llm() -> Iterator[FaultyOpenAIServer]:
    with FaultyOpenAIServer(reply=echo_reply, model="fake-robustness-model") as llm:
        yield llm


@pytest.fixture(scope="session")
def devserver(echo_llm: FaultyOpenAIServer) -> Iterator[DevServerProcess]:
    """`python -m devserver` (a child process) with the echoing fake LLM and the default deadline."""
    with DevServerProcess(env=llm_env(echo_llm)) as process:
        yield process


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    offline_aws_env(monkeypatch, tmp_path)


@pytest.fixture(scope="module")
def stub_emulator() -> Iterator[tuple[LexEmulator, RunningEmulator]]:
    """The frozen HelloWorld bot (tests/bots) served with a stub fallback hook (no LLM), one per module."""
    with served_emulator() as served:
        yield served


@pytest.fixture
def chat_stack(
    stub_emulator: tuple[LexEmulator, RunningEmulator], offline: None, monkeypatch: pytest.MonkeyPatch
) -> str:
    """lambda_lex's handler, in this process, talking to the module's emulator; its URL."""
    url = stub_emulator[1].url
    point_chat_handler_at(monkeypatch, url)
    return url
