"""`python -m devserver` as a process: what it prints, the no-LLM mode, busy ports and clean shutdown."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid

import pytest
import requests

from devserver.process import DevServerError, DevServerProcess
from tests.bots import devserver_env
from tests.fakes.openai_server import Behaviour, FakeOpenAIServer
from tests.integration.devserver.devserver_llm import DUMMY_KEY, FAKE_MODEL, llm_env


def test_banner_names_url_bot_locales_and_llm_but_never_the_key(
    server: DevServerProcess, fake_llm: FakeOpenAIServer
) -> None:
    out = server.stdout
    assert re.match(r"Chatbot running at http://127\.0\.0\.1:\d+/\n", out)
    assert "HelloWorldBot" in out
    assert "ko_KR (default), en_US" in out
    llm_line = next(line for line in out.splitlines() if line.strip().startswith("LLM:"))
    assert fake_llm.base_url in llm_line
    assert FAKE_MODEL in llm_line
    assert "OPENAI_API_KEY" in llm_line
    assert DUMMY_KEY not in out
    assert DUMMY_KEY not in server.stderr


def test_without_any_llm_settings_fallback_says_how_to_configure_one() -> None:
    with DevServerProcess(env=devserver_env()) as bare:
        assert "none configured" in bare.stdout
        greeting = requests.post(bare.url + "/chat", json={"text": "Hello", "locale": "en_US"}, timeout=30)
        assert greeting.status_code == 200
        assert greeting.json()["intent"] == "HelloWorld"
        fallback = requests.post(
            bare.url + "/chat", json={"text": "Explain quantum physics", "locale": "en_US"}, timeout=30
        )
        assert fallback.status_code == 200
        body = fallback.json()
        assert body["source"] == "notice"
        assert "OPENAI_API_KEY" in body["msg"]


def test_default_locale_comes_from_the_environment(fake_llm: FakeOpenAIServer) -> None:
    with DevServerProcess(env=devserver_env({"DEFAULT_LOCALE": "en_US"})) as english:
        assert "ko_KR, en_US (default)" in english.stdout
        body = requests.post(english.url + "/chat", json={"text": "Hello"}, timeout=30).json()
        assert body["locale"] == "en_US"
        # The page's own default follows: its config.json is served with the bot's locales.
        config = requests.get(english.url + "/config.json", timeout=5)
        assert config.headers["Content-Type"].startswith("application/json")
        assert config.json()["defaultLocale"] == "en_US"
        assert config.json()["locales"] == ["ko_KR", "en_US"]
        assert config.json()["requestTimeoutSeconds"] == 35


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PORT": "eighty"}, "PORT must be a number"),
        ({"DEFAULT_LOCALE": "fr_FR"}, "DEFAULT_LOCALE='fr_FR' is not one of the bot's locales"),
        ({"OPENAI_BASE_URL": "localhost:11434"}, "OPENAI_BASE_URL must start with http://"),
    ],
)
def test_bad_configuration_is_a_clear_error(env: dict[str, str], message: str) -> None:
    process = DevServerProcess(env=devserver_env(env), port=None)
    with pytest.raises(DevServerError) as raised:
        process.start()
    assert message in str(raised.value)
    assert "Traceback" not in str(raised.value)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_and_sigterm_stop_cleanly(signum: int) -> None:
    with DevServerProcess(env=devserver_env()) as process:
        assert requests.get(process.url + "/", timeout=5).status_code == 200
        assert process.stop(signum) == 0
    assert "Stopped." in process.stdout
    assert "Traceback" not in process.stderr
    with pytest.raises(requests.ConnectionError):
        requests.get(process.url + "/", timeout=2)


def test_ctrl_c_during_a_slow_llm_turn_still_stops_cleanly(fake_llm: FakeOpenAIServer) -> None:
    fake_llm.reset()
    fake_llm.default = Behaviour.slow(3.0)
    turn: threading.Thread | None = None
    try:
        # The `with` stops (or kills) the server even when an assertion below fails.
        with DevServerProcess(env=llm_env(fake_llm)) as process:
            session = requests.Session()

            def slow_turn() -> None:
                with contextlib.suppress(requests.RequestException):
                    session.post(
                        process.url + "/chat", json={"text": "Tell me a story", "locale": "en_US"}, timeout=10
                    )

            turn = threading.Thread(target=slow_turn)
            turn.start()
            deadline = time.monotonic() + 10
            while not fake_llm.requests and time.monotonic() < deadline:
                time.sleep(0.02)
            assert fake_llm.requests
            assert process.stop(signal.SIGINT) == 0
            assert "Traceback" not in process.stderr
    finally:
        if turn is not None:
            turn.join(timeout=15)
        fake_llm.reset()


def test_a_server_whose_test_fails_is_not_left_running() -> None:
    class FailedCheckError(Exception):
        pass

    started: list[DevServerProcess] = []

    def failing_test() -> None:
        with DevServerProcess(env=devserver_env()) as process:
            started.append(process)
            raise FailedCheckError

    with pytest.raises(FailedCheckError):
        failing_test()
    assert process_is_gone(started[0].pid)


def test_a_server_that_does_not_start_in_time_is_killed() -> None:
    process = DevServerProcess(env=devserver_env(), start_timeout=0.01)
    with pytest.raises(DevServerError):
        process.start()
    assert process_is_gone(process.pid)


def process_is_gone(pid: int) -> bool:
    """Whether `pid` has ended (and was reaped): signal 0 finds no such process."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_busy_port_is_a_clear_message() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = DevServerProcess(env=devserver_env(), port=port)
        with pytest.raises(DevServerError) as raised:
            process.start()
    text = str(raised.value)
    assert f"port {port} on 127.0.0.1 is already in use" in text
    assert "PORT=" in text
    assert "Traceback" not in text


def test_port_variable_is_used() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]
    with DevServerProcess(env=devserver_env({"PORT": str(free)}), port=None) as process:
        assert process.url == f"http://127.0.0.1:{free}"


def test_access_log_line_per_request() -> None:
    with DevServerProcess(env=devserver_env(), args=()) as loud:
        requests.get(loud.url + "/chat.css", timeout=5)
        secret_text = "안녕하세요 제 비밀번호는 hunter2"
        requests.post(
            loud.url + "/chat", json={"text": secret_text, "sessionId": f"log-{uuid.uuid4()}"}, timeout=30
        )
        loud.stop()
    assert re.search(r"^GET /chat\.css 200 [\d.]+ ms$", loud.stderr, re.M)
    assert re.search(r"^POST /chat 200 [\d.]+ ms$", loud.stderr, re.M)
    assert "hunter2" not in loud.stderr + loud.stdout  # user text is not logged


def test_help_exits_zero() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "devserver", "--help"], capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 0
    assert "OPENAI_BASE_URL" in done.stdout
