"""The NLU bench scripts: a `name: value` line per figure, and a one-line error for bad input."""

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
small_bots_main: Callable[[Sequence[str]], int] = runpy.run_path(str(REPO / "bench" / "nlu_small_bots.py"))[
    "main"
]

FIGURES = ("in_scope_accuracy", "oos_recall", "tuning_oos_recall", "load_seconds", "classify_ms_p50")


def test_prints_each_figure_once_per_recogniser(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(CLINC150_SUBSET), "--eval", "val", "--tune-per-intent", "10"]) == 0
    lines = capsys.readouterr().out.splitlines()
    kinds = [kind for kind in ("embeddings", "tfidf") if any(line.startswith(f"{kind}.") for line in lines)]
    assert "tfidf" in kinds
    values = {line.split(": ")[0]: line.split(": ")[1] for line in lines}
    assert values["tuning_split"] == "200 held-out train + 50 oos_train"
    for kind in kinds:
        for name in FIGURES:
            (line,) = [line for line in lines if line.startswith(f"{kind}.{name}: ")]
            assert re.fullmatch(rf"{kind}.{name}: \d+(\.\d+)?", line)
        assert float(values[f"{kind}.in_scope_accuracy"]) > 0.85
        assert (
            float(values[f"{kind}.tuning_oos_recall"]) >= 0.6
        )  # the default target recall picks the threshold


def test_the_small_bot_bench_reports_both_splits_of_a_data_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bot = {
        "samples": ["where is my parcel", "track my package", "has my order shipped"],
        "paraphrases": ["where's my delivery right now"],
    }
    other = {
        "samples": ["reset my password", "I forgot my password", "I can't log in"],
        "paraphrases": ["help, no login"],
    }
    data = {
        "locale": "en_US",
        "bots": {
            "one": {"split": "dev", "intents": {"Track": bot, "Reset": other}},
            "two": {"split": "test", "intents": {"Track": bot, "Reset": other}},
        },
        "off_topic": {"dev": ["tell me a joke"], "test": ["what is the capital of peru"]},
    }
    path = tmp_path / "bots.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert small_bots_main([str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    for split, label in (("dev", "tuning"), ("test", "held-out")):
        (line,) = [line for line in lines if line.startswith(f"tfidf.{split}.en_US.paraphrases_recognised: ")]
        assert re.fullmatch(
            rf"tfidf.{split}.en_US.paraphrases_recognised: \d\.\d{{3}} \(\d/2, {label}\)", line
        )
        ranked = f"tfidf.{split}.en_US.paraphrases_ranked_first: "
        (first,) = [line for line in lines if line.startswith(ranked)]
        assert int(first.split("(")[1].split("/")[0]) >= int(line.split("(")[1].split("/")[0])


def test_the_small_bot_bench_names_a_malformed_bot(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "bots.json"
    path.write_text(
        json.dumps({"locale": "en_US", "bots": {"b": {"split": "later"}}, "off_topic": {}}), "utf-8"
    )
    assert small_bots_main([str(path)]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line == f"error: {path}: bots.b needs split (dev or test) and intents"


def run_failing(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Traceback" not in captured.err
    (line,) = captured.err.splitlines()
    return line


def test_a_missing_split_is_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    line = run_failing(capsys, str(CLINC150_SUBSET), "--eval", "test")
    assert line == f"error: {CLINC150_SUBSET} has no 'test' split (it has: oos_train, oos_val, train, val)"


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
            json.dumps({"train": [["only text"]], "val": [], "oos_train": [], "oos_val": []}),
            "train[0] is not a [text, label] pair",
        ),
        (json.dumps({"train": [], "val": [], "oos_train": [], "oos_val": []}), "the train split is empty"),
    ],
)
def test_a_malformed_file_is_a_one_line_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "data.json"
    path.write_text(content, encoding="utf-8")
    assert message in run_failing(capsys, str(path))
