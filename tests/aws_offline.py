"""An offline AWS environment for tests: dummy credentials and a region, every other `AWS_*` variable
removed, and no config file or instance metadata to consult, so no client can reach (or sign for) AWS."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def offline_aws_env(monkeypatch: pytest.MonkeyPatch, tmp: Path) -> None:
    """Dummy credentials and region; no profile, config file, endpoint or instance metadata."""
    values = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        "AWS_CONFIG_FILE": str(tmp / "no-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp / "no-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    for name in [n for n in os.environ if n.startswith("AWS_")]:
        monkeypatch.delenv(name)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
