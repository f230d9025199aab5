"""The environment the two Lambda handlers see in local mode, applied before they are imported.

`lambda_lex` gets its bot settings and reaches the emulator through the standard service-specific
endpoint variable (`EMULATOR_ENDPOINT_VARIABLE`: botocore derives it from the service id "Lex Runtime
V2", so it is ``AWS_ENDPOINT_URL_LEX_RUNTIME_V2``); dummy credentials, a region and empty config files make
sure boto3 never looks for (or signs with) real AWS credentials. The code hook (`lambda_codehook`)
gets the bot file and the handlers folder beside it; its LLM fallback (`lambda_chatgpt`) gets the
OpenAI-compatible provider with the key straight from ``OPENAI_API_KEY`` (no Secrets Manager).
Streamed answers use the embedded answer store and a worker thread (``ANSWER_STORE=embedded``,
``ANSWER_WORKER_MODE=thread``), never a Lambda invoke; or, when the settings name one, a DynamoDB
table on a local endpoint (``ANSWER_TABLE_NAME`` and ``AWS_ENDPOINT_URL_DYNAMODB``), as in AWS.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, MutableMapping
from pathlib import Path

from .settings import BOT_ALIAS_ID, BOT_ID, DevServerSettings

# Obviously fake: the emulator never checks signatures, and real credentials must never be used.
DUMMY_ACCESS_KEY_ID = "devserver-local"
DUMMY_SECRET_ACCESS_KEY = "devserver-local"  # noqa: S105 - a placeholder, not a secret
LOCAL_REGION = "us-east-1"
EMULATOR_ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL_LEX_RUNTIME_V2"
# /chat's memory bound follows the LLM's (the shared protocol); lambda_chatgpt's default is 10.
DEFAULT_HISTORY_MESSAGES = "10"
# The deployed stack's default namespace (its stack name), so local figures carry the same names.
LOCAL_METRICS_NAMESPACE = "LexLlmChatbot"
ANSWER_STORE_EMBEDDED = "embedded"
ANSWER_WORKER_THREAD = "thread"


def emulator_endpoint(url: str) -> dict[str, str | None]:
    """Points lambda_lex's boto3 client at the emulator."""
    return {EMULATOR_ENDPOINT_VARIABLE: url}


def lambda_environment(
    settings: DevServerSettings, environ: Mapping[str, str], *, definition_file: Path | None = None
) -> dict[str, str | None]:
    """Variables to set (a string) or remove (None) so the handlers run locally and offline.

    `definition_file` is the bot as JSON for the code hook when the bot file is not JSON (a console
    export converted by the dev server); by default the bot file itself."""
    changes: dict[str, str | None] = {
        "BOT_ID": BOT_ID,
        "BOT_ALIAS_ID": BOT_ALIAS_ID,
        "BOT_LOCALES": ",".join(settings.bot.locales),
        "DEFAULT_LOCALE": settings.bot.default_locale,
        "AWS_ACCESS_KEY_ID": DUMMY_ACCESS_KEY_ID,
        "AWS_SECRET_ACCESS_KEY": DUMMY_SECRET_ACCESS_KEY,
        "AWS_SESSION_TOKEN": None,
        "AWS_SECURITY_TOKEN": None,
        "AWS_PROFILE": None,
        "AWS_DEFAULT_PROFILE": None,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_DEFAULT_REGION": LOCAL_REGION,
        "AWS_REGION": LOCAL_REGION,
        "AWS_ENDPOINT_URL": None,
        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": None,
        "CHAT_HISTORY_MESSAGES": (environ.get("LLM_HISTORY_MESSAGES") or "").strip()
        or DEFAULT_HISTORY_MESSAGES,
        "BOT_DEFINITION_FILE": str(definition_file or settings.bot.definition_path),
        "INTENT_HANDLERS_DIR": str(settings.bot.handlers_dir),
        "LLM_PROVIDER": "openai",
        "LLM_SECRET_NAME": None,
        "LLM_BASE_URL": settings.llm.base_url,
        "LOG_LEVEL": environ.get("LOG_LEVEL") or "WARNING",
        # The handlers' metrics go to the dev server's MetricsStore (devserver.metrics), not stdout.
        "METRICS_NAMESPACE": (environ.get("METRICS_NAMESPACE") or "").strip() or LOCAL_METRICS_NAMESPACE,
        # Streamed answers in-process: one embedded store shared by lambda_lex, the code hook and the
        # dev server, and the worker run in a thread instead of an asynchronous Lambda invoke.
        "ANSWER_STORE": ANSWER_STORE_EMBEDDED,
        "ANSWER_WORKER_MODE": ANSWER_WORKER_THREAD,
        "ANSWER_TABLE_NAME": None,
        "AWS_ENDPOINT_URL_DYNAMODB": None,
        "ANSWER_WORKER_FUNCTION": None,
    }
    if settings.answer_table is not None:  # the stack's store, on a local DynamoDB
        changes["ANSWER_STORE"] = None
        changes["ANSWER_TABLE_NAME"] = settings.answer_table.name
        changes["AWS_ENDPOINT_URL_DYNAMODB"] = settings.answer_table.endpoint
    return changes


def apply(changes: Mapping[str, str | None], environ: MutableMapping[str, str]) -> None:
    """Set and remove variables in ``environ`` (normally ``os.environ``)."""
    for name, value in changes.items():
        if value is None:
            environ.pop(name, None)
        else:
            environ[name] = value
