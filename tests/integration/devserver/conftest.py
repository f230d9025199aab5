"""Fixtures: a fake OpenAI server and the real dev server (a child process) using it as the LLM."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from devserver.process import DevServerProcess
from tests.fakes.openai_server import FakeOpenAIServer
from tests.integration.devserver.devserver_llm import llm_env


@pytest.fixture(scope="module")
def fake_llm() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer(reply="The fake LLM answers this.") as llm:
        yield llm


@pytest.fixture
def llm(fake_llm: FakeOpenAIServer) -> FakeOpenAIServer:
    """The module's fake LLM, reset to answer at once with the default reply."""
    fake_llm.reset()
    fake_llm.reply = "The fake LLM answers this."
    return fake_llm


@pytest.fixture(scope="module")
def server(fake_llm: FakeOpenAIServer) -> Iterator[DevServerProcess]:
    with DevServerProcess(env=llm_env(fake_llm)) as process:
        yield process


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session
