"""The AWS SDK for JavaScript v3 (`@aws-sdk/client-lex-runtime-v2`) against the emulator, under node.

tests/js/lex_client.mjs runs RecognizeText, RecognizeUtterance (text), GetSession, PutSession and
DeleteSession, an audio RecognizeUtterance and a few concurrent turns, and prints what it got. It
runs once per request handler: the client's default (NodeHttp2Handler, so HTTP/2 with prior
knowledge over http://, one session per request), NodeHttp2Handler multiplexing every call on one
HTTP/2 session, and NodeHttpHandler (HTTP/1.1). `make js-test-deps` installs the SDK.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest

from tests.integration.emulator import emulator_hooks
from tests.integration.emulator.emulator_support import ALIAS_ID, BOT_ID, Served

JS_DIR = Path(__file__).resolve().parents[2] / "js"
SCRIPT = JS_DIR / "lex_client.mjs"
TOGETHER = 3  # turns whose code hook only returns once all of them are inside it at the same time


def run_js_client(url: str, handler: str, session: str) -> dict[str, Any]:
    node = shutil.which("node")
    assert node, "node is not installed: run `make node` (or `make test`, which installs it)"
    assert (JS_DIR / "node_modules" / "@aws-sdk" / "client-lex-runtime-v2").is_dir(), (
        "tests/js/node_modules has no @aws-sdk/client-lex-runtime-v2: run `make js-test-deps`"
    )
    options = {
        "endpoint": url,
        "handler": handler,
        "botId": BOT_ID,
        "botAliasId": ALIAS_ID,
        "localeId": "en_US",
        "session": session,
        "greeting": "Hello",
        "answer": "I'm Ann",
        "together": TOGETHER,
    }
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("AWS_")
        and key not in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")
    }
    completed = subprocess.run(
        [node, str(SCRIPT), json.dumps(options)],
        cwd=JS_DIR,
        env={**env, "AWS_EC2_METADATA_DISABLED": "true"},
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)  # type: ignore[no-any-return]


@pytest.mark.parametrize(("handler", "protocol"), [("default", "h2"), ("http2", "h2"), ("http1", "http/1.1")])
def test_the_js_sdk_runs_every_operation(served: Served, handler: str, protocol: str) -> None:
    emulator_hooks.BARRIER.append(threading.Barrier(TOGETHER))

    results = run_js_client(served.url, handler, f"js-{handler}")

    assert results["handlerProtocol"] == protocol
    text = results["recognizeText"]
    assert text["ok"], text
    assert text["output"]["messages"][0]["content"] == "My name is Lex. What is your name?"
    assert text["output"]["sessionState"]["dialogAction"] == {"type": "ElicitSlot", "slotToElicit": "Name"}

    utterance = results["recognizeUtterance"]
    assert utterance["ok"], utterance
    assert utterance["inputMode"] == "Text"
    assert utterance["contentType"] == "text/plain; charset=utf-8"
    assert utterance["audioStream"] == ""
    assert utterance["inputTranscript"] == "I'm Ann"
    assert utterance["messages"] == [{"contentType": "PlainText", "content": "Is your name Ann?"}]
    state = utterance["sessionState"]
    assert state["dialogAction"] == {"type": "ConfirmIntent"}
    assert state["intent"]["slots"]["Name"]["value"]["interpretedValue"] == "Ann"
    assert state["sessionAttributes"] == {"client": "js"}
    assert utterance["requestAttributes"] == {"channel": "node"}
    assert utterance["interpretations"][0]["intent"]["name"] == "HelloWorld"

    session = results["getSession"]
    assert session["ok"], session
    assert session["output"]["sessionState"]["dialogAction"] == {"type": "ConfirmIntent"}
    assert session["output"]["messages"] == utterance["messages"]

    put = results["putSession"]
    assert put["ok"], put
    assert put["output"]["sessionState"]["dialogAction"] == {"type": "ElicitIntent"}
    assert put["output"]["messages"] == [{"contentType": "PlainText", "content": "What can I do for you?"}]
    assert results["getPutSession"]["output"]["sessionState"]["sessionAttributes"] == {"seededBy": "js"}

    assert results["deleteSession"]["ok"], results["deleteSession"]
    assert results["deleteSession"]["output"]["sessionId"] == f"js-{handler}"
    gone = results["getDeletedSession"]
    assert (gone["ok"], gone["name"], gone["status"]) == (False, "ResourceNotFoundException", 404)

    audio = results["audioUtterance"]
    assert (audio["ok"], audio["name"], audio["status"]) == (False, "ValidationException", 400)
    assert "not supported by the Lex emulator" in audio["message"]

    together = results["together"]
    assert [turn["ok"] for turn in together] == [True] * TOGETHER, together
    assert {turn["output"]["messages"][0]["content"] for turn in together} == {"all arrived"}
