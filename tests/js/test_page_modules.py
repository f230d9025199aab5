"""The page's own modules (html/*.js) under node's test runner: tests/js/page/*.test.mjs.

Each file runs as one test here so a failure names the module; node prints which case failed and
why. The DOM the renderer needs comes from jsdom, installed by `make js-test-deps` (pinned by
tests/js/package-lock.json).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

JS_DIR = Path(__file__).resolve().parent
TESTS = sorted((JS_DIR / "page").glob("*.test.mjs"))


def test_there_are_page_module_tests() -> None:
    assert [path.name for path in TESTS] != []


@pytest.mark.parametrize("path", TESTS, ids=[path.name for path in TESTS])
def test_page_module(path: Path) -> None:
    node = shutil.which("node")
    assert node, "node is not installed: run `make node` (or `make test`, which installs it)"
    assert (JS_DIR / "node_modules" / "jsdom").is_dir(), (
        "tests/js/node_modules has no jsdom: run `make js-test-deps`"
    )
    completed = subprocess.run(
        [node, "--test", "--test-reporter=spec", str(path)],
        cwd=JS_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, (
        f"{path.name} failed:\n{completed.stdout[-6000:]}\n{completed.stderr[-2000:]}"
    )
