"""`container_setup`, what every Lambda sets up once per container: `Lazy` builds once however many
threads ask first (local mode calls the handlers from many) and keeps nothing when the build fails;
LOG_LEVEL never fails the logger; botocore stays quiet."""

from __future__ import annotations

import logging
import threading
import time

import pytest

from container_setup import Lazy, quiet_botocore, safe_log_level


def test_many_threads_asking_at_once_share_one_build() -> None:
    builds: list[int] = []

    def build() -> object:
        builds.append(1)
        time.sleep(0.05)  # slow enough that every thread arrives while the first one builds
        return object()

    lazy: Lazy[object] = Lazy(build)
    start = threading.Barrier(8)
    got: list[object] = []

    def ask() -> None:
        start.wait()
        got.append(lazy.get())

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1
    assert len(got) == 8
    assert all(value is got[0] for value in got)


def test_a_failed_build_is_not_kept_and_reset_builds_again() -> None:
    attempts: list[int] = []

    def build() -> int:
        attempts.append(1)
        if len(attempts) == 1:
            raise ValueError("invalid configuration: LLM_MAX_TOKENS")
        return len(attempts)

    lazy: Lazy[int] = Lazy(build)
    with pytest.raises(ValueError, match="LLM_MAX_TOKENS"):
        lazy.get()
    assert lazy.get() == 2
    assert lazy.get() == 2
    lazy.reset()
    assert lazy.get() == 3


def test_safe_log_level_never_fails() -> None:
    assert safe_log_level(None) == "INFO"
    assert safe_log_level("nonsense") == "INFO"
    assert safe_log_level(" warning ") == "WARNING"


def test_quiet_botocore_keeps_botocore_at_info_or_quieter(monkeypatch: pytest.MonkeyPatch) -> None:
    botocore_logger = logging.getLogger("botocore")
    monkeypatch.setattr(botocore_logger, "level", logging.DEBUG)
    quiet_botocore()
    assert botocore_logger.level == logging.INFO
    botocore_logger.setLevel(logging.ERROR)
    quiet_botocore()
    assert botocore_logger.level == logging.ERROR
