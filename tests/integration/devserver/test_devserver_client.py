"""`python -m devserver.client` against the running dev server, as a user or a script would run it."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import uuid

import pytest

from devserver.client import chat_endpoint, local_url, unreachable_message
from devserver.process import DevServerProcess
from tests.fakes.openai_server import FakeOpenAIServer


def run_client(
    *args: str, stdin: str | None = None, port: str | None = None
) -> subprocess.CompletedProcess[str]:
    """The client in a child process; PORT is set to `port`, or unset."""
    env = {k: v for k, v in os.environ.items() if k != "PORT"}
    if port is not None:
        env["PORT"] = port
    return subprocess.run(
        [sys.executable, "-m", "devserver.client", *args],
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_one_shot_prints_the_answer_and_the_session(server: DevServerProcess) -> None:
    done = run_client("--url", server.url, "-m", "안녕하세요")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "제 이름은 Lex입니다. 당신의 이름은 무엇 입니까?\n"
    session = re.search(r"session ([0-9a-f-]{36})", done.stderr)
    assert session, done.stderr
    assert "intent HelloWorld" in done.stderr

    follow = run_client("--url", server.url, "--session", session.group(1), "민수")
    assert follow.returncode == 0, follow.stderr
    assert follow.stdout == "당신의 이름은 민수입니까?\n"


def test_json_output_and_locale(server: DevServerProcess) -> None:
    session = f"cli-{uuid.uuid4()}"
    done = run_client(
        "--url", server.url + "/chat", "--json", "--locale", "en_US", "--session", session, "Hello"
    )
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    assert body["sessionId"] == session
    assert body["locale"] == "en_US"
    assert body["msg"] == "My name is Lex. What is your name?"


def test_fallback_answer_is_printed(server: DevServerProcess, llm: FakeOpenAIServer) -> None:
    llm.reply = "An answer from the model."
    done = run_client("--url", server.url, "-m", "What is Amazon Lex?", "--locale", "en_US")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "An answer from the model.\n"
    assert "source llm" in done.stderr


def test_piped_lines_keep_one_session(server: DevServerProcess) -> None:
    done = run_client("--url", server.url, "--locale", "en_US", stdin="Hello\nTom\nyes\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "My name is Lex. What is your name?",
        "Is your name Tom?",
        "Nice to meet you, Tom.",
        "Ending the HelloWorld intent.",
    ]


def test_error_response_shows_code_and_exits_1(server: DevServerProcess) -> None:
    done = run_client("--url", server.url, "-m", "x" * 1100)
    assert done.returncode == 1
    assert "HTTP 400 text_too_long" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_unreachable_server_is_a_clear_message_and_exit_3() -> None:
    port = free_port()
    done = run_client("--url", f"http://127.0.0.1:{port}", "-m", "hello")
    assert done.returncode == 3
    assert f"cannot connect to http://127.0.0.1:{port}/chat" in done.stderr
    assert "make serve" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_client_talks_to_the_port_in_PORT_like_the_server(server: DevServerProcess) -> None:
    port = server.url.rsplit(":", 1)[1]
    done = run_client("-m", "Hello", "--locale", "en_US", port=port)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "My name is Lex. What is your name?\n"


def test_a_server_on_another_port_gets_told_how_to_point_the_client_at_it() -> None:
    port = free_port()
    done = run_client("-m", "hello", port=str(port))
    assert done.returncode == 3
    assert f"http://127.0.0.1:{port}/chat" in done.stderr
    assert "PORT=" in done.stderr
    assert "--url" in done.stderr
    assert "Traceback" not in done.stderr


def test_without_PORT_the_client_tries_8080() -> None:
    assert local_url({}) == "http://127.0.0.1:8080"
    assert local_url({"PORT": " 8081 "}) == "http://127.0.0.1:8081"


def test_a_bad_PORT_is_a_usage_error_naming_it() -> None:
    done = run_client("-m", "hello", port="eighty")
    assert done.returncode == 2
    assert "PORT must be a port number" in done.stderr
    assert "'eighty'" in done.stderr


def test_the_unreachable_message_fits_where_the_server_was_expected() -> None:
    local = unreachable_message("http://127.0.0.1:8080/chat")
    assert "http://127.0.0.1:8080/chat" in local
    assert "PORT=" in local
    assert "--url" in local
    remote = unreachable_message("https://d111.cloudfront.net/chat")
    assert "https://d111.cloudfront.net/chat" in remote
    assert "--url" in remote
    assert "make serve" not in remote


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--url", "ftp://example.com", "-m", "hi"), "not an http(s) URL"),
        (("-m", "hi", "there"), "either with -m or as arguments"),
        (("-m", "   "), "the message is empty"),
    ],
)
def test_usage_errors_exit_2(args: tuple[str, ...], message: str) -> None:
    done = run_client(*args)
    assert done.returncode == 2
    assert message in done.stderr


@pytest.mark.parametrize(
    ("given", "endpoint"),
    [
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080/chat"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080/chat"),
        ("https://d111.cloudfront.net/chat.html", "https://d111.cloudfront.net/chat"),
        (
            "https://abc.execute-api.eu-west-1.amazonaws.com/prod/",
            "https://abc.execute-api.eu-west-1.amazonaws.com/prod/chat",
        ),
        (
            "https://abc.execute-api.eu-west-1.amazonaws.com/prod/chat",
            "https://abc.execute-api.eu-west-1.amazonaws.com/prod/chat",
        ),
    ],
)
def test_url_forms_all_reach_chat(given: str, endpoint: str) -> None:
    assert chat_endpoint(given) == endpoint
