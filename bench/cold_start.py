"""Cold start of the two Lambda handlers: module import plus the first call, in fresh interpreters.

    .venv/bin/python bench/cold_start.py [--runs 7]

What it measures, per run in a new Python process (interpreter start-up itself is not counted, as
it is the same for any handler):

- ``boto3_import_ms``: a bare ``import boto3``, the yardstick.
- ``<handler>_import_ms``: ``import lambda_lex.handler`` / ``import lambda_chatgpt.handler``.
- ``<handler>_first_call_ms``: the first ``handler(event, context)``: settings read, clients and
  sessions built, and one full turn. For /chat that is a RecognizeText call; for the fallback a
  GetSecretValue (the key, as in AWS) and a chat completion. Those calls go to a stub HTTP server
  on 127.0.0.1 started by this script (through AWS_ENDPOINT_URL_LEX_RUNTIME_V2,
  AWS_ENDPOINT_URL_SECRETS_MANAGER and LLM_BASE_URL): no network, and a round trip of well
  under a millisecond, so the figure is almost all set-up work.
- ``<handler>_cold_ms``: import plus first call, what a cold start adds before the answer.
- ``<handler>_warm_call_ms``: the second call in the same process, for comparison.

Each figure is the median of ``--runs`` processes (after one discarded warm-up run that fills
the OS file cache). Targets: lambda_lex's cold start within 50 ms of the bare boto3 import, and
lambda_chatgpt's under 250 ms. Figures, not a test: a missed target is printed, never fatal.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LEX_TARGET_OVER_BOTO3_MS = 50.0
FALLBACK_TARGET_MS = 250.0

# Runs in the child. Times are taken inside it, from just before the import to just after the call.
CHILD = r"""
import json, sys, time
target = sys.argv[1]
t0 = time.perf_counter()
if target == "boto3":
    import boto3
    print(json.dumps({"import_ms": (time.perf_counter() - t0) * 1000}))
    raise SystemExit(0)
module = __import__(f"{target}.handler", fromlist=["handler"])
t1 = time.perf_counter()

class Context:
    function_name = "bench"; function_version = "$LATEST"; memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:bench"
    aws_request_id = "bench"
    def get_remaining_time_in_millis(self): return 25000

if target == "lambda_lex":
    event = {"httpMethod": "POST", "path": "/chat", "headers": {"content-type": "application/json"},
             "body": json.dumps({"text": "hello", "sessionId": "bench-1"}), "isBase64Encoded": False}
    ok = lambda r: r["statusCode"] == 200
else:
    event = {"messageVersion": "1.0", "invocationSource": "FulfillmentCodeHook", "inputMode": "Text",
             "sessionId": "bench-1", "inputTranscript": "What is Amazon Lex?",
             "bot": {"id": "BENCHBOT01", "name": "Bench", "localeId": "en_US", "version": "1",
                     "aliasId": "BENCHALIAS", "aliasName": "live"},
             "sessionState": {"sessionAttributes": {}, "intent": {"name": "FallbackIntent", "slots": {},
                              "state": "ReadyForFulfillment", "confirmationState": "None"}}}
    ok = lambda r: r["messages"][0]["content"] == "A stub answer."
first = module.handler(event, Context())
t2 = time.perf_counter()
second = module.handler(event, Context())
t3 = time.perf_counter()
if not (ok(first) and ok(second)):
    raise SystemExit(f"the handler did not answer as expected: {first}")
print(json.dumps({"import_ms": (t1 - t0) * 1000, "first_call_ms": (t2 - t1) * 1000,
                  "warm_call_ms": (t3 - t2) * 1000}))
