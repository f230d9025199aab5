"""Hypothesis against the emulator's HTTP endpoint: arbitrary path segments, bodies, session states and
headers on the five Lex V2 routes, sent with http.client over HTTP/1.1 and, the same requests, over
HTTP/2 (h2c) with the h2 package (no botocore validation in the way).

Only the statuses of Lex's error table (docs/lex-v2-contract.md) may come back, each with its
`x-amzn-ErrorType` name and a JSON `{"message"}` body; never a 500. Off the Lex routes (any path,
any method, malformed HTTP) the emulator's own documented answers are allowed too: 404
UnknownOperationException, 405 MethodNotAllowedException, 501 NotImplementedException.
"""

from __future__ import annotations

import http.client
import json
import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from lex_emulator import LexEmulator, RunningEmulator
from lex_emulator.wire import packed_header
from tests.robustness.support.local_stack import ALIAS_ID, BOT_ID, served_emulator
from tests.robustness.support.raw_h2 import Answer, Client
from tests.robustness.support.raw_http import address, read_response

# docs/lex-v2-contract.md, "Errors"
LEX_ERRORS = {
    400: "ValidationException",
    403: "AccessDeniedException",
    404: "ResourceNotFoundException",
    409: "ConflictException",
    424: "DependencyFailedException",
    429: "ThrottlingException",
    500: "InternalServerException",
    502: "BadGatewayException",
}
# The emulator's answers off the Lex routes (lex_emulator/http_server.py's docstring).
OFF_ROUTE_ERRORS = {
    404: "UnknownOperationException",
    405: "MethodNotAllowedException",
    501: "NotImplementedException",
}
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def emulator() -> Iterator[tuple[LexEmulator, RunningEmulator]]:
    with served_emulator() as served:
        yield served


json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=10,
)


def mostly(
    usual: st.SearchStrategy[Any], odd: st.SearchStrategy[Any], odds: int = 6
) -> st.SearchStrategy[Any]:
    """`usual` about (odds - 1) times in `odds`, else `odd` (hypothesis's one_of draws branches evenly)."""
    return st.integers(1, odds).flatmap(lambda n: odd if n == 1 else usual)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A value of the right shape, or now and then any JSON value at all."""
    return mostly(strategy, json_values)


def segment(*valid: str, near: tuple[str, ...] = ()) -> st.SearchStrategy[str]:
    """Mostly a value the emulator serves; sometimes a near miss or anything at all (percent-encoded)."""
    odd = st.text(max_size=40).map(lambda text: quote(text, safe=""))
    specials = st.sampled_from(["", "..", ".", "%", "%2F", "%00", "a%20b", "x" * 101, "TSTALIASID", *near])
    return mostly(st.sampled_from(valid), st.one_of(odd, specials), odds=12)


slot_values = st.fixed_dictionaries(
    {
        "value": maybe(
            st.fixed_dictionaries(
                {"interpretedValue": st.text(max_size=12)},
                optional={
                    "originalValue": st.text(max_size=12),
                    "resolvedValues": st.lists(st.text(max_size=8), max_size=2),
                },
            )
        )
    },
    optional={"shape": st.sampled_from(["Scalar", "List", "Composite"])},
)
intents = st.fixed_dictionaries(
    {"name": maybe(st.sampled_from(["HelloWorld", "FallbackIntent", "OrderPizza", ""]))},
    optional={
        "state": maybe(
            st.sampled_from(["Failed", "Fulfilled", "InProgress", "ReadyForFulfillment", "Waiting"])
        ),
        "confirmationState": maybe(st.sampled_from(["Confirmed", "Denied", "None"])),
        "slots": maybe(
            st.dictionaries(st.sampled_from(["Name", "Other", ""]), st.none() | slot_values, max_size=2)
        ),
    },
)
dialog_actions = st.fixed_dictionaries(
    {
        "type": maybe(
            st.sampled_from(["Close", "ConfirmIntent", "Delegate", "ElicitIntent", "ElicitSlot", "None"])
        )
    },
    optional={"slotToElicit": maybe(st.sampled_from(["Name", "Other", ""]))},
)
contexts = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["ctx", "a_b", "bad name", ""]),
        "timeToLive": maybe(
            st.fixed_dictionaries(
                {"timeToLiveInSeconds": st.integers(0, 90000), "turnsToLive": st.integers(0, 25)}
            )
        ),
        "contextAttributes": maybe(st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3)),
    }
)
session_states = st.fixed_dictionaries(
    {},
    optional={
        "dialogAction": maybe(dialog_actions),
        "intent": maybe(intents),
        "sessionAttributes": maybe(st.dictionaries(st.text(max_size=8), st.text(max_size=20), max_size=3)),
        "activeContexts": maybe(st.lists(contexts, max_size=2)),
    },
)
texts = st.one_of(
    st.sampled_from(
        ["Hello", "안녕하세요", "Tom", "yes", "네", "what is the weather", "😀" * 1024, "a" * 1025]
    ),
    st.text(max_size=60),
)
recognize_bodies = st.fixed_dictionaries(
    {"text": maybe(texts)},
    optional={
        "sessionState": maybe(session_states),
        "requestAttributes": maybe(st.dictionaries(st.text(max_size=10), st.text(max_size=10), max_size=3)),
    },
)
put_bodies = st.fixed_dictionaries(
    {"sessionState": maybe(session_states)},
    optional={
        "messages": maybe(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "contentType": st.sampled_from(["PlainText", "SSML", "Markdown"]),
                        "content": st.text(max_size=20),
                    }
                ),
                max_size=3,
            )
        ),
        "requestAttributes": maybe(st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2)),
    },
)
odd_bodies = st.one_of(
    json_values.map(lambda doc: json.dumps(doc).encode()), st.binary(max_size=300), st.just(b"")
)
bodies = mostly(st.one_of(recognize_bodies, put_bodies).map(lambda doc: json.dumps(doc).encode()), odd_bodies)


def body_for(tail: str, method: str) -> st.SearchStrategy[bytes]:
    """Mostly the body the route's operation takes (RecognizeText, PutSession), sometimes anything."""
    if method != "POST":
        return bodies
    if tail == "/utterance":  # RecognizeUtterance: the user's text itself is the body
        return mostly(texts.map(lambda text: text.encode("utf-8")), odd_bodies, odds=5)
    usual = recognize_bodies if tail == "/text" else put_bodies
    return mostly(usual.map(lambda doc: json.dumps(doc).encode()), odd_bodies, odds=5)


