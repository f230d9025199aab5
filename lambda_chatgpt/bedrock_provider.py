"""Amazon Bedrock's Converse API through boto3: IAM only, no API key.

botocore's own retries are off so that every retry goes through `call_with_retries` and respects
the turn's deadline. A client's read timeout is fixed when it is made, so clients are kept per whole
number of seconds of timeout (in practice one or two per container): each attempt waits no longer
than the turn has left.
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
    ) -> None:
        self.model = model
        self._max_tokens = max_tokens
        self._client_factory = client_factory
        self._clients: dict[int, BedrockRuntimeClient] = {}
        self._policy = policy or RetryPolicy()
        self._sleep = sleep
        self._jitter = jitter
        self._usage = threading.local()

    def last_usage(self) -> TokenUsage | None:
        """The usage fields of this thread's last answer (Converse `usage.inputTokens/outputTokens`)."""
        usage: TokenUsage | None = getattr(self._usage, "last", None)
        return usage

    def complete(self, messages: Sequence[Message], deadline: Deadline) -> str:
        self._usage.last = None
        system = [{"text": m.content} for m in messages if m.role == "system"]
        conversation = [
            {"role": m.role, "content": [{"text": m.content}]} for m in messages if m.role != "system"
        ]
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

    def _client(self, seconds: float) -> BedrockRuntimeClient:
        bucket = max(1, math.floor(seconds))
        if bucket not in self._clients:
            self._clients[bucket] = self._client_factory(float(bucket))
        return self._clients[bucket]

    def _attempt(
        self, system: list[Any], conversation: list[Any], seconds: float
    ) -> tuple[str, TokenUsage | None]:
        client = self._client(seconds)
        try:
            response = client.converse(
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
        return converse_text(response), converse_usage(response)


def _translate(error: ClientError) -> Exception:
    code = str(error.response.get("Error", {}).get("Code") or "Unknown")
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
