"""OpenAI chat completions over `requests`: OpenAI itself or any compatible server.

`POST {base_url}/chat/completions` with `model`, `messages` and `max_tokens` (the field every
compatible server accepts: vLLM, Ollama, llama.cpp). OpenAI's newest reasoning models refuse
`max_tokens` and want `max_completion_tokens`; when a server says so (400 naming the field) the
provider switches for the rest of the container's life and tries again at once.

The Authorization header is sent only when there is a key. One `requests.Session` per container
keeps connections alive between turns. Each attempt's connect and read timeouts are bounded by
what is left of the turn's deadline. `requests` applies the read timeout per socket read, so a server
(or proxy) that trickles its answer a few bytes at a time would never trip it: the exchange therefore
runs in a worker thread that the turn waits for only until the deadline (an abandoned thread ends
when the server stops sending or a single read times out).
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import requests

from . import token_usage
from .api_key import KeySource
from .deadline import Deadline
from .llm import (
    LlmAuthError,
    LlmBadResponseError,
    LlmRateLimitedError,
    LlmTimeoutError,
    LlmUnavailableError,
    Message,
    TokenUsage,
    token_count,
)
from .retrying import (
    MAX_RETRY_AFTER_SECONDS,
    RetryableError,
    RetryPolicy,
    call_with_retries,
    parse_retry_after,
)

CONNECT_TIMEOUT_SECONDS = 3.0
RETRYABLE_STATUSES = frozenset({408, 409, 500, 502, 503, 504})
T = TypeVar("T")


class OpenAIChatProvider:
    """An LlmProvider for the chat completions wire format."""

    name = "openai"

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        max_tokens: int,
        keys: KeySource,
        session: requests.Session | None = None,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.model = model
        self._url = base_url.rstrip("/") + "/chat/completions"
        self._max_tokens = max_tokens
        self._length_param = "max_tokens"
        self._keys = keys
        self._session = session or requests.Session()
        self._policy = policy or RetryPolicy()
        self._sleep = sleep
        self._jitter = jitter
        self._usage = threading.local()

    def complete(self, messages: Sequence[Message], deadline: Deadline) -> str:
        self._usage.last = None
        key = self._keys.get()
        wire_messages = [{"role": m.role, "content": m.content} for m in messages]
        text, usage = call_with_retries(
            lambda seconds: self._attempt(wire_messages, key, seconds),
            deadline,
            self._policy,
            sleep=self._sleep,
            jitter=self._jitter,
        )
        self._usage.last = usage
        token_usage.record(usage)  # the budgets' meter (token_usage.metering)
        return text

    def last_usage(self) -> TokenUsage | None:
        """The usage fields of this thread's last answer (`usage.prompt_tokens/completion_tokens`)."""
        usage: TokenUsage | None = getattr(self._usage, "last", None)
        return usage

    def _attempt(
        self, messages: list[dict[str, str]], key: str | None, seconds: float
    ) -> tuple[str, TokenUsage | None]:
        payload = {"model": self.model, "messages": messages, self._length_param: self._max_tokens}
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        return within(seconds, lambda: self._exchange(payload, headers, seconds))

    def _exchange(
        self, payload: dict[str, Any], headers: dict[str, str], seconds: float
    ) -> tuple[str, TokenUsage | None]:
        try:
            response = self._session.post(
                self._url,
                data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
                headers=headers,
                timeout=(min(CONNECT_TIMEOUT_SECONDS, seconds), seconds),
            )
        except requests.exceptions.ConnectTimeout:
            raise RetryableError(LlmUnavailableError("connect timeout")) from None
        except requests.exceptions.ReadTimeout:
            raise LlmTimeoutError("no answer before the deadline") from None
        except (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError) as error:
            raise RetryableError(LlmUnavailableError(f"connection failed: {type(error).__name__}")) from None
        except requests.exceptions.RequestException as error:
            raise LlmUnavailableError(f"request failed: {type(error).__name__}") from None
        with response:
            return self._read(response)

    def _read(self, response: requests.Response) -> tuple[str, TokenUsage | None]:
        status = response.status_code
        if status == 200:
            return answer_text(response.content), usage_of(response.content)
        retry_after = _retry_after(response.headers)
        if status == 429:
            raise RetryableError(LlmRateLimitedError("HTTP 429"), retry_after)
        if status in RETRYABLE_STATUSES or status >= 500:
            raise RetryableError(LlmUnavailableError(f"HTTP {status}"), retry_after)
        if status in (401, 403):
            # A rotated or revoked key: read the secret again on the next turn.
            self._keys.invalidate()
            raise LlmAuthError(f"HTTP {status}")
        error = _error_object(response.content)
        if status == 400 and self._length_param == "max_tokens" and _asks_for_completion_tokens(error):
            self._length_param = "max_completion_tokens"
            raise RetryableError(LlmUnavailableError("HTTP 400: max_tokens not supported"), 0.0)
        kind = error.get("type") or error.get("code")
        raise LlmUnavailableError(f"HTTP {status}" + (f" ({kind})" if isinstance(kind, str) else ""))


