"""What the robustness tests share about the real dev server: the LLM settings they start it with and
the check that it still serves after whatever a test threw at it."""

from __future__ import annotations

import uuid

import requests

from tests.bots import devserver_env
from tests.fakes.openai_server import FakeOpenAIServer

# Shaped like a key so that a leak into output would be noticed; not a credential anywhere.
DUMMY_KEY = "sk-robustness-test-0123456789abcdef"


def llm_env(llm: FakeOpenAIServer, **extra: str) -> dict[str, str]:
    """The dev server's environment for the frozen HelloWorld bot and a fake OpenAI server (plus any
    extra variables)."""
    return devserver_env(
        {"OPENAI_BASE_URL": llm.base_url, "OPENAI_API_KEY": DUMMY_KEY, "LLM_MODEL": "fake-model", **extra}
    )


def assert_still_serving(url: str) -> None:
    """A plain greeting on a fresh session still gets the greeting intent's answer."""
    response = requests.post(
        url + "/chat",
        json={"text": "Hello", "locale": "en_US", "sessionId": f"after-{uuid.uuid4()}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    assert response.json()["intent"] == "HelloWorld"
