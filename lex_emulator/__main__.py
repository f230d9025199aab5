"""Command line: serve one bot definition as a Lex V2 runtime until Ctrl-C (SIGINT) or SIGTERM.

    python -m lex_emulator --bot bot/bot.json --bot-id LOCALBOT01 --alias-id LOCALALIAS \
        --code-hook lambda_chatgpt.handler:handler --port 8081

It prints ``Lex V2 runtime emulator: http://HOST:PORT`` once it listens, and serves RecognizeText,
RecognizeUtterance (text input), GetSession, PutSession and DeleteSession there over HTTP/1.1 and
HTTP/2 (h2c). Point boto3 at it with ``endpoint_url=`` or ``AWS_ENDPOINT_URL_LEX_RUNTIME_V2``
(botocore names the variable after the service id "Lex Runtime V2"; ``AWS_ENDPOINT_URL_LEXV2_RUNTIME``
is not read), the AWS CLI with ``--endpoint-url``, the JavaScript SDK with ``endpoint``.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from .code_hook import DEFAULT_HOOK_TIMEOUT_SECONDS
from .emulator import BotDeployment, LexEmulator
from .errors import BotDefinitionError, DeploymentError


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m lex_emulator",
        description="Serve a bot definition as an Amazon Lex V2 runtime on the real wire protocol.",
    )
    parser.add_argument(
        "--bot", required=True, type=Path, help="bot definition (AWS::Lex::Bot properties, JSON)"
    )
    parser.add_argument("--bot-id", required=True, help="10 letters or digits, e.g. LOCALBOT01")
    parser.add_argument("--alias-id", required=True, help="e.g. LOCALALIAS")
    parser.add_argument("--alias-name", default="live")
    parser.add_argument("--bot-name", default=None, help="default: the definition file's stem")
    parser.add_argument("--bot-version", default="DRAFT", help="the version code-hook events report")
    parser.add_argument(
        "--code-hook", default=None, help="the code hook (dialog and fulfillment), package.module:function"
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument(
        "--hook-timeout",
        type=float,
        default=DEFAULT_HOOK_TIMEOUT_SECONDS,
        help="seconds a code hook may take",
    )
    parser.add_argument("--idle-ttl", type=float, default=None, help="override IdleSessionTTLInSeconds")
    parser.add_argument("--access-log", action="store_true", help="log every request")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        emulator = LexEmulator(hook_timeout_seconds=args.hook_timeout, idle_session_ttl_seconds=args.idle_ttl)
        emulator.add_bot(
            BotDeployment(
                bot_id=args.bot_id,
                alias_id=args.alias_id,
                alias_name=args.alias_name,
                bot_name=args.bot_name or args.bot.stem,
                definition_path=args.bot,
                code_hook=args.code_hook,
                bot_version=args.bot_version,
            )
        )
        running = emulator.serve(host=args.host, port=args.port, access_log=args.access_log)
    except (BotDefinitionError, DeploymentError, ValueError, OSError) as error:
        print(f"lex_emulator: error: {error}", file=sys.stderr, flush=True)
        return 2
    print(f"Lex V2 runtime emulator: {running.url}", flush=True)
    print(f"  bot {args.bot_id} alias {args.alias_id} from {args.bot}; Ctrl-C stops it", flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        running.shutdown()
    print("Lex V2 runtime emulator stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
