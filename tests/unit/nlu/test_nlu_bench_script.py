"""bench/nlu_clinc150.py: one `name: value` line per figure, and a one-line error for bad input."""

from __future__ import annotations

import json
import re
import runpy
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from .conftest import CLINC150_SUBSET, REPO

# bench/ is a folder of scripts, not a package: load the script's namespace without running it.
main: Callable[[Sequence[str]], int] = runpy.run_path(str(REPO / "bench" / "nlu_clinc150.py"))["main"]

FIGURES = ("in_scope_accuracy", "oos_recall", "load_seconds", "classify_ms_p50")


def test_prints_each_figure_once(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(CLINC150_SUBSET), "--eval", "val"]) == 0
    lines = capsys.readouterr().out.splitlines()
    for name in FIGURES:
        (line,) = [line for line in lines if line.startswith(f"{name}: ")]
        assert re.fullmatch(rf"{name}: \d+(\.\d+)?", line)
    values = {line.split(": ")[0]: line.split(": ")[1] for line in lines}
    assert float(values["in_scope_accuracy"]) > 0.9
    assert float(values["oos_recall"]) >= 0.6  # the default target recall picks the threshold


def run_failing(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Traceback" not in captured.err
    (line,) = captured.err.splitlines()
    return line


def test_a_missing_split_is_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    line = run_failing(capsys, str(CLINC150_SUBSET), "--eval", "test")
    assert line == f"error: {CLINC150_SUBSET} has no 'test' split (it has: oos_val, train, val)"


def test_a_missing_file_is_a_one_line_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    line = run_failing(capsys, str(tmp_path / "nope.json"))
    assert line.startswith("error: cannot read ")
    assert line.endswith("No such file or directory")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "is not JSON"),
        ("[1, 2]", "must hold a JSON object"),
        (
            json.dumps({"train": [["only text"]], "val": [], "oos_val": []}),
            "train[0] is not a [text, label] pair",
        ),
        (json.dumps({"train": [], "val": [], "oos_val": []}), "the train split is empty"),
    ],
)
def test_a_malformed_file_is_a_one_line_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "data.json"
    path.write_text(content, encoding="utf-8")
    assert message in run_failing(capsys, str(path))
