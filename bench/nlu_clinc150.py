"""CLINC150 benchmark of the Lex emulator's intent recogniser (prints figures; not a test).

    PYTHONPATH=. .venv/bin/python bench/nlu_clinc150.py [DATA.json] [--eval val]

DATA.json (default: ../shared/clinc150/clinc150_train_val.json beside the repository) has
CLINC150's data_full.json layout: lists of [text, label] pairs under `train`, `val`, `test`,
`oos_train`, `oos_val`, `oos_test` (only the ones used must be present). The bot is built
from `train` alone with the emulator's own `build_recognizer`. One confidence threshold is picked
on `val`/`oos_val` only: the one with the best `val` in-scope accuracy among those whose
out-of-scope recall on `oos_val` reaches --target-oos-recall; as accuracy only falls when the
threshold rises, that is the lowest such threshold (placed halfway to the next out-of-scope score).
Then `SPLIT` and `oos_SPLIT` are classified: a query is out of scope when its best score is below
the threshold. Prints one `name: value` line per figure.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

try:
    from lex_emulator.nlu import IntentRecognizer, build_recognizer
except ImportError as missing:  # run from elsewhere than the repository root, or without the venv
    sys.exit(f"error: cannot import the recogniser ({missing}); run from the repository root: make bench")

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "clinc150" / "clinc150_train_val.json"
OOS = "oos"
Pairs = list[tuple[str, str]]


class BenchError(Exception):
    """Bad input: reported as one line, no traceback."""


def load_split(data: dict[str, object], key: str, path: Path) -> Pairs:
    if key not in data:
        raise BenchError(f"{path} has no {key!r} split (it has: {', '.join(sorted(data)) or 'nothing'})")
    rows = data[key]
    if not isinstance(rows, list):
        raise BenchError(f"{path}: {key!r} must be a list of [text, label] pairs")
    pairs: Pairs = []
    for number, row in enumerate(rows):
        if not (isinstance(row, list) and len(row) == 2 and all(isinstance(item, str) for item in row)):
            raise BenchError(f"{path}: {key}[{number}] is not a [text, label] pair of strings")
        pairs.append((row[0], row[1]))
    return pairs


def load_data(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise BenchError(f"cannot read {path}: {error.strerror or error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BenchError(f"{path} is not JSON: {error}") from None
    if not isinstance(data, dict):
        raise BenchError(f"{path} must hold a JSON object with train/val/test/oos_* keys")
    return data


def top_predictions(
    recognizer: IntentRecognizer, texts: Sequence[str]
) -> tuple[list[tuple[str, float]], list[float]]:
    """Best (intent, score) per text, and the time of each call in milliseconds."""
    best: list[tuple[str, float]] = []
    millis: list[float] = []
    for text in texts:
        started = time.perf_counter()
        ranked = recognizer.recognize(text)
        millis.append((time.perf_counter() - started) * 1000.0)
        best.append((ranked[0].intent, ranked[0].score) if ranked else (OOS, 0.0))
    return best, millis


def pick_threshold(oos_scores: Sequence[float], target_recall: float) -> float:
    """Lowest threshold with recall >= target on these out-of-scope scores (midpoint to the next score)."""
    ordered = sorted(oos_scores)
    needed = math.ceil(target_recall * len(ordered))
    if needed == 0:
        return 0.0
    if needed >= len(ordered):
        return min(1.0, ordered[-1] + 1e-6)
    return (ordered[needed - 1] + ordered[needed]) / 2.0


def in_scope_accuracy(best: Sequence[tuple[str, float]], gold: Sequence[str], threshold: float) -> float:
    hits = sum(
        1 for (intent, score), label in zip(best, gold, strict=True) if score >= threshold and intent == label
    )
    return hits / len(gold) if gold else float("nan")


def oos_recall(best: Sequence[tuple[str, float]], threshold: float) -> float:
    return sum(1 for _, score in best if score < threshold) / len(best) if best else float("nan")


def run(path: Path, split: str, target_recall: float) -> None:
    data = load_data(path)
    train = load_split(data, "train", path)
    tune_oos = load_split(data, "oos_val", path)
    eval_in, eval_oos = load_split(data, split, path), load_split(data, f"oos_{split}", path)
    if not train:
        raise BenchError(f"{path}: the train split is empty")

    intents: dict[str, list[str]] = defaultdict(list)
    for text, label in train:
        if label != OOS:
            intents[label].append(text)

    started = time.perf_counter()
    recognizer = build_recognizer(intents, locale="en_US")
    load_seconds = time.perf_counter() - started

    tune_best, _ = top_predictions(recognizer, [text for text, _ in tune_oos])
    threshold = pick_threshold([score for _, score in tune_best], target_recall)

    in_best, in_millis = top_predictions(recognizer, [text for text, _ in eval_in])
    oos_best, oos_millis = top_predictions(recognizer, [text for text, _ in eval_oos])
    millis = sorted(in_millis + oos_millis)
    if not millis:
        raise BenchError(f"{path}: the {split} and oos_{split} splits are both empty")
    gold = [label for _, label in eval_in]
    bot_threshold = 0.40

    print(f"intents: {len(intents)}")
    print(f"train_utterances: {len(train)}")
    print(f"eval_split: {split} ({len(eval_in)} in scope + {len(eval_oos)} out of scope)")
    print(f"threshold: {threshold:.4f} (best val accuracy with oos_val recall >= {target_recall:g})")
    print(f"in_scope_accuracy: {in_scope_accuracy(in_best, gold, threshold):.4f}")
    print(f"oos_recall: {oos_recall(oos_best, threshold):.4f}")
    print(f"load_seconds: {load_seconds:.2f}")
    print(f"classify_ms_p50: {statistics.median(millis):.3f}")
    print(f"classify_ms_p99: {millis[min(len(millis) - 1, int(0.99 * len(millis)))]:.3f}")
    print(f"in_scope_accuracy_no_threshold: {in_scope_accuracy(in_best, gold, 0.0):.4f}")
    print(f"in_scope_accuracy_at_{bot_threshold:.2f}: {in_scope_accuracy(in_best, gold, bot_threshold):.4f}")
    print(f"oos_recall_at_{bot_threshold:.2f}: {oos_recall(oos_best, bot_threshold):.4f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "data", type=Path, nargs="?", default=DEFAULT_DATA, help="CLINC150 file in data_full.json layout"
    )
    parser.add_argument(
        "--eval", dest="split", default="val", help="split to evaluate, with oos_SPLIT (default val)"
    )
    parser.add_argument(
        "--target-oos-recall",
        type=float,
        default=0.6,
        help="out-of-scope recall on oos_val that picks the threshold (default 0.6)",
    )
    args = parser.parse_args(argv)
    if not 0.0 <= args.target_oos_recall <= 1.0:
        parser.error("--target-oos-recall must be between 0 and 1")
    try:
        run(args.data, args.split, args.target_oos_recall)
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
