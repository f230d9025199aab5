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

`complete_stream` asks for the same answer with `"stream": true` and reads the server-sent events
(`sse.SseDecoder`) of `chat.completion.chunk`s in a `llm_stream.DeltaStream` worker: a 429 or 5xx
before the stream starts is retried like any turn; once deltas flow there is no retry. Event data
that is not JSON, an error event, or content after the finish is LlmBadResponseError or
LlmUnavailableError; a stream that ends before its finish (no `finish_reason`, no `[DONE]`) is
LlmUnavailableError, with what arrived in `partial`. Deltas arrive as the server sends its HTTP
chunks (every OpenAI-compatible server streams with chunked transfer encoding); a server that
streams without it is read to the end first.

Streamed usage: the request asks for `stream_options: {"include_usage": true}`, and the chunk that
carries `usage` (OpenAI sends it after the finish, with empty `choices`) is reported to the stream,
which meters it like `complete`'s usage (`llm_stream`). Not every compatible server knows the
option: one that refuses it (400 or 422 naming `stream_options`) is asked again at once without it,
and this provider never sends it again; a server that accepts it but sends no usage leaves the
answer without usage (the caller estimates). Reading the usage chunk never delays a cancel.
"""

from __future__ import annotations

import contextlib
import json
import random
import socket
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TypeVar

import requests

from . import token_usage
from .api_key import KeySource
from .deadline import Deadline
from .llm import (
    LlmAuthError,
    LlmBadResponseError,
    LlmError,
    LlmRateLimitedError,
    LlmTimeoutError,
    LlmUnavailableError,
    Message,
    TokenUsage,
    token_count,
)
from .llm_stream import DEFAULT_IDLE_SECONDS, DeltaSink, DeltaStream
from .retrying import (
    MAX_RETRY_AFTER_SECONDS,
    RetryableError,
    RetryPolicy,
    call_with_retries,
    parse_retry_after,
)
from .sse import SseDecoder, SseEvent

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
        stream_idle_seconds: float = DEFAULT_IDLE_SECONDS,
    ) -> None:
        self.model = model
        self._url = base_url.rstrip("/") + "/chat/completions"
        self._max_tokens = max_tokens
        self._length_param = "max_tokens"
        # Ask streamed answers for their usage until a server refuses the option (see the docstring).
        self._stream_usage = True
        self._keys = keys
        self._session = session or requests.Session()
        self._policy = policy or RetryPolicy()
        self._sleep = sleep
        self._jitter = jitter
        self._stream_idle_seconds = stream_idle_seconds
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

    def complete_stream(self, messages: Sequence[Message], deadline: Deadline) -> DeltaStream:
        """The answer's text deltas (see the module docstring); the key is read now, in the caller."""
        key = self._keys.get()
        wire_messages = [{"role": m.role, "content": m.content} for m in messages]
        return DeltaStream(
            lambda sink: self._stream(sink, wire_messages, key, deadline),
            deadline,
            idle_seconds=self._stream_idle_seconds,
        )

    def last_usage(self) -> TokenUsage | None:
        """The usage fields of this thread's last answer (`usage.prompt_tokens/completion_tokens`)."""
        usage: TokenUsage | None = getattr(self._usage, "last", None)
        return usage

    def _attempt(
        self, messages: list[dict[str, str]], key: str | None, seconds: float
    ) -> tuple[str, TokenUsage | None]:
        payload = {"model": self.model, "messages": messages, self._length_param: self._max_tokens}
        return within(seconds, lambda: self._exchange(payload, _headers(key, "application/json"), seconds))

    def _stream(
        self, sink: DeltaSink, messages: list[dict[str, str]], key: str | None, deadline: Deadline
    ) -> str | None:
        """The worker side of complete_stream: open (with retries), then read the events."""

        def open_attempt(seconds: float) -> requests.Response:
            payload = {
                "model": self.model,
                "messages": messages,
                self._length_param: self._max_tokens,
                "stream": True,
            }
            if self._stream_usage:
                payload["stream_options"] = {"include_usage": True}
            return self._open_stream(sink, payload, _headers(key, "text/event-stream"), seconds)

        response = call_with_retries(
            open_attempt, deadline, self._policy, sleep=self._sleep, jitter=self._jitter
        )
        with response:
            return _read_stream(response, sink)

    def _open_stream(
        self, sink: DeltaSink, payload: dict[str, Any], headers: dict[str, str], seconds: float
    ) -> requests.Response:
        if sink.cancelled:
            raise LlmUnavailableError("cancelled")
        read_timeout = min(seconds, self._stream_idle_seconds)
        response = self._post(payload, headers, seconds, read_timeout=read_timeout, stream=True)
        sink.on_abort(lambda: _abort(response))
        if response.status_code != 200:
            with response:
                self._fail(response, stream_options="stream_options" in payload)
        return response

    def _exchange(
        self, payload: dict[str, Any], headers: dict[str, str], seconds: float
    ) -> tuple[str, TokenUsage | None]:
        response = self._post(payload, headers, seconds, read_timeout=seconds, stream=False)
        with response:
            return self._read(response)

    def _post(
        self,
        payload: dict[str, Any],
        headers: dict[str, str],
        seconds: float,
        *,
        read_timeout: float,
        stream: bool,
    ) -> requests.Response:
        """POST the request; a failure to get an answer as an LlmError (retryable or not)."""
        try:
            return self._session.post(
                self._url,
                data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
                headers=headers,
                timeout=(min(CONNECT_TIMEOUT_SECONDS, seconds), read_timeout),
                stream=stream,
            )
        except requests.exceptions.ConnectTimeout:
            raise RetryableError(LlmUnavailableError("connect timeout")) from None
        except requests.exceptions.ReadTimeout:
            raise LlmTimeoutError("no answer before the deadline") from None
        except (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError) as error:
            raise RetryableError(LlmUnavailableError(f"connection failed: {type(error).__name__}")) from None
        except requests.exceptions.RequestException as error:
            raise LlmUnavailableError(f"request failed: {type(error).__name__}") from None

    def _read(self, response: requests.Response) -> tuple[str, TokenUsage | None]:
        if response.status_code == 200:
            return answer_text(response.content), usage_of(response.content)
        self._fail(response)

    def _fail(self, response: requests.Response, *, stream_options: bool = False) -> NoReturn:
        """Raise what a non-200 answer means (retryable or not); `stream_options`: the request had them."""
        status = response.status_code
        if stream_options and status in (400, 422) and _refuses_stream_options(response.content):
            self._stream_usage = False
            raise RetryableError(LlmUnavailableError(f"HTTP {status}: stream_options not supported"), 0.0)
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


