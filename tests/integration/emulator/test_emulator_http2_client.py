"""HTTP/2 with prior knowledge (h2c), driven frame by frame with the `h2` package as the client.

What the JS SDK relies on, checked where a client library would hide it: several streams at once
on one connection, the client's flow-control window respected, Lex's error shape, the body limit,
a reset stream leaving the others alone, and GOAWAY (after the streams in flight) on shutdown.
"""

from __future__ import annotations

import json
import threading

import h2.errors
import h2.settings

from lex_emulator.wire import MAX_BODY_BYTES
from tests.integration.emulator import emulator_hooks
from tests.integration.emulator.emulator_support import ALIAS_ID, BOT_ID, Served
from tests.robustness.support.raw_h2 import Client

SESSIONS = f"/bots/{BOT_ID}/botAliases/{ALIAS_ID}/botLocales/en_US/sessions"


def text_turn(client: Client, session: str, text: str) -> int:
    body = json.dumps({"text": text}).encode()
    return client.request("POST", f"{SESSIONS}/{session}/text", body, {"content-type": "application/json"})


def test_streams_on_one_connection_are_served_at_the_same_time(served: Served) -> None:
    emulator_hooks.BARRIER.append(threading.Barrier(3))
    client = Client(served.url)

    streams = [text_turn(client, f"together-{n}", "together now") for n in range(3)]
    answers = client.wait(*streams)

    assert [answer.status for answer in answers] == [200, 200, 200]
    assert {answer.json()["messages"][0]["content"] for answer in answers} == {"all arrived"}
    assert [answer.json()["sessionId"] for answer in answers] == ["together-0", "together-1", "together-2"]
    client.close()


def test_a_preface_that_arrives_in_pieces_is_still_http2(served: Served) -> None:
    client = Client(served.url, preface_pause=0.2)

    (answer,) = client.wait(text_turn(client, "slow-preface", "Hello"))

    assert answer.status == 200
    assert answer.json()["sessionId"] == "slow-preface"
    client.close()


def test_every_operation_answers_over_http2_as_over_http1(served: Served) -> None:
    client = Client(served.url)

    (turn,) = client.wait(text_turn(client, "h2-ops", "Hello"))
    (session,) = client.wait(client.request("GET", f"{SESSIONS}/h2-ops"))
    (utterance,) = client.wait(
        client.request("POST", f"{SESSIONS}/h2-ops/utterance", b"I'm Ann", {"content-type": "text/plain"})
    )
    (deleted,) = client.wait(client.request("DELETE", f"{SESSIONS}/h2-ops"))
    (gone,) = client.wait(client.request("GET", f"{SESSIONS}/h2-ops"))

    assert turn.status == 200
    assert turn.headers["content-type"] == "application/json"
    assert turn.headers["x-amzn-requestid"]
    assert turn.json()["sessionState"] == session.json()["sessionState"]
    assert utterance.status == 200
    assert utterance.headers["x-amz-lex-input-mode"] == "Text"
    assert utterance.body == b""
    assert deleted.json()["sessionId"] == "h2-ops"
    assert gone.status == 404
    assert gone.headers["x-amzn-errortype"] == "ResourceNotFoundException"
    client.close()


def test_the_clients_flow_control_window_is_respected(served: Served) -> None:
    window = 16
    client = Client(served.url, {h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: window}, ack_data=False)
    stream = text_turn(client, "small-window", "Hello")

    client.pump(lambda: len(client.answers[stream].body) >= window)
    stalled = bytes(client.answers[stream].body)
    assert len(stalled) == window  # the server stopped at the window, awaiting WINDOW_UPDATE
    assert not client.answers[stream].ended
    client.ack_data = True
    client.conn.acknowledge_received_data(window, stream)
    client.flush()
    (answer,) = client.wait(stream)

    assert max(answer.frames) <= window
    assert answer.json()["messages"][0]["content"] == "My name is Lex. What is your name?"
    client.close()


def test_errors_come_in_lex_shape(served: Served) -> None:
    client = Client(served.url)

    unknown, wrong_method, conversation = client.wait(
        client.request("GET", "/bots"),
        client.request("PUT", f"{SESSIONS}/h2-errors"),
        client.request("POST", f"{SESSIONS}/h2-errors/conversation", b"{}"),
    )
    (bad,) = client.wait(
        client.request(
            "POST", f"{SESSIONS}/h2-errors/text", b'{"text": ""}', {"content-type": "application/json"}
        )
    )

    assert (unknown.status, unknown.headers["x-amzn-errortype"]) == (404, "UnknownOperationException")
    assert (wrong_method.status, wrong_method.headers["allow"]) == (405, "DELETE, GET, POST")
    assert (conversation.status, conversation.headers["x-amzn-errortype"]) == (501, "NotImplementedException")
    assert (bad.status, bad.headers["x-amzn-errortype"]) == (400, "ValidationException")
    for answer in (unknown, wrong_method, conversation, bad):
        assert answer.headers["content-type"] == "application/json"
        assert answer.json()["message"]
    client.close()


def test_a_body_over_the_limit_is_a_validation_exception(served: Served) -> None:
    client = Client(served.url)
    body = json.dumps({"text": "a" * (MAX_BODY_BYTES + 10)}).encode()

    (answer,) = client.wait(client.request("POST", f"{SESSIONS}/big/text", body))
    (after,) = client.wait(text_turn(client, "big", "Hello"))

    assert (answer.status, answer.headers["x-amzn-errortype"]) == (400, "ValidationException")
    assert str(MAX_BODY_BYTES) in answer.json()["message"]
    assert after.status == 200
    client.close()


def test_a_reset_stream_leaves_the_others_alone(served: Served) -> None:
    client = Client(served.url)
    held = text_turn(client, "held", "hold on")
    assert emulator_hooks.ENTERED.wait(10)

    client.conn.reset_stream(held, h2.errors.ErrorCodes.CANCEL)
    client.flush()
    (other,) = client.wait(text_turn(client, "other", "Hello"))
    emulator_hooks.GATE.set()
    (after,) = client.wait(text_turn(client, "after", "Hello"))

    assert other.status == 200
    assert after.status == 200
    assert not client.answers[held].ended
    client.close()


def test_shutdown_finishes_streams_in_flight_then_sends_goaway(served: Served) -> None:
    client = Client(served.url)
    (first,) = client.wait(text_turn(client, "before-shutdown", "Hello"))
    held = text_turn(client, "in-flight", "hold on")
    assert emulator_hooks.ENTERED.wait(10)

    stopper = threading.Thread(target=served.running.shutdown)
    stopper.start()
    threading.Timer(0.3, emulator_hooks.GATE.set).start()
    client.pump(lambda: client.terminated is not None)
    stopper.join(10)

    assert first.status == 200
    assert client.answers[held].ended
    assert client.answers[held].json()["messages"][0]["content"] == "held answer"
    assert client.terminated is not None
    assert client.terminated.error_code == h2.errors.ErrorCodes.NO_ERROR
    assert client.terminated.last_stream_id == held
    client.close()


def test_a_protocol_error_closes_the_connection_with_goaway(served: Served) -> None:
    client = Client(served.url)
    client.wait(text_turn(client, "fine", "Hello"))

    client.sock.sendall(b"\x00\x00\x03\x00\x00\x00\x00\x00\x00abc")  # DATA on stream 0: RFC 9113 forbids it
    client.pump(lambda: client.terminated is not None)

    assert client.terminated is not None
    assert client.terminated.error_code != h2.errors.ErrorCodes.NO_ERROR
    client.close()
