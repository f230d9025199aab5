"""The one place that talks to the Lex V2 runtime: client setup, safe retries, error translation.

Two calls: RecognizeText (the turn) and PutSession (writing back the conversation memory after a
turn Lex answered without the LLM; see `chat.py`).

The client comes from botocore directly: boto3 adds nothing this Lambda uses and costs about
15 ms of cold start (its import pulls in s3transfer).

RecognizeText is not idempotent: each call is a dialog turn (slot filling, confirmation, the LLM
fallback with its memory). So botocore's own retries are off, and this module retries only when the
turn certainly did not run:

- the TCP connection could not be made (refused, DNS, connect timeout): the request never left;
- ThrottlingException: Lex refused the call at its front door before the bot ran. One retry after
  a short full-jitter pause absorbs a burst; a second refusal goes back to the browser as 429 with
  Retry-After, which is the caller's cue to slow down (retrying harder here would only add load and
  eat into API Gateway's 29 s).

Everything else (read timeouts, dropped connections, 5xx answers) may have happened after Lex ran
the turn, so it is reported, never repeated.

PutSession follows the same rules. Its client has a shorter read timeout
(`SESSION_WRITE_READ_TIMEOUT_SECONDS`): it comes after a turn that may already have used most of
API Gateway's 29 s, and it is best effort, so it must never be what makes the turn late.
Its answer's payload (an empty audio stream for text) is read to the end, so its keep-alive
connection is reused rather than a new one opened per write.
"""

from __future__ import annotations

import contextlib
import random
import threading
import time
from collections.abc import Callable, Mapping
from enum import Enum
from typing import TYPE_CHECKING, Any, cast

import botocore.session
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ProxyConnectionError,
    ReadTimeoutError,
    SSLError,
)

if TYPE_CHECKING:
    from mypy_boto3_lexv2_runtime import LexRuntimeV2Client

CONNECT_TIMEOUT_SECONDS = 2.0
MAX_ATTEMPTS = 2
BACKOFF_CAP_SECONDS = 0.4
DEFAULT_RETRY_AFTER_SECONDS = 1
SESSION_WRITE_READ_TIMEOUT_SECONDS = 3.0
MAX_POOL_CONNECTIONS = 64


class LexFailure(Enum):
    """What went wrong with a Lex call, as far as the caller needs to know."""

    THROTTLED = "throttled"
    SESSION_BUSY = "session_busy"
    REJECTED = "rejected"
    TIMEOUT = "timeout"
    UNREACHABLE = "unreachable"
    UPSTREAM = "upstream"
    MISCONFIGURED = "misconfigured"


class LexCallError(Exception):
    """A Lex call failed; `failure` says how, `detail` is for logs (no user text in it)."""

    def __init__(self, failure: LexFailure, detail: str, *, retry_after: int | None = None) -> None:
        super().__init__(f"{failure.value}: {detail}")
        self.failure = failure
        self.detail = detail
        self.retry_after = retry_after


def client_config(read_timeout: float) -> Config:
    """Timeouts below API Gateway's 29 s, botocore retries off (see the module docstring)."""
    return Config(
        connect_timeout=CONNECT_TIMEOUT_SECONDS,
        read_timeout=read_timeout,
        retries={"total_max_attempts": 1, "mode": "standard"},
        tcp_keepalive=True,
        # Local mode calls one client from many threads at once: past botocore's default of 10
        # connections, every further call would open (and then drop) a connection of its own.
        max_pool_connections=MAX_POOL_CONNECTIONS,
    )


def make_client(read_timeout: float) -> LexRuntimeV2Client:
    """A lexv2-runtime client; region, credentials and endpoint come from the standard environment
    (AWS_REGION; locally AWS_ENDPOINT_URL_LEX_RUNTIME_V2 points it at the emulator: botocore derives
    the variable's name from the service id "Lex Runtime V2", not from "lexv2-runtime").

    Clients share one botocore session, so a second client (PutSession's) costs a few ms, not the
    service model's loading again."""
    client = _botocore_session().create_client("lexv2-runtime", config=client_config(read_timeout))
    return cast("LexRuntimeV2Client", client)


_session: botocore.session.Session | None = None
_session_lock = threading.Lock()


def _botocore_session() -> botocore.session.Session:
    global _session
    with _session_lock:
        if _session is None:
            _session = botocore.session.get_session()
        return _session