header_names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=20).map(
    lambda n: "x-" + n
)
header_values = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40)
headers = st.dictionaries(header_names, header_values, max_size=4).flatmap(
    lambda extra: st.fixed_dictionaries(
        {},
        optional={
            "Content-Type": st.sampled_from(
                [
                    "application/json",
                    "text/plain",
                    "text/plain; charset=utf-8",
                    "",
                    "application/x-amz-json-1.1",
                    "audio/l16; rate=16000; channels=1",
                ]
            ),
            "ResponseContentType": st.sampled_from(["text/plain; charset=utf-8", "audio/mpeg", ""]),
            "Response-Content-Type": st.sampled_from(["text/plain; charset=utf-8", "audio/mpeg", "", "x"]),
            "x-amz-lex-request-attributes": mostly(
                st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2).map(packed_header),
                header_values,
            ),
            "Authorization": st.just(
                "AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-1/lex/aws4_request"
            ),
            "x-amz-lex-session-state": st.one_of(header_values, session_states.map(packed_header)),
        },
    ).map(lambda fixed: {**extra, **fixed})
)
routes = st.tuples(
    segment(BOT_ID, near=("LOCALBOT02", "ABCDEFGHIJ")),
    segment(ALIAS_ID, near=("OTHERALIAS",)),
    segment("ko_KR", "en_US", near=("ja_JP", "en-US")),
    segment("fuzz-session-1", "fuzz-session-2", "fuzz:session.3", "fuzz_session..4"),
    mostly(
        st.just(("/text", "POST")),
        st.sampled_from([("", "GET"), ("", "POST"), ("", "DELETE"), ("/", "GET"), ("/utterance", "POST")]),
        odds=2,
    ),
)


def send(url: str, method: str, path: str, body: bytes, extra: dict[str, str]) -> http.client.HTTPResponse:
    host, port = address(url)
    conn = http.client.HTTPConnection(host, port, timeout=15)
    conn.request(method, path, body=body if method in ("POST", "PUT", "PATCH") else None, headers=extra)
    return conn.getresponse()


def send_h2(url: str, method: str, path: str, body: bytes, extra: dict[str, str]) -> Answer:
    client = Client(url)
    try:
        headers = {name.lower(): value for name, value in extra.items()}
        (answer,) = client.wait(client.request(method, path, body if method == "POST" else b"", headers))
    finally:
        client.close()
    return answer


def check_lex_answer(status: int, error_type: str | None, raw: bytes, allowed: dict[int, str]) -> None:
    event(f"status {status}")
    assert status != 500, raw
    if status == 200:
        if raw:
            assert isinstance(json.loads(raw), dict)
        return
    assert status in allowed, (status, raw)
    assert error_type == allowed[status], (status, error_type, raw)
    message = json.loads(raw)["message"]
    assert isinstance(message, str)
    assert message


requests_on_routes = routes.flatmap(lambda route: st.tuples(st.just(route), body_for(*route[4])))


@FUZZ
@given(request=requests_on_routes, extra=headers)
def test_lex_routes_answer_only_lex_errors_never_500(
    emulator: tuple[LexEmulator, RunningEmulator], request: Any, extra: dict[str, str]
) -> None:
    (bot, alias, locale, session, (tail, method)), body = request
    path = f"/bots/{bot}/botAliases/{alias}/botLocales/{locale}/sessions/{session}{tail}"
    response = send(emulator[1].url, method, path, body, extra)
    raw = response.read()
    check_lex_answer(response.status, response.getheader("x-amzn-ErrorType"), raw, LEX_ERRORS)
    if response.status == 200 and method == "POST" and tail == "":
        assert response.getheader("x-amz-lex-session-state")  # PutSession answers in headers


