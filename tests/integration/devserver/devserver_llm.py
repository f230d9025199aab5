"""The LLM settings the dev server tests start it with (a fake OpenAI server and a placeholder key)."""

from __future__ import annotations

from tests.bots import devserver_env
from tests.fakes.openai_server import FakeOpenAIServer

# A placeholder in the shape of a key, so a leak of it into output would be caught.
DUMMY_KEY = "sk-devserver-test-0123456789abcdef"
FAKE_MODEL = "fake-model-for-devserver-tests"


def llm_env(llm: FakeOpenAIServer) -> dict[str, str]:
    """The frozen HelloWorld bot with the fake LLM as its fallback's model."""
    return devserver_env(
        {"OPENAI_BASE_URL": llm.base_url, "OPENAI_API_KEY": DUMMY_KEY, "LLM_MODEL": FAKE_MODEL}
    )