"""


class _StubHandler(BaseHTTPRequestHandler):
    """Answers RecognizeText, GetSecretValue and chat completions with fixed, valid bodies."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # or a 40 ms delayed-ACK stall lands in every "warm call"

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body: dict[str, Any]
        if self.headers.get("X-Amz-Target") == "secretsmanager.GetSecretValue":
            body = {"ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:bench-AbCdEf",
                    "Name": "bench", "VersionId": "v1", "SecretString": "sk-bench-not-a-real-key",
                    "VersionStages": ["AWSCURRENT"], "CreatedDate": 1.7e9}  # fmt: skip
        elif self.path.endswith("/chat/completions"):
            body = {"id": "bench", "object": "chat.completion", "created": 0, "model": "bench",
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": "A stub answer."}}]}  # fmt: skip
        else:
            body = {"sessionId": "bench-1",
                    "messages": [{"contentType": "PlainText", "content": "Hello from the stub."}],
                    "sessionState": {"dialogAction": {"type": "Close"},
                                     "intent": {"name": "HelloWorld", "state": "Fulfilled"}}}  # fmt: skip
        payload = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


@contextmanager
def stub_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StubHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def child_environment(stub_url: str, tmp: Path) -> dict[str, str]:
    env = {
        name: value for name, value in os.environ.items() if not name.startswith(("AWS_", "LLM_", "OPENAI_"))
    }
    env.update(
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",  # a dummy: the stub never checks signatures
        AWS_REGION="us-east-1",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE=str(tmp / "none"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp / "none"),
        AWS_EC2_METADATA_DISABLED="true",
        AWS_ENDPOINT_URL_LEX_RUNTIME_V2=stub_url,
        AWS_ENDPOINT_URL_SECRETS_MANAGER=stub_url,
        BOT_ID="BENCHBOT01",
        BOT_ALIAS_ID="BENCHALIAS",
        BOT_LOCALES="ko_KR,en_US",
        DEFAULT_LOCALE="ko_KR",
        LLM_PROVIDER="openai",
        LLM_BASE_URL=f"{stub_url}/v1",
        LLM_SECRET_NAME="bench",
        LOG_LEVEL="INFO",
        PYTHONDONTWRITEBYTECODE="",
    )
    return env


def run_child(target: str, env: dict[str, str]) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, target], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"{target} run failed:\n{result.stderr or result.stdout}")
    figures: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def medians(target: str, env: dict[str, str], runs: int) -> dict[str, float]:
    run_child(target, env)  # warm-up: fills the OS file cache, discarded
    samples = [run_child(target, env) for _ in range(runs)]
    return {key: statistics.median(sample[key] for sample in samples) for key in samples[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="fresh processes per figure (median)")
    args = parser.parse_args()

    with stub_server() as url:
        env = child_environment(url, ROOT / ".cache")
        boto3_ms = medians("boto3", env, args.runs)["import_ms"]
        lex = medians("lambda_lex", env, args.runs)
        fallback = medians("lambda_chatgpt", env, args.runs)

    lex_cold = lex["import_ms"] + lex["first_call_ms"]
    fallback_cold = fallback["import_ms"] + fallback["first_call_ms"]
    print(f"python: {platform.python_version()} ({platform.machine()})")
    print(f"runs: {args.runs} (median)")
    print(f"boto3_import_ms: {boto3_ms:.1f}")
    for name, figures, cold in (("lambda_lex", lex, lex_cold), ("lambda_chatgpt", fallback, fallback_cold)):
        print(f"{name}_import_ms: {figures['import_ms']:.1f}")
        print(f"{name}_first_call_ms: {figures['first_call_ms']:.1f}")
        print(f"{name}_cold_ms: {cold:.1f}")
        print(f"{name}_warm_call_ms: {figures['warm_call_ms']:.1f}")
    over = lex_cold - boto3_ms
    print(f"lambda_lex_over_boto3_ms: {over:.1f}")
    lex_verdict = "holds" if over <= LEX_TARGET_OVER_BOTO3_MS else "missed"
    fallback_verdict = "holds" if fallback_cold < FALLBACK_TARGET_MS else "missed"
    print(f"target lambda_lex cold within {LEX_TARGET_OVER_BOTO3_MS:.0f} ms of bare boto3: {lex_verdict}")
    print(f"target lambda_chatgpt cold under {FALLBACK_TARGET_MS:.0f} ms: {fallback_verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
