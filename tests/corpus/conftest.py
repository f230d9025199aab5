"""Fixtures for the bot corpus: dummy AWS credentials and no shared config, so nothing can reach AWS."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.aws_offline import offline_aws_env


@pytest.fixture(autouse=True)
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    offline_aws_env(monkeypatch, tmp_path)
