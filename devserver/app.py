"""`python -m devserver`: start the emulator and the HTTP server, print what runs where, stop cleanly.

Order matters: the handlers' environment is set before either handler is imported (they read their
settings once, at import or first call), and the port is bound first so a busy port is reported at
once, before the slower imports.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import Any

from cdk_chatbot.page_config import PAGE_CONFIG_NAME, PageConfigError, page_config
from cdk_chatbot.page_texts import PAGE_TEXTS_NAME

from . import bot_check, lambda_env
from . import metrics as local_metrics
from .answer_stream import AnswerStreams
from .http_server import ChatHandler, DevServer
from .limits import LocalLimits
from .settings import (
    ANSWER_READS_LONG_POLL,
    BOT_ALIAS_ID,
    BOT_ALIAS_NAME,
    BOT_ID,
    CODE_HOOK,
    REPO_ROOT,
    ConfigError,
    DevServerSettings,
)

BANNER_PREFIX = "Chatbot running at "


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m devserver",
        description="Run the whole chatbot locally: the page, POST /chat and a Lex V2 emulator.",
        epilog=(
            "Environment: PORT (default 8080), BOT_DEFINITION (bot file, default bot/bot.json; its intent "
            "handlers are in handlers/ beside it), OPENAI_API_KEY, OPENAI_BASE_URL (any OpenAI-compatible "
            "server), LLM_MODEL, DEFAULT_LOCALE, LOG_LEVEL (handlers' logs, default WARNING)."
        ),
    )
    parser.add_argument(
        "--port", type=int, default=None, help="port on 127.0.0.1 (overrides PORT; 0: any free)"
    )
    parser.add_argument("--quiet", action="store_true", help="no access log line per request")
    parser.add_argument(
        "--metrics-every",
        type=int,
        default=local_metrics.DEFAULT_SUMMARY_EVERY,
        metavar="N",
        help="print a metrics summary line every N turns (0: only at shutdown); all figures: GET /metrics",
    )
    return parser.parse_args(argv)


def _relative(path: os.PathLike[str] | str) -> str:
    try:
        return os.path.relpath(path, REPO_ROOT) if str(path).startswith(str(REPO_ROOT)) else str(path)
    except ValueError:
        return str(path)


def _default_model() -> str | None:
    try:
        from lambda_chatgpt.settings import DEFAULT_MODELS

        return DEFAULT_MODELS.get("openai")
    except (ImportError, AttributeError):
        return None


def _streaming_line(settings: DevServerSettings) -> str:
    if settings.answer_reads == ANSWER_READS_LONG_POLL:
        line = '"stream": true on POST /chat; GET /chat/answers/{id} is a buffered long poll, as in AWS'
    else:
        line = '"stream": true on POST /chat; GET /chat/answers/{id} streams the answer (SSE)'
    table = settings.answer_table
    if table is not None:
        line += f"; answers in DynamoDB table {table.name} at {table.endpoint}"
    return line


def _banner(
    settings: DevServerSettings,
    url: str,
    emulator_url: str,
    handled: Sequence[str] = (),
    limits: LocalLimits | None = None,
    streaming: bool = False,
) -> str:
    locales = ", ".join(
        f"{locale} (default)" if locale == settings.bot.default_locale else locale
        for locale in settings.bot.locales
    )
    definition = _relative(settings.bot.definition_path)
    handlers = ", ".join(handled) if handled else "none (every hooked intent gets Lex's default)"
    return "\n".join(
        [
            f"{BANNER_PREFIX}{url}",
            f"  bot:      {settings.bot.name} (id {BOT_ID}, alias {BOT_ALIAS_ID}) from {definition}",
            f"  intent handlers: {handlers}",
            f"  locales:  {locales}",
            f"  page:     {_page_texts_line(settings)}",
            *bot_check.banner_lines(settings.bot.properties),
            f"  LLM:      {settings.llm.describe(_default_model())}",
            *([f"  limits:   {limits.describe()}"] if limits is not None else []),
            *([f"  streaming: {_streaming_line(settings)}"] if streaming else []),
            f"  Lex V2 runtime emulator: {emulator_url}",
            f"  metrics:  {url}metrics (JSON; ?format=text for a summary)",
            "Press Ctrl-C to stop.",
        ]
    )


def _page_texts_line(settings: DevServerSettings) -> str:
    """Where the page's title, welcome and example chips come from (cdk_chatbot/page_texts.py)."""
    page_file = settings.bot.definition_path.parent / PAGE_TEXTS_NAME
    if page_file.is_file():
        return f"title, welcome and examples from {_relative(page_file)} (the rest from the bot)"
    return f"title, welcome and examples from the bot ({PAGE_TEXTS_NAME} beside it chooses them)"


def _start_emulator(settings: DevServerSettings) -> Any:
    from lex_emulator import BotDeployment, LexEmulator

    emulator = LexEmulator()
    emulator.add_bot(
        BotDeployment(
            bot_id=BOT_ID,
            alias_id=BOT_ALIAS_ID,
            alias_name=BOT_ALIAS_NAME,
            bot_name=settings.bot.name,
            definition_path=settings.bot.definition_path,
            code_hook=CODE_HOOK,
        )
    )
    return emulator.serve(host=settings.host, port=0)