@FUZZ
@given(request=requests_on_routes, extra=headers)
def test_lex_routes_over_http2_answer_only_lex_errors_never_500(
    emulator: tuple[LexEmulator, RunningEmulator], request: Any, extra: dict[str, str]
) -> None:
    (bot, alias, locale, session, (tail, method)), body = request
    path = f"/bots/{bot}/botAliases/{alias}/botLocales/{locale}/sessions/{session}{tail}"
    answer = send_h2(emulator[1].url, method, path, body, extra)
    assert answer.ended, answer
    check_lex_answer(answer.status, answer.headers.get("x-amzn-errortype"), bytes(answer.body), LEX_ERRORS)
    if answer.status == 200 and tail == "/utterance":
        assert answer.headers["x-amz-lex-input-mode"] == "Text"


@FUZZ
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]),
    path=st.one_of(
        st.lists(st.text(max_size=12).map(lambda t: quote(t, safe="")), max_size=12).map(
            lambda p: "/" + "/".join(p)
        ),
        st.builds(
            lambda tail: f"/bots/{BOT_ID}/botAliases/{ALIAS_ID}/botLocales/en_US/sessions/s1/{tail}",
            st.sampled_from(["utterance", "conversation", "text/extra", "TEXT", "text?x=1"]),
        ),
    ),
    body=bodies,
)
def test_any_path_and_method_gets_a_documented_error(
    emulator: tuple[LexEmulator, RunningEmulator], method: str, path: str, body: bytes
) -> None:
    response = send(emulator[1].url, method, path, body, {})
    raw = response.read()
    if method == "HEAD":
        event(f"HEAD {response.status}")
        assert response.status != 500
        return
    error_type = response.getheader("x-amzn-ErrorType")
    allowed = {**LEX_ERRORS, **OFF_ROUTE_ERRORS} if error_type in OFF_ROUTE_ERRORS.values() else LEX_ERRORS
    check_lex_answer(response.status, error_type, raw, allowed)


LEX_ROUTE = f"/bots/{BOT_ID}/botAliases/{ALIAS_ID}/botLocales/en_US/sessions/s1/text"
NOT_HTTP = (400, "ValidationException")
MALFORMED_HTTP = [
    pytest.param(b"GARBAGE\r\n\r\n", *NOT_HTTP, id="not-a-request-line"),
    pytest.param(b"POST /bots HTTP/9.9\r\n\r\n", *NOT_HTTP, id="unknown-http-version"),
    pytest.param(
        b"POST /x HTTP/1.1\r\n" + b"X-Big: " + b"a" * 70_000 + b"\r\n\r\n",
        *NOT_HTTP,
        id="header-line-too-long",
    ),
    pytest.param(
        b"POST /x HTTP/1.1\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(150)) + b"\r\n",
        *NOT_HTTP,
        id="too-many-headers",
    ),
    pytest.param(b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", *NOT_HTTP, id="request-line-too-long"),
    pytest.param(
        f"POST {LEX_ROUTE} HTTP/1.1\r\nContent-Length: -3\r\n\r\n".encode(),
        *NOT_HTTP,
        id="negative-content-length",
    ),
    pytest.param(
        f"POST {LEX_ROUTE} HTTP/1.1\r\nContent-Length: lots\r\n\r\n".encode(),
        *NOT_HTTP,
        id="content-length-not-a-number",
    ),
    # Starts like the HTTP/2 preface but is not it: served as HTTP/1.x, whose version 2.0 it refuses.
    pytest.param(b"PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n", *NOT_HTTP, id="not-quite-the-http2-preface"),
    pytest.param(b"PRI * HTTP/1.1\r\nHost: x\r\n\r\n", *NOT_HTTP, id="pri-method"),
    # http.server reads a header line without a colon as a parse defect and goes on with the request.
    pytest.param(
        b"POST /x HTTP/1.1\r\nNo-Colon-Header\r\n\r\n",
        404,
        "UnknownOperationException",
        id="header-without-colon",
    ),
]


@pytest.mark.parametrize(("request_bytes", "status", "error_type"), MALFORMED_HTTP)
def test_malformed_http_gets_a_lex_style_error(
    emulator: tuple[LexEmulator, RunningEmulator], request_bytes: bytes, status: int, error_type: str
) -> None:
    with socket.create_connection(address(emulator[1].url), timeout=10) as conn:
        conn.sendall(request_bytes)
        response = read_response(conn)
    assert response.status == status, response.raw_head
    assert response.header("x-amzn-ErrorType") == error_type
    assert json.loads(response.body)["message"]
