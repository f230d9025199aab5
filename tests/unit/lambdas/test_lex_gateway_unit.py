"""Which Lex failures are retried (only those where the turn certainly did not run) and how each maps."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ReadTimeoutError,
    SSLError,
)

from lambda_lex.handler import api_error_for
from lambda_lex.lex_gateway import (
    CONNECT_TIMEOUT_SECONDS,
    SESSION_WRITE_READ_TIMEOUT_SECONDS,
    LexCallError,
    LexFailure,
    LexGateway,
    client_config,
)

URL = "https://runtime-v2-lex.us-east-1.amazonaws.com"
OK = {"sessionId": "s", "messages": []}


def client_error(code: str, status: int = 400, headers: dict[str, Any] | None = None) -> ClientError:
    response = {
        "Error": {"Code": code, "Message": "x"},
        "ResponseMetadata": {"HTTPStatusCode": status, "HTTPHeaders": headers or {}},
    }
    return ClientError(response, "RecognizeText")  # type: ignore[arg-type]


class ScriptedClient:
    """Raises or returns what it is told, in order, and counts calls."""

    def __init__(self, *outcomes: object) -> None:
        self.outcomes = list(outcomes)
        self.calls = 0

    def recognize_text(self, **_kwargs: object) -> object:
        self.calls += 1
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


def call(client: ScriptedClient, time_left: float | None = None) -> tuple[object, list[float]]:
    sleeps: list[float] = []
    gateway = LexGateway(client, read_timeout=25.0, sleep=sleeps.append, jitter=lambda: 0.5)  # type: ignore[arg-type]
    result = gateway.recognize_text(
        bot_id="ABCDEFGHIJ",
        bot_alias_id="LIVEALIAS1",
        locale_id="ko_KR",
        session_id="s",
        text="hi",
        time_left=None if time_left is None else (lambda: time_left),
    )
    return result, sleeps


def failure_of(client: ScriptedClient, time_left: float | None = None) -> LexCallError:
    with pytest.raises(LexCallError) as caught:
        call(client, time_left)
    return caught.value


def test_client_has_botocore_retries_off_and_timeouts_below_api_gateway() -> None:
    config = client_config(25.0)
    options = vars(config)
    assert options["retries"] == {"total_max_attempts": 1, "mode": "standard"}
    assert options["read_timeout"] + options["connect_timeout"] < 29


def test_throttling_once_is_retried_after_a_short_pause() -> None:
    client = ScriptedClient(client_error("ThrottlingException", 429), OK)
    result, sleeps = call(client)
    assert result == OK
    assert client.calls == 2
    assert len(sleeps) == 1
    assert 0 <= sleeps[0] <= 0.4


def test_throttling_twice_is_a_429_with_retry_after() -> None:
    client = ScriptedClient(
        client_error("ThrottlingException", 429, {"retry-after": "3"}),
        client_error("ThrottlingException", 429, {"retry-after": "3"}),
    )
    failure = failure_of(client)
    assert (failure.failure, failure.retry_after, client.calls) == (LexFailure.THROTTLED, 3, 2)
    error = api_error_for(failure)
    assert (error.status, error.code, error.retry_after) == (429, "throttled", 3)


def test_throttling_without_a_retry_after_header_says_one_second() -> None:
    failure = failure_of(ScriptedClient(client_error("ThrottlingException", 429)), time_left=1.0)
    assert failure.retry_after == 1


def test_no_retry_when_the_lambda_has_no_time_for_another_full_attempt() -> None:
    client = ScriptedClient(client_error("ThrottlingException", 429), OK)
    assert failure_of(client, time_left=10.0).failure is LexFailure.THROTTLED
    assert client.calls == 1


def test_refused_connections_are_retried_once_then_502() -> None:
    client = ScriptedClient(EndpointConnectionError(endpoint_url=URL), OK)
    assert call(client)[0] == OK
    client = ScriptedClient(
        EndpointConnectionError(endpoint_url=URL), EndpointConnectionError(endpoint_url=URL)
    )
    failure = failure_of(client)
    assert (failure.failure, client.calls) == (LexFailure.UNREACHABLE, 2)
    assert (api_error_for(failure).status, api_error_for(failure).code) == (502, "upstream_failed")


def test_connect_timeouts_are_retried_once_then_504() -> None:
    client = ScriptedClient(ConnectTimeoutError(endpoint_url=URL), ConnectTimeoutError(endpoint_url=URL))
    failure = failure_of(client)
    assert (failure.failure, client.calls) == (LexFailure.TIMEOUT, 2)
    assert (api_error_for(failure).status, api_error_for(failure).code) == (504, "upstream_timeout")


@pytest.mark.parametrize(
    ("error", "failure", "status"),
    [
        (ReadTimeoutError(endpoint_url=URL), LexFailure.TIMEOUT, 504),
        (ConnectionClosedError(endpoint_url=URL), LexFailure.UPSTREAM, 502),
        (SSLError(endpoint_url=URL, error=OSError("bad cert")), LexFailure.UNREACHABLE, 502),
        (NoCredentialsError(), LexFailure.UPSTREAM, 502),
        (client_error("InternalServerException", 500), LexFailure.UPSTREAM, 502),
        (client_error("BadGatewayException", 502), LexFailure.UPSTREAM, 502),
        (client_error("DependencyFailedException", 424), LexFailure.UPSTREAM, 502),
        (client_error("SomethingNew", 418), LexFailure.UPSTREAM, 502),
        (client_error("ConflictException", 409), LexFailure.SESSION_BUSY, 409),
        (client_error("ValidationException", 400), LexFailure.REJECTED, 400),
        (client_error("ResourceNotFoundException", 404), LexFailure.MISCONFIGURED, 502),
        (client_error("AccessDeniedException", 403), LexFailure.MISCONFIGURED, 502),
    ],
)
def test_failures_after_the_request_may_have_reached_lex_are_never_retried(error, failure, status) -> None:
    client = ScriptedClient(error, OK)
    caught = failure_of(client)
    assert caught.failure is failure
    assert client.calls == 1
    assert api_error_for(caught).status == status


class ScriptedSessionClient(ScriptedClient):
    """The PutSession client: the same script, and the arguments of each call."""

    def __init__(self, *outcomes: object) -> None:
        super().__init__(*outcomes)
        self.arguments: list[dict[str, object]] = []

    def put_session(self, **kwargs: object) -> object:
        self.arguments.append(kwargs)
        return self.recognize_text()


STATE = {"dialogAction": {"type": "Close"}, "sessionAttributes": {"llmHistory": "{}"}}


def put(
    session_client: ScriptedSessionClient, time_left: float | None = None
) -> tuple[LexGateway, list[float]]:
    sleeps: list[float] = []
    built: list[int] = []

    def factory() -> Any:
        built.append(1)
        return session_client

    gateway = LexGateway(
        ScriptedClient(),  # type: ignore[arg-type]
        read_timeout=25.0,
        session_client_factory=factory,
        sleep=sleeps.append,
        jitter=lambda: 0.5,
    )
    for _ in range(2):
        gateway.put_session(
            bot_id="ABCDEFGHIJ",
            bot_alias_id="LIVEALIAS1",
            locale_id="ko_KR",
            session_id="s",
            session_state=STATE,
            time_left=None if time_left is None else (lambda: time_left),
        )
    assert built == [1], "the PutSession client is built once, on first use"
    return gateway, sleeps


def test_put_session_sends_the_state_through_its_own_client_with_a_short_read_timeout() -> None:
    client = ScriptedSessionClient({}, {})
    gateway, _ = put(client)
    assert client.arguments[0] == {
        "botId": "ABCDEFGHIJ",
        "botAliasId": "LIVEALIAS1",
        "localeId": "ko_KR",
        "sessionId": "s",
        "sessionState": STATE,
    }
    assert gateway.session_read_timeout == SESSION_WRITE_READ_TIMEOUT_SECONDS < 25.0


def test_put_session_retries_a_throttle_once_like_recognize_text() -> None:
    client = ScriptedSessionClient(client_error("ThrottlingException", 429), {}, {})
    _, sleeps = put(client)
    assert client.calls == 3
    assert sleeps == [0.2]


@pytest.mark.parametrize(
    ("error", "failure"),
    [
        (ReadTimeoutError(endpoint_url=URL), LexFailure.TIMEOUT),
        (ConnectionClosedError(endpoint_url=URL), LexFailure.UPSTREAM),
        (client_error("AccessDeniedException", 403), LexFailure.MISCONFIGURED),
    ],
)
def test_put_session_failures_are_reported_not_repeated(error: Exception, failure: LexFailure) -> None:
    client = ScriptedSessionClient(error)
    with pytest.raises(LexCallError) as caught:
        put(client)
    assert caught.value.failure is failure
    assert client.calls == 1


def test_put_session_is_not_attempted_without_time_for_it() -> None:
    client = ScriptedSessionClient()
    with pytest.raises(LexCallError) as caught:
        put(client, time_left=CONNECT_TIMEOUT_SECONDS + SESSION_WRITE_READ_TIMEOUT_SECONDS - 0.1)
    assert caught.value.failure is LexFailure.TIMEOUT
    assert client.calls == 0


def test_recognize_text_sends_the_request_attributes() -> None:
    seen: list[dict[str, object]] = []

    class Recording:
        def recognize_text(self, **kwargs: object) -> object:
            seen.append(kwargs)
            return OK

    gateway = LexGateway(Recording(), read_timeout=25.0)  # type: ignore[arg-type]
    gateway.recognize_text(
        bot_id="ABCDEFGHIJ",
        bot_alias_id="LIVEALIAS1",
        locale_id="ko_KR",
        session_id="s",
        text="hi",
        request_attributes={"x-chatbot-turn": "ab" * 16},
    )
    assert seen[0]["requestAttributes"] == {"x-chatbot-turn": "ab" * 16}
    assert gateway.session_client is gateway.client  # no factory: PutSession shares the client