def _json_definition(settings: DevServerSettings) -> Path | None:
    """The bot as a JSON file for the code hook when the bot file is a console export (a temporary
    folder the caller removes), else None: the code hook reads the bot file itself."""
    if settings.bot.definition_path.suffix.lower() == ".json":
        return None
    folder = Path(tempfile.mkdtemp(prefix="devserver-bot-"))
    path = folder / "bot_definition.json"
    path.write_text(json.dumps(settings.bot.properties, ensure_ascii=False), encoding="utf-8")
    return path


def _check_handlers(settings: DevServerSettings) -> list[str]:
    """The intents with handlers beside the bot file; ValueError naming each mismatch with the bot."""
    from lambda_codehook.bot_model import BotModel, BotModelError
    from lambda_codehook.discovery import HandlerError, discover

    try:
        bot = BotModel.from_dict(settings.bot.properties, source=str(settings.bot.definition_path))
        return sorted(discover(settings.bot.handlers_dir, bot))
    except (BotModelError, HandlerError) as error:
        raise ValueError(str(error)) from None


def _load_chat_handler() -> ChatHandler:
    module = importlib.import_module("lambda_lex.handler")
    handler: ChatHandler = module.handler
    return handler


def _load_answers() -> tuple[ChatHandler | None, AnswerStreams | None]:
    """lambda_answers' handler and the answer streams on the process's embedded store (both None
    when the environment names no store: streamed answers are off, /chat answers as before)."""
    import answer_store

    store = answer_store.from_env(os.environ)
    if store is None:
        return None, None
    from lambda_answers.handler import handler

    from .answer_events import StoreAnswerStreams

    return handler, StoreAnswerStreams(store)


def _fail(message: str) -> int:
    print(f"devserver: error: {message}", file=sys.stderr, flush=True)
    return 2


def run(argv: Sequence[str] | None = None) -> int:
    """Start everything, serve until SIGINT/SIGTERM, shut down; the exit status."""
    args = _parse_args(argv)
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)

    try:
        settings = DevServerSettings.from_env(os.environ, port=args.port)
        limits = LocalLimits.from_env(os.environ)
        config_json = json.dumps(
            page_config(
                settings.site_dir,
                locale_ids=settings.bot.locales,
                default_locale=settings.bot.default_locale,
                bot_properties=settings.bot.properties,
                bot_name=settings.bot.name,
                bot_file=settings.bot.definition_path,
            ),
            ensure_ascii=False,
        ).encode("utf-8")
    except (ConfigError, PageConfigError) as error:
        return _fail(str(error))

    try:
        server = DevServer(
            (settings.host, settings.port),
            site_dir=settings.site_dir,
            access_log=not args.quiet,
            generated_files={f"/{PAGE_CONFIG_NAME}": config_json},
            rate_limiter=limits.rate_limiter(),
            read_rate_limiter=limits.read_rate_limiter(),
        )
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            other = settings.port + 1 if settings.port < 65535 else 8081
            return _fail(
                f"port {settings.port} on {settings.host} is already in use. Stop whatever runs there, "
                f"or pick another port: PORT={other} make serve"
            )
        return _fail(f"cannot listen on {settings.host}:{settings.port}: {error.strerror}")

    converted = _json_definition(settings)
    lambda_env.apply(
        lambda_env.lambda_environment(settings, os.environ, definition_file=converted), os.environ
    )
    lambda_env.apply(limits.lambda_environment(), os.environ)
    store = local_metrics.MetricsStore(
        summary_every=args.metrics_every, on_summary=lambda line: print(line, flush=True)
    )
    server.metrics = store
    emulator = None
    try:
        try:
            handled = _check_handlers(settings)
        except ValueError as error:  # BotModelError, HandlerError: the message says what to fix
            return _fail(str(error))
        try:
            emulator = _start_emulator(settings)
        except ImportError as error:
            return _fail(f"{error}. Install the runtime requirements first: make serve")
        except Exception as error:
            return _fail(f"the Lex V2 emulator could not start: {error}")
        lambda_env.apply(lambda_env.emulator_endpoint(emulator.url), os.environ)
        try:
            local_metrics.install(store)
            server.chat_handler = _load_chat_handler()
        except Exception as error:
            return _fail(f"cannot load lambda_lex.handler: {type(error).__name__}: {error}")
        try:
            server.answers_handler, server.answer_streams = _load_answers()
            server.answer_reads = settings.answer_reads
        except Exception as error:
            return _fail(f"cannot load the streamed answers' side: {type(error).__name__}: {error}")

        thread = threading.Thread(target=server.serve_forever, name="devserver-http", daemon=True)
        thread.start()
        url = f"http://{settings.host}:{server.port}/"
        streaming = server.answer_streams is not None
        print(_banner(settings, url, emulator.url, handled, limits, streaming), flush=True)
        while not stop.wait(timeout=1.0):
            pass
        print("Shutting down...", flush=True)
        server.shutdown()
        thread.join(timeout=5)
        print(store.summary_line(), flush=True)
        print("Stopped.", flush=True)
        return 0
    finally:
        server.server_close()
        if emulator is not None:
            emulator.shutdown()
        if converted is not None:
            shutil.rmtree(converted.parent, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; Ctrl-C at any moment ends without a traceback."""
    try:
        return run(argv)
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr, flush=True)
        return 130