def _headers(key: str | None, accept: str) -> dict[str, str]:
    headers = {"Content-Type": "application/json", "Accept": accept}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    return headers


def _read_stream(response: requests.Response, sink: DeltaSink) -> str | None:
    """Emit the content deltas of a 200 event stream; return its finish reason."""
    decoder = SseDecoder()
    reader = _ChunkReader()
    try:
        for data in response.iter_content(chunk_size=None):
            for event in decoder.feed(data):
                if reader.take(event, sink):
                    return reader.finish_reason
            if sink.cancelled:
                raise LlmUnavailableError("cancelled")
    except LlmError:
        raise
    except requests.exceptions.ConnectionError as error:
        if sink.cancelled:
            raise LlmUnavailableError("cancelled") from None
        if "timed out" in str(error).lower():  # urllib3's ReadTimeoutError, wrapped by requests
            raise LlmTimeoutError("the stream went silent") from None
        raise LlmUnavailableError(f"the stream broke: {type(error).__name__}") from None
    except (requests.exceptions.RequestException, OSError, ValueError) as error:
        if sink.cancelled:
            raise LlmUnavailableError("cancelled") from None
        raise LlmUnavailableError(f"the stream broke: {type(error).__name__}") from None
    if reader.finish_reason is None:
        raise LlmUnavailableError("the stream ended before the answer was complete")
    return reader.finish_reason


class _ChunkReader:
    """Follows one chat.completion.chunk stream: which deltas to emit, when it is over."""

    def __init__(self) -> None:
        self.finish_reason: str | None = None
        self.delivered = False
        self.usage: TokenUsage | None = None

    def take(self, event: SseEvent, sink: DeltaSink) -> bool:
        """Handle one event; True when the stream is over ([DONE])."""
        if event.data.strip() == "[DONE]":
            if not self.delivered:
                raise LlmBadResponseError("the answer is empty")
            return True
        try:
            chunk = json.loads(event.data)
        except (ValueError, RecursionError):
            raise LlmBadResponseError("a streamed event is not JSON") from None
        if not isinstance(chunk, dict):
            raise LlmBadResponseError("a streamed event is not a JSON object")
        if "error" in chunk or event.event == "error":
            error = chunk.get("error")
            kind = error.get("type") or error.get("code") if isinstance(error, dict) else None
            raise LlmUnavailableError("error event" + (f" ({kind})" if isinstance(kind, str) else ""))
        usage = _usage_fields(chunk.get("usage"))
        if usage is not None:  # the include_usage chunk (its `choices` is empty)
            self.usage = usage
            sink.report_usage(usage)
        choices = chunk.get("choices")
        if not isinstance(choices, list):
            raise LlmBadResponseError("a streamed chunk has no choices list")
        for choice in choices:
            if not isinstance(choice, dict) or choice.get("index", 0) != 0:
                continue
            delta = choice.get("delta") or {}
            content = delta.get("content") if isinstance(delta, dict) else None
            if isinstance(content, str) and content:
                if self.finish_reason is not None:
                    raise LlmBadResponseError("content arrived after finish_reason")
                sink.emit(content)
                self.delivered = True
            reason = choice.get("finish_reason")
            if isinstance(reason, str) and self.finish_reason is None:
                self.finish_reason = reason
        return False


def _abort(response: requests.Response) -> None:
    """Close a streamed response now, even while another thread is blocked reading it: shutting the
    socket down wakes that read and tells the server at once (a plain close waits for the read)."""
    connection = getattr(response.raw, "connection", None)
    sock = getattr(connection, "sock", None)
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
    response.close()


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
    return _usage_fields(usage)


def _usage_fields(usage: object) -> TokenUsage | None:
    """A `usage` object's prompt/completion tokens; None when it is not one or reports neither."""
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


def _refuses_stream_options(body: bytes) -> bool:
    """Whether an error body blames `stream_options`: OpenAI-style `error.param` when it names one,
    else the option's name anywhere in the body (pydantic servers' 422 details, plain messages)."""
    param = _error_object(body).get("param")
    if isinstance(param, str) and param:
        return param.split(".")[0] == "stream_options"
    return b"stream_options" in body
