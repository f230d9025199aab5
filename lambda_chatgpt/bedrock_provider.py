"""Amazon Bedrock's Converse API through boto3: IAM only, no API key.

botocore's own retries are off so that every retry goes through `call_with_retries` and respects
the turn's deadline. A client's read timeout is fixed when it is made, so clients are kept per whole
number of seconds of timeout (in practice one or two per container): each attempt waits no longer
than the turn has left.

`complete_stream` calls ConverseStream in a `llm_stream.DeltaStream` worker: throttling or a 5xx
before the stream starts is retried like any turn; then each `contentBlockDelta` text is a delta,
`messageStop` gives the finish reason, the `metadata` event after it gives the answer's usage
(`usage.inputTokens/outputTokens`, reported to the stream, which meters it like `complete`'s), and
an exception event inside the stream (botocore raises it as EventStreamError, a ClientError) maps
like the same error code would before it. Closing the stream closes the event stream's HTTP
response. IAM: ConverseStream needs `bedrock:InvokeModelWithResponseStream` on the model (Converse
needs `bedrock:InvokeModel`).
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, cast

import botocore.session
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)

from . import token_usage
from .deadline import Deadline
from .llm import (
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
from .retrying import RetryableError, RetryPolicy, call_with_retries

if TYPE_CHECKING:
    from mypy_boto3_bedrock_runtime import BedrockRuntimeClient

RETRYABLE_CODES = frozenset(
    {"ServiceUnavailableException", "InternalServerException", "ModelNotReadyException"}
)


def bedrock_client(read_timeout: float) -> BedrockRuntimeClient:
    """A bedrock-runtime client (from botocore directly, like the others) with this read timeout."""
    config = Config(
        connect_timeout=min(2.0, read_timeout),
        read_timeout=read_timeout,
        retries={"total_max_attempts": 1, "mode": "standard"},
    )
    client = botocore.session.get_session().create_client("bedrock-runtime", config=config)
    return cast("BedrockRuntimeClient", client)


class BedrockConverseProvider:
    """An LlmProvider for Bedrock Converse (any model that supports it)."""

    name = "bedrock"

    def __init__(
        self,
        *,
        model: str,
        max_tokens: int,
        client_factory: Callable[[float], BedrockRuntimeClient] = bedrock_client,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
        stream_idle_seconds: float = DEFAULT_IDLE_SECONDS,
    ) -> None:
        self.model = model
        self._max_tokens = max_tokens
        self._client_factory = client_factory
        self._clients: dict[int, BedrockRuntimeClient] = {}
        self._policy = policy or RetryPolicy()
        self._sleep = sleep
        self._jitter = jitter
        self._stream_idle_seconds = stream_idle_seconds
        self._usage = threading.local()

    def last_usage(self) -> TokenUsage | None:
        """The usage fields of this thread's last answer (Converse `usage.inputTokens/outputTokens`)."""
        usage: TokenUsage | None = getattr(self._usage, "last", None)
        return usage

    def complete(self, messages: Sequence[Message], deadline: Deadline) -> str:
        self._usage.last = None
        system, conversation = _converse_messages(messages)
        text, usage = call_with_retries(
            lambda seconds: self._attempt(system, conversation, seconds),
            deadline,
            self._policy,
            sleep=self._sleep,
            jitter=self._jitter,
        )
        self._usage.last = usage
        token_usage.record(usage)  # the budgets' meter (token_usage.metering)
        return text

    def complete_stream(self, messages: Sequence[Message], deadline: Deadline) -> DeltaStream:
        """The answer's text deltas (see the module docstring)."""
        system, conversation = _converse_messages(messages)
        return DeltaStream(
            lambda sink: self._stream(sink, system, conversation, deadline),
            deadline,
            idle_seconds=self._stream_idle_seconds,
        )

    def _stream(
        self, sink: DeltaSink, system: list[Any], conversation: list[Any], deadline: Deadline
    ) -> str | None:
        events = call_with_retries(
            lambda seconds: self._open_stream(sink, system, conversation, seconds),
            deadline,
            self._policy,
            sleep=self._sleep,
            jitter=self._jitter,
        )
        sink.on_abort(events.close)
        try:
            return _read_events(events, sink)
        finally:
            events.close()

    def _open_stream(
        self, sink: DeltaSink, system: list[Any], conversation: list[Any], seconds: float
    ) -> Any:
        if sink.cancelled:
            raise LlmUnavailableError("cancelled")
        client = self._client(min(seconds, self._stream_idle_seconds))
        response = self._request(client.converse_stream, system, conversation)
        try:
            return response["stream"]
        except (KeyError, TypeError):
            raise LlmBadResponseError("the answer has no event stream") from None

    def _client(self, seconds: float) -> BedrockRuntimeClient:
        bucket = max(1, math.floor(seconds))
        if bucket not in self._clients:
            self._clients[bucket] = self._client_factory(float(bucket))
        return self._clients[bucket]

    def _attempt(
        self, system: list[Any], conversation: list[Any], seconds: float
    ) -> tuple[str, TokenUsage | None]:
        response = self._request(self._client(seconds).converse, system, conversation)
        return converse_text(response), converse_usage(response)

    def _request(self, call: Callable[..., Any], system: list[Any], conversation: list[Any]) -> Any:
        """One Converse or ConverseStream call (`call`), its failures as LlmErrors (retryable or not)."""
        try:
            return call(
                modelId=self.model,
                messages=conversation,
                system=system,
                inferenceConfig={"maxTokens": self._max_tokens},
            )
        except ClientError as error:
            raise _translate(error) from None
        except ReadTimeoutError:
            raise LlmTimeoutError("no answer before the deadline") from None
        except (ConnectTimeoutError, EndpointConnectionError, ConnectionClosedError) as error:
            raise RetryableError(LlmUnavailableError(f"connection failed: {type(error).__name__}")) from None
        except BotoCoreError as error:
            raise LlmUnavailableError(f"request failed: {type(error).__name__}") from None