class LexGateway:
    """RecognizeText and PutSession with this module's retry rules; raises LexCallError on failure.

    `session_client` (PutSession's client, with its shorter read timeout) is built on first use by
    `session_client_factory`; without a factory PutSession uses `client`."""

    def __init__(
        self,
        client: LexRuntimeV2Client,
        *,
        read_timeout: float,
        session_client_factory: Callable[[], LexRuntimeV2Client] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.client = client
        self._read_timeout = read_timeout
        self._session_client_factory = session_client_factory
        self._session_client: LexRuntimeV2Client | None = None
        self._session_client_lock = threading.Lock()
        self._sleep = sleep
        self._jitter = jitter

    @property
    def session_client(self) -> LexRuntimeV2Client:
        """The client PutSession uses."""
        if self._session_client_factory is None:
            return self.client
        with self._session_client_lock:
            if self._session_client is None:
                self._session_client = self._session_client_factory()
            return self._session_client

    @property
    def session_read_timeout(self) -> float:
        """PutSession's read timeout, in seconds."""
        if self._session_client_factory is None:
            return self._read_timeout
        return min(self._read_timeout, SESSION_WRITE_READ_TIMEOUT_SECONDS)

    def recognize_text(
        self,
        *,
        bot_id: str,
        bot_alias_id: str,
        locale_id: str,
        session_id: str,
        text: str,
        request_attributes: Mapping[str, str] | None = None,
        time_left: Callable[[], float] | None = None,
    ) -> Mapping[str, Any]:
        """One dialog turn. `time_left` (seconds the Lambda still has) stops a retry that could not
        finish in time."""
        arguments: dict[str, Any] = {
            "botId": bot_id,
            "botAliasId": bot_alias_id,
            "localeId": locale_id,
            "sessionId": session_id,
            "text": text,
        }
        if request_attributes:
            arguments["requestAttributes"] = dict(request_attributes)
        response: Mapping[str, Any] = self._call(
            lambda: self.client.recognize_text(**arguments),
            read_timeout=self._read_timeout,
            time_left=time_left,
        )
        return response

    def put_session(
        self,
        *,
        bot_id: str,
        bot_alias_id: str,
        locale_id: str,
        session_id: str,
        session_state: Mapping[str, Any],
        time_left: Callable[[], float] | None = None,
    ) -> None:
        """Replace the session's state (Lex's PutSession, text responses). When `time_left` says the
        call could not finish before the Lambda's end it is not made: LexCallError(TIMEOUT)."""
        read_timeout = self.session_read_timeout
        if time_left is not None and time_left() < CONNECT_TIMEOUT_SECONDS + read_timeout:
            raise LexCallError(LexFailure.TIMEOUT, "no time left for PutSession")
        client = self.session_client
        response: Mapping[str, Any] = self._call(
            lambda: client.put_session(
                botId=bot_id,
                botAliasId=bot_alias_id,
                localeId=locale_id,
                sessionId=session_id,
                sessionState=cast(Any, dict(session_state)),
            ),
            read_timeout=read_timeout,
            time_left=time_left,
        )
        _release(response)

    def _call(
        self, operation: Callable[[], Any], *, read_timeout: float, time_left: Callable[[], float] | None
    ) -> Any:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                return operation()
            except ClientError as error:
                failure = _translate_client_error(error)
                if failure.failure is not LexFailure.THROTTLED or not self._may_retry(
                    attempt, read_timeout, time_left
                ):
                    raise failure from None
            except (SSLError, ProxyConnectionError) as error:
                raise LexCallError(LexFailure.UNREACHABLE, type(error).__name__) from None
            except (ConnectTimeoutError, EndpointConnectionError) as error:
                if not self._may_retry(attempt, read_timeout, time_left):
                    failure_kind = (
                        LexFailure.TIMEOUT
                        if isinstance(error, ConnectTimeoutError)
                        else LexFailure.UNREACHABLE
                    )
                    raise LexCallError(failure_kind, type(error).__name__) from None
            except ReadTimeoutError:
                raise LexCallError(LexFailure.TIMEOUT, "ReadTimeoutError") from None
            except BotoCoreError as error:
                # ConnectionClosedError and other transport failures after the request was sent,
                # and client-side problems (credentials, parameter validation).
                raise LexCallError(LexFailure.UPSTREAM, type(error).__name__) from None
            self._sleep(self._jitter() * BACKOFF_CAP_SECONDS)
        raise AssertionError("unreachable: the last attempt either returns or raises")  # pragma: no cover

    def _may_retry(self, attempt: int, read_timeout: float, time_left: Callable[[], float] | None) -> bool:
        if attempt >= MAX_ATTEMPTS:
            return False
        needed = BACKOFF_CAP_SECONDS + CONNECT_TIMEOUT_SECONDS + read_timeout
        return time_left is None or time_left() > needed


def _release(response: Mapping[str, Any]) -> None:
    """Read PutSession's (empty, for text) audio stream to its end, so its connection goes back to
    the pool: botocore hands the payload over unread, and an unread response keeps its connection,
    so every PutSession would otherwise open a new one (a new TLS handshake in AWS). Best effort:
    the write has been done; a broken stream only costs that connection."""
    stream = response.get("audioStream") if isinstance(response, Mapping) else None
    if stream is None:
        return
    with contextlib.suppress(Exception):  # the session is written; only the connection is lost
        try:
            stream.read()
        finally:
            stream.close()


_FAILURES = {
    "ThrottlingException": LexFailure.THROTTLED,
    "ConflictException": LexFailure.SESSION_BUSY,
    "ValidationException": LexFailure.REJECTED,
    "DependencyFailedException": LexFailure.UPSTREAM,
    "BadGatewayException": LexFailure.UPSTREAM,
    "InternalServerException": LexFailure.UPSTREAM,
    "ResourceNotFoundException": LexFailure.MISCONFIGURED,
    "AccessDeniedException": LexFailure.MISCONFIGURED,
    # Signing and credential problems, reported by the AWS front door with these codes.
    "UnrecognizedClientException": LexFailure.MISCONFIGURED,
    "InvalidSignatureException": LexFailure.MISCONFIGURED,
    "ExpiredTokenException": LexFailure.MISCONFIGURED,
}


def _translate_client_error(error: ClientError) -> LexCallError:
    code = str(error.response.get("Error", {}).get("Code") or "Unknown")
    failure = _FAILURES.get(code, LexFailure.UPSTREAM)
    retry_after = None
    if failure is LexFailure.THROTTLED:
        retry_after = _retry_after(error.response)
    return LexCallError(failure, code, retry_after=retry_after)


def _retry_after(response: Mapping[str, Any]) -> int:
    """Lex's Retry-After header when it sends one (whole seconds, 1..60), else 1."""
    headers = response.get("ResponseMetadata", {}).get("HTTPHeaders", {}) or {}
    raw = headers.get("retry-after")
    try:
        seconds = int(float(str(raw)))
    except (TypeError, ValueError):
        return DEFAULT_RETRY_AFTER_SECONDS
    return min(max(seconds, 1), 60)
