"""Fixtures: a fake OpenAI server and the real dev server (a child process) using it as the LLM."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from devserver.process import DevServerProcess
from tests.fakes.openai_server import FakeOpenAIServer

# A placeholder in the shape of a key, so a leak of it into output would be caught.
DUMMY_KEY = "sk-devserver-test-0123456789abcdef"
FAKE_MODEL = "fake-model-for-devserver-tests"


def llm_env(llm: FakeOpenAIServer) -> dict[str, str]:
    return {"OPENAI_BASE_URL": llm.base_url, "OPENAI_API_KEY": DUMMY_KEY, "LLM_MODEL": FAKE_MODEL}


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