def _converse_messages(messages: Sequence[Message]) -> tuple[list[Any], list[Any]]:
    """Converse's `system` blocks and `messages` list for a conversation."""
    system = [{"text": m.content} for m in messages if m.role == "system"]
    conversation = [
        {"role": m.role, "content": [{"text": m.content}]} for m in messages if m.role != "system"
    ]
    return system, conversation


def _read_events(events: Any, sink: DeltaSink) -> str | None:
    """Emit the text deltas of a ConverseStream event stream; return its stop reason."""
    stop_reason: str | None = None
    delivered = False
    try:
        for event in events:
            if sink.cancelled:
                raise LlmUnavailableError("cancelled")
            if not isinstance(event, dict):
                raise LlmBadResponseError("a stream event is not an object")
            if "contentBlockDelta" in event:
                delta = (event["contentBlockDelta"] or {}).get("delta") or {}
                text = delta.get("text") if isinstance(delta, dict) else None
                if isinstance(text, str) and text:
                    if stop_reason is not None:
                        raise LlmBadResponseError("content arrived after messageStop")
                    sink.emit(text)
                    delivered = True
            elif "messageStop" in event:
                reason = (event["messageStop"] or {}).get("stopReason")
                stop_reason = reason if isinstance(reason, str) else "unknown"
            elif "metadata" in event:
                sink.report_usage(converse_usage(event["metadata"]))
    except LlmError:
        raise
    except ClientError as error:  # EventStreamError: an exception event inside the stream
        failure = _translate(error, stream_started=True)
        raise (failure.error if isinstance(failure, RetryableError) else failure) from None
    except ReadTimeoutError:
        raise LlmTimeoutError("the stream went silent") from None
    except Exception as error:  # urllib3/botocore errors of a broken or closed connection
        if sink.cancelled:
            raise LlmUnavailableError("cancelled") from None
        raise LlmUnavailableError(f"the stream broke: {type(error).__name__}") from None
    if stop_reason is None:
        raise LlmUnavailableError("the stream ended before messageStop")
    if not delivered:
        raise LlmBadResponseError("the answer is empty")
    return stop_reason


def _translate(error: ClientError, *, stream_started: bool = False) -> Exception:
    code = str(error.response.get("Error", {}).get("Code") or "Unknown")
    if stream_started:
        # Exception events name themselves in camelCase (throttlingException, ...).
        code = code[:1].upper() + code[1:]
    if code == "ThrottlingException":
        return RetryableError(LlmRateLimitedError(code))
    if code in RETRYABLE_CODES:
        return RetryableError(LlmUnavailableError(code))
    if code == "ModelTimeoutException":
        return LlmTimeoutError(code)
    failure: LlmError = LlmUnavailableError(code)
    return failure


def converse_text(response: Any) -> str:
    """The text blocks of a Converse answer, joined; LlmBadResponseError when there are none."""
    try:
        blocks = response["output"]["message"]["content"]
    except (KeyError, TypeError):
        raise LlmBadResponseError("the answer has no output.message.content") from None
    if not isinstance(blocks, list):
        raise LlmBadResponseError("output.message.content is not a list")
    text = "".join(
        block["text"] for block in blocks if isinstance(block, dict) and isinstance(block.get("text"), str)
    )
    if not text.strip():
        raise LlmBadResponseError("the answer is empty")
    return text.strip()


def converse_usage(response: Any) -> TokenUsage | None:
    """`usage.inputTokens` / `usage.outputTokens` of a Converse answer, None when absent."""
    usage = response.get("usage") if isinstance(response, dict) else None
    if not isinstance(usage, dict):
        return None
    found = TokenUsage(token_count(usage.get("inputTokens")), token_count(usage.get("outputTokens")))
    return None if found == TokenUsage(None, None) else found