def within(seconds: float, call: Callable[[], T]) -> T:
    """`call()` in a daemon thread; its result or exception if it ends within `seconds`, else
    LlmTimeoutError (the thread is left to finish on its own)."""
    done = threading.Event()
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["answer"] = call()
        except BaseException as error:  # handed over to the waiting turn below
            outcome["error"] = error
        finally:
            done.set()

    threading.Thread(target=run, name="llm-exchange", daemon=True).start()
    if not done.wait(seconds):
        raise LlmTimeoutError("no complete answer before the deadline")
    if "error" in outcome:
        raise outcome["error"]
    answer: T = outcome["answer"]
    return answer


def answer_text(body: bytes) -> str:
    """The assistant's text in a chat completion body; LlmBadResponseError when there is none."""
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        raise LlmBadResponseError("the answer is not JSON") from None
    try:
        content = document["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise LlmBadResponseError("the answer has no choices[0].message.content") from None
    if isinstance(content, list):
        # Some compatible servers send content parts: [{"type": "text", "text": "..."}].
        content = "".join(
            part.get("text", "")
            for part in content
            if isinstance(part, dict) and isinstance(part.get("text"), str)
        )
    if not isinstance(content, str) or not content.strip():
        raise LlmBadResponseError("the answer is empty")
    return content.strip()


def usage_of(body: bytes) -> TokenUsage | None:
    """`usage.prompt_tokens` / `usage.completion_tokens` of a chat completion, None when absent."""
    try:
        usage = json.loads(body).get("usage")
    except (ValueError, RecursionError, AttributeError):
        return None
    if not isinstance(usage, dict):
        return None
    found = TokenUsage(token_count(usage.get("prompt_tokens")), token_count(usage.get("completion_tokens")))
    return None if found == TokenUsage(None, None) else found


def _retry_after(headers: Any) -> float | None:
    """OpenAI's retry-after-ms when present, else the standard Retry-After."""
    raw_millis = headers.get("retry-after-ms")
    if raw_millis:
        try:
            seconds = float(raw_millis) / 1000.0
        except ValueError:
            seconds = float("nan")
        if seconds == seconds:  # not NaN
            return min(max(seconds, 0.0), MAX_RETRY_AFTER_SECONDS)
    return parse_retry_after(headers.get("Retry-After"))


def _error_object(body: bytes) -> dict[str, Any]:
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        return {}
    error = document.get("error") if isinstance(document, dict) else None
    return error if isinstance(error, dict) else {}


def _asks_for_completion_tokens(error: dict[str, Any]) -> bool:
    message = error.get("message")
    return error.get("param") == "max_tokens" or (
        isinstance(message, str) and "max_completion_tokens" in message
    )
