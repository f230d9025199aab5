"""The dev server's plain parts: the API Gateway event, static path resolution, settings, Lambda env."""

from __future__ import annotations

import ast
import base64
import http.client
import os
import statistics
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import requests

from devserver import lambda_env, static_files
from devserver.apigw import LambdaContext, proxy_event
from devserver.http_server import GATEWAY_5XX_CODE, GATEWAY_5XX_MESSAGE, DevServer
from devserver.settings import ConfigError, DevServerSettings, llm_choice, parse_port, read_bot_info
from tests.bots import devserver_env

REPO = Path(__file__).resolve().parents[3]


def test_proxy_event_has_the_api_gateway_rest_shape() -> None:
    event = proxy_event(
        method="POST",
        path="/chat",
        query={"a": ["1", "2"]},
        headers=[("Content-Type", "application/json"), ("X-Multi", "1"), ("X-Multi", "2")],
        body='{"text": "안녕"}'.encode(),
        source_ip="127.0.0.1",
        host="127.0.0.1:8080",
    )
    assert event["httpMethod"] == "POST"
    assert event["path"] == event["resource"] == "/chat"
    assert event["headers"] == {"Content-Type": "application/json", "X-Multi": "2"}
    assert event["multiValueHeaders"]["X-Multi"] == ["1", "2"]
    assert event["queryStringParameters"] == {"a": "2"}
    assert event["multiValueQueryStringParameters"] == {"a": ["1", "2"]}
    assert event["body"] == '{"text": "안녕"}'
    assert event["isBase64Encoded"] is False
    context = event["requestContext"]
    assert context["identity"]["sourceIp"] == "127.0.0.1"
    assert context["stage"] == "local"
    assert context["path"] == "/local/chat"
    assert len(context["requestId"]) == 36
    assert isinstance(context["requestTimeEpoch"], int)


def test_proxy_event_body_none_and_binary() -> None:
    empty = proxy_event(
        method="POST", path="/chat", query={}, headers=[], body=b"", source_ip="::1", host="h"
    )
    assert empty["body"] is None
    assert empty["queryStringParameters"] is None
    binary = proxy_event(
        method="POST", path="/chat", query={}, headers=[], body=b"\xff\xfe", source_ip="::1", host="h"
    )
    assert binary["isBase64Encoded"] is True
    assert base64.b64decode(binary["body"]) == b"\xff\xfe"


def test_lambda_context_counts_down() -> None:
    context = LambdaContext(timeout_seconds=10)
    first = context.get_remaining_time_in_millis()
    assert 9000 < first <= 10000
    assert context.aws_request_id != LambdaContext().aws_request_id
    assert LambdaContext(timeout_seconds=0).get_remaining_time_in_millis() == 0


def test_static_resolution_stays_inside_the_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "chat.html").write_text("page")
    (site / "sub").mkdir()
    (site / "sub" / "a.js").write_text("js")
    (site / ".hidden").write_text("no")
    (tmp_path / "secret.txt").write_text("no")
    (site / "link.txt").symlink_to(tmp_path / "secret.txt")
    root = site.resolve()
    assert static_files.resolve(root, "/") == root / "chat.html"
    assert static_files.resolve(root, "/sub/a.js") == root / "sub" / "a.js"
    assert static_files.resolve(root, "/sub/%61.js") == root / "sub" / "a.js"
    for bad in [
        "/../secret.txt",
        "/sub/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/.hidden",
        "/link.txt",
        "/sub",
        "/sub/",
        "relative",
        "/%ff",
        "/a\x00b",
        "/sub\\a.js",
    ]:
        assert static_files.resolve(root, bad) is None, bad


def test_content_types() -> None:
    assert static_files.content_type(Path("a.JS")) == "text/javascript; charset=utf-8"
    assert static_files.content_type(Path("a.unknown")) == "application/octet-stream"


def test_settings_from_the_environment() -> None:
    settings = DevServerSettings.from_env(devserver_env({"PORT": "9000", "OPENAI_API_KEY": "k"}))
    assert settings.port == 9000
    assert settings.bot.locales == ("ko_KR", "en_US")
    assert settings.bot.default_locale == "ko_KR"
    assert settings.llm.configured
    assert settings.llm.base_url is None
    assert "api.openai.com" in settings.llm.describe()
    assert DevServerSettings.from_env(devserver_env(), port=0).port == 0


@pytest.mark.parametrize("raw", ["x", "-1", "70000", "8080.5"])
def test_bad_ports(raw: str) -> None:
    with pytest.raises(ConfigError):
        parse_port(raw)


def test_port_default() -> None:
    assert parse_port(None) == parse_port("  ") == 8080


def test_llm_choice_variants() -> None:
    nothing = llm_choice({})
    assert not nothing.configured
    assert "none configured" in nothing.describe()
    ollama = llm_choice({"OPENAI_BASE_URL": "http://localhost:11434/v1", "LLM_MODEL": "llama3.2"})
    assert ollama.configured
    assert not ollama.has_key
    assert "http://localhost:11434/v1" in ollama.describe()
    assert "llama3.2" in ollama.describe()
    secret = llm_choice({"OPENAI_API_KEY": "sk-very-secret"})
    assert "sk-very-secret" not in secret.describe()


def test_bot_definition_errors_are_clear(tmp_path: Path) -> None:
    missing = tmp_path / "none.json"
    with pytest.raises(ConfigError, match="cannot read the bot definition"):
        read_bot_info(missing, None)
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    with pytest.raises(ConfigError, match="not valid JSON"):
        read_bot_info(broken, None)
    empty = tmp_path / "empty.json"
    empty.write_text('{"BotLocales": []}')
    with pytest.raises(ConfigError, match="no BotLocales"):
        read_bot_info(empty, None)


