"""The logging every Lambda sets up at import: a level that cannot fail, botocore kept quiet."""

from __future__ import annotations

import logging

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def safe_log_level(raw: str | None) -> str:
    """LOG_LEVEL as the logger can take it at import time, INFO when unset or invalid."""
    level = (raw or "").strip().upper()
    return level if level in LOG_LEVELS else "INFO"


def quiet_botocore() -> None:
    """Keep botocore at INFO or quieter, whatever level the runtime gives the root logger: its DEBUG
    output prints request and response bodies and signed headers (the user's text, stored answers,
    the API key in GetSecretValue)."""
    botocore_logger = logging.getLogger("botocore")
    botocore_logger.setLevel(max(botocore_logger.level, logging.INFO))
