"""Every malformed request of the table sent to the real dev server over a raw socket: each gets its
documented status and error code, the server prints no traceback, and a normal turn works right
after. Plus what a table row cannot show: a body that drips in slowly, and one that stops arriving.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from devserver.http_server import DevServer
from devserver.process import DevServerProcess
from tests.chat_contract import assert_success_body
from tests.robustness.bad_input.bad_input_cases import DEVSERVER_CASES, Case
from tests.robustness.support.devserver_support import assert_still_serving
from tests.robustness.support.raw_http import RawResponse, address, build_request, exchange

SITE = Path(__file__).resolve().parents[3] / "html"


def check_answer(response: RawResponse, case: Case) -> None:
    assert response.status == case.status, response.body[:300]
    if case.method == "HEAD":
        assert response.body == b""
        return
    assert (response.header("Content-Type") or "").startswith("application/json")
    body: dict[str, Any] = response.json()
    if case.code is None:
        assert_success_body(body)
        assert body["msg"]
        return
    assert body == {"error": {"code": case.code, "message": body["error"]["message"]}}
    message = body["error"]["message"]
    assert isinstance(message, str)
    assert message
    assert "Traceback" not in message
    assert 'File "' not in message


def request_bytes(case: Case) -> bytes:
    if case.raw_length is None:
        return build_request(case.method, "/chat", case.body, case.headers)
    headers = case.headers if case.raw_length == "" else (*case.headers, ("Content-Length", case.raw_length))
    return build_request(case.method, "/chat", case.body, headers, content_length=None)


@pytest.mark.parametrize("case", DEVSERVER_CASES)
def test_each_malformed_request_gets_its_documented_answer(devserver: DevServerProcess, case: Case) -> None:
    response = exchange(devserver.url, request_bytes(case), head_only=case.method == "HEAD")
    check_answer(response, case)
    assert "Traceback" not in devserver.stderr
    assert_still_serving(devserver.url)


def test_the_table_is_big_enough_and_names_are_unique() -> None:
    ids = [param.id for param in DEVSERVER_CASES]
    assert len(ids) >= 40
    assert len(set(ids)) == len(ids)


def test_a_slowly_dripping_body_is_read_whole_while_others_are_served(devserver: DevServerProcess) -> None:
    """A body arriving a few bytes at a time over ~2.5 s is answered normally, and holds up nobody."""
    body = json.dumps({"text": "Hello", "locale": "en_US", "sessionId": f"drip-{uuid.uuid4()}"}).encode()
    head = build_request(
        "POST", "/chat", b"", [("Content-Type", "application/json")], content_length=len(body)
    )
    pieces = [body[i : i + 4] for i in range(0, len(body), 4)]
    interval = 2.5 / len(pieces)
    result: dict[str, RawResponse] = {}
    dripping = threading.Thread(
        target=lambda: result.setdefault(
            "r", exchange(devserver.url, head, drip=pieces, drip_interval=interval)
        )
    )
    dripping.start()
    time.sleep(0.2)
    assert_still_serving(devserver.url)
    assert dripping.is_alive(), "the other turn should have been answered while the body was dripping"
    dripping.join(timeout=20)
    response = result["r"]
    assert response.status == 200
    assert response.json()["intent"] == "HelloWorld"


@pytest.fixture
def short_fused_server() -> Iterator[DevServer]:
    """An in-process dev server whose whole-body deadline is 0.5 s (the default is longer)."""

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": "{}"}

    server = DevServer(("127.0.0.1", 0), site_dir=SITE, chat_handler=handler, access_log=False)
    server.body_timeout_seconds = 0.5
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_a_body_that_stops_arriving_is_408_within_the_bound(short_fused_server: DevServer) -> None:
    """Slowloris: a body still incomplete when the deadline passes gets 408 and the connection closes,
    however slowly (and however long) the client keeps dripping."""
    url = f"http://127.0.0.1:{short_fused_server.port}"
    head = build_request("POST", "/chat", b"", [("Content-Type", "application/json")], content_length=100)
    response = exchange(url, head, drip=[b"{"] * 40, drip_interval=0.1, timeout=10)
    assert response.status == 408
    assert response.json()["error"]["code"] == "request_timeout"
    assert response.header("Connection") == "close"
    assert response.elapsed < 3.0  # bounded by the deadline, not by the client's 4 s of dripping
    ok = requests.post(url + "/chat", json={"text": "hi"}, timeout=5)
    assert ok.status_code == 200


def test_a_client_that_disconnects_mid_body_leaves_the_server_serving(devserver: DevServerProcess) -> None:
    head = build_request(
        "POST", "/chat", b'{"text": "Hel', [("Content-Type", "application/json")], content_length=500
    )
    for _ in range(5):
        with socket.create_connection(address(devserver.url), timeout=5) as conn:
            conn.sendall(head)
    assert_still_serving(devserver.url)
    assert "Traceback" not in devserver.stderr