def test_lambda_environment_points_boto3_away_from_aws() -> None:
    settings = DevServerSettings.from_env(devserver_env({"OPENAI_BASE_URL": "http://127.0.0.1:1/v1"}), port=0)
    environ = {
        "AWS_PROFILE": "prod",
        "AWS_SESSION_TOKEN": "t",
        "LLM_SECRET_NAME": "real-secret",
        "AWS_ENDPOINT_URL": "http://elsewhere",
        "ANSWER_TABLE_NAME": "a-real-table",
        "ANSWER_WORKER_FUNCTION": "a-real-function",
    }
    lambda_env.apply(lambda_env.lambda_environment(settings, environ), environ)
    assert environ["BOT_LOCALES"] == "ko_KR,en_US"
    assert environ["DEFAULT_LOCALE"] == "ko_KR"
    assert environ["BOT_ID"] == "LOCALBOT01"
    assert environ["BOT_ALIAS_ID"] == "LOCALALIAS"
    assert environ["LLM_BASE_URL"] == "http://127.0.0.1:1/v1"
    assert environ["LLM_PROVIDER"] == "openai"
    assert environ["AWS_CONFIG_FILE"] == environ["AWS_SHARED_CREDENTIALS_FILE"] == os.devnull
    assert environ["AWS_ACCESS_KEY_ID"]
    assert environ["AWS_DEFAULT_REGION"]
    # Streamed answers stay in-process: the embedded store and a worker thread, never AWS.
    assert environ["ANSWER_STORE"] == "embedded"
    assert environ["ANSWER_WORKER_MODE"] == "thread"
    for gone in (
        "AWS_PROFILE",
        "AWS_SESSION_TOKEN",
        "LLM_SECRET_NAME",
        "AWS_ENDPOINT_URL",
        "ANSWER_TABLE_NAME",
        "ANSWER_WORKER_FUNCTION",
    ):
        assert gone not in environ


def test_emulator_endpoint_variable_is_the_one_botocore_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    import boto3

    for name, value in {
        **lambda_env.emulator_endpoint("http://127.0.0.1:9"),
        "AWS_ACCESS_KEY_ID": "x",
        "AWS_SECRET_ACCESS_KEY": "x",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        assert value is not None
        monkeypatch.setenv(name, value)
    client = boto3.session.Session().client("lexv2-runtime")
    assert client.meta.endpoint_url == "http://127.0.0.1:9"


def _serve(handler: Any) -> tuple[DevServer, str]:
    server = DevServer(("127.0.0.1", 0), site_dir=REPO / "html", chat_handler=handler, access_log=False)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.port}"


def _raise(event: dict[str, Any], context: Any) -> Any:
    raise RuntimeError("boom")


@pytest.mark.parametrize(
    "handler",
    [
        _raise,
        lambda event, context: None,
        lambda event, context: {"statusCode": "200", "body": "{}"},
        lambda event, context: {"statusCode": 200, "body": {"not": "a string"}},
        lambda event, context: {"statusCode": 200, "body": "!!", "isBase64Encoded": True},
    ],
)
def test_handler_crash_or_bad_result_is_the_gateways_502(
    handler: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    server, url = _serve(handler)
    try:
        response = requests.post(url + "/chat", json={"text": "hi"}, timeout=5)
    finally:
        server.shutdown()
        server.server_close()
    assert response.status_code == 502
    assert response.json() == {"error": {"code": GATEWAY_5XX_CODE, "message": GATEWAY_5XX_MESSAGE}}
    assert "boom" not in response.text


def test_gateway_5xx_matches_the_stack() -> None:
    tree = ast.parse((REPO / "cdk_chatbot" / "chat_api.py").read_text(encoding="utf-8"))
    errors = next(
        ast.literal_eval(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.AnnAssign | ast.Assign)
        and node.value is not None
        and "GATEWAY_ERRORS"
        in ast.unparse(node.target if isinstance(node, ast.AnnAssign) else node.targets[0])
    )
    assert errors["DEFAULT_5XX"][1:] == (GATEWAY_5XX_CODE, GATEWAY_5XX_MESSAGE)


def test_handler_result_headers_and_base64_pass_through() -> None:
    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return {
            "statusCode": 429,
            "headers": {
                "Content-Type": "application/json",
                "Retry-After": "2",
                "X-Frame-Options": "SAMEORIGIN",
            },
            "multiValueHeaders": {"X-Two": ["a", "b"]},
            "body": base64.b64encode(b'{"error": {"code": "throttled", "message": "slow down"}}').decode(),
            "isBase64Encoded": True,
        }

    server, url = _serve(handler)
    try:
        response = requests.post(url + "/chat", json={"text": "hi"}, timeout=5)
    finally:
        server.shutdown()
        server.server_close()
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "2"
    assert response.headers["X-Two"] == "a, b"
    assert response.headers["X-Frame-Options"] == "DENY"  # the CloudFront policy wins, as in AWS
    assert response.json()["error"]["code"] == "throttled"
    assert response.headers["x-amzn-RequestId"]


def test_a_keep_alive_request_is_not_held_up_by_delayed_acks() -> None:
    """A response goes out in two writes (head, body): without TCP_NODELAY the second waits for the
    client's delayed ACK, ~40 ms per request, which used to dominate local latency."""
    server, _ = _serve(lambda event, context: {"statusCode": 200, "body": "{}"})
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        timings = []
        for _ in range(21):
            started = time.perf_counter()
            connection.request("GET", "/chat.css")
            connection.getresponse().read()
            timings.append(time.perf_counter() - started)
        connection.close()
    finally:
        server.shutdown()
        server.server_close()
    assert statistics.median(timings) < 0.02, timings
