"""CLINC150 benchmark of the Lex emulator's intent recogniser (prints figures; not a test).

    PYTHONPATH=. .venv/bin/python bench/nlu_clinc150.py [DATA.json] [--eval val]

DATA.json (default: shared/clinc150/clinc150_train_val.json beside the repository) has
CLINC150's data_full.json layout: lists of [text, label] pairs under `train`, `val`, `test`,
`oos_train`, `oos_val`, `oos_test` (only the ones used must be present).

The splits are explicit and `val` is never used to choose anything:

* fit: `train` less its last --tune-per-intent utterances of each intent (the bot's samples);
* tuning: those held-out `train` utterances and `oos_train`. The one threshold is chosen here:
  the lowest whose out-of-scope recall on `oos_train` reaches --target-oos-recall (placed halfway
  to the next out-of-scope score), which, as accuracy only falls when the threshold rises, is the
  most accurate such threshold. The recogniser's own curves were also chosen on this split;
* evaluation: the recogniser is built again from all of `train` (as a bot would be) and
  `SPLIT` and `oos_SPLIT` (default val) are reported with that threshold and, as the emulator
  runs, at the bot's NluConfidenceThreshold 0.40. The build time is this second build's.

Both recognisers are measured: with sentence embeddings (the default when the encoder is
installed) and with TF-IDF features alone (the fallback). Prints one `name: value` line per figure.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

try:
    from lex_emulator.nlu import IntentRecognizer, build_recognizer
    from lex_emulator.nlu.embeddings import default_encoder
except ImportError as missing:  # run from elsewhere than the repository root, or without the venv
    sys.exit(f"error: cannot import the recogniser ({missing}); run from the repository root: make bench")

_REPO = Path(__file__).resolve().parents[1]
_NAME = Path("shared") / "clinc150" / "clinc150_train_val.json"
DEFAULT_DATA = next(
    (folder / _NAME for folder in _REPO.parents if (folder / _NAME).is_file()), _REPO.parent / _NAME
)
OOS = "oos"
BOT_THRESHOLD = 0.40
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


def intents_of(pairs: Pairs) -> dict[str, list[str]]:
    """Intent -> its utterances, in-scope pairs only."""
    by_intent: dict[str, list[str]] = defaultdict(list)
    for text, label in pairs:
        if label != OOS:
            by_intent[label].append(text)
    return dict(by_intent)


def split_train(train: Pairs, tune_per_intent: int) -> tuple[dict[str, list[str]], Pairs]:
    """(intent -> samples, held-out tuning pairs): the last `tune_per_intent` of each intent are held out."""
    samples: dict[str, list[str]] = {}
    held_out: Pairs = []
    for intent, texts in intents_of(train).items():
        keep = max(1, len(texts) - tune_per_intent)
        samples[intent] = texts[:keep]
        held_out += [(text, intent) for text in texts[keep:]]
    return samples, held_out


def run_one(
    kind: str,
    encoder: object,
    fit: dict[str, list[str]],
    samples: dict[str, list[str]],
    tuning: tuple[Pairs, Pairs],
    evaluation: tuple[Pairs, Pairs],
    target_recall: float,
) -> None:
    """Choose the threshold on the tuning split (bot built from `fit`); build from `samples`; evaluate."""
    tuned = build_recognizer(fit, locale="en_US", encoder=encoder)
    tune_in, tune_oos = tuning
    tune_in_best, _ = top_predictions(tuned, [text for text, _ in tune_in])
    tune_oos_best, _ = top_predictions(tuned, [text for text, _ in tune_oos])
    threshold = pick_threshold([score for _, score in tune_oos_best], target_recall)
    del tuned

    started, cpu_started = time.perf_counter(), time.process_time()
    recognizer = build_recognizer(samples, locale="en_US", encoder=encoder)
    load_seconds = time.perf_counter() - started
    load_cpu_seconds = time.process_time() - cpu_started

    eval_in, eval_oos = evaluation
    in_best, in_millis = top_predictions(recognizer, [text for text, _ in eval_in])
    oos_best, oos_millis = top_predictions(recognizer, [text for text, _ in eval_oos])
    millis = sorted(in_millis + oos_millis)
    gold = [label for _, label in eval_in]
    tune_gold = [label for _, label in tune_in]

    print(f"{kind}.threshold: {threshold:.4f} (lowest with oos_train recall >= {target_recall:g})")
    print(f"{kind}.tuning_in_scope_accuracy: {in_scope_accuracy(tune_in_best, tune_gold, threshold):.4f}")
    print(f"{kind}.tuning_oos_recall: {oos_recall(tune_oos_best, threshold):.4f}")
    print(f"{kind}.in_scope_accuracy: {in_scope_accuracy(in_best, gold, threshold):.4f}")
    print(f"{kind}.oos_recall: {oos_recall(oos_best, threshold):.4f}")
    at_bot = in_scope_accuracy(in_best, gold, BOT_THRESHOLD)
    print(f"{kind}.in_scope_accuracy_at_{BOT_THRESHOLD:.2f}: {at_bot:.4f}")
    print(f"{kind}.oos_recall_at_{BOT_THRESHOLD:.2f}: {oos_recall(oos_best, BOT_THRESHOLD):.4f}")
    print(f"{kind}.in_scope_accuracy_no_threshold: {in_scope_accuracy(in_best, gold, 0.0):.4f}")
    print(f"{kind}.load_seconds: {load_seconds:.2f}")
    print(f"{kind}.load_cpu_seconds: {load_cpu_seconds:.2f} (all threads)")
    print(f"{kind}.classify_ms_p50: {statistics.median(millis):.3f}")
    print(f"{kind}.load_average_1min: {os.getloadavg()[0]:.2f} (timings above are inflated by it)")
    print(f"{kind}.classify_ms_p99: {millis[min(len(millis) - 1, int(0.99 * len(millis)))]:.3f}")


def run(path: Path, split: str, target_recall: float, tune_per_intent: int) -> None:
    data = load_data(path)
    train = load_split(data, "train", path)
    if not train:
        raise BenchError(f"{path}: the train split is empty")
    tune_oos = load_split(data, "oos_train", path)
    eval_in, eval_oos = load_split(data, split, path), load_split(data, f"oos_{split}", path)
    if not eval_in and not eval_oos:
        raise BenchError(f"{path}: the {split} and oos_{split} splits are both empty")
    fit, tune_in = split_train(train, tune_per_intent)
    samples = intents_of(train)

    print(f"intents: {len(samples)}")
    print(f"fit_utterances: {sum(len(texts) for texts in fit.values())} (train less the tuning part)")
    print(f"tuning_split: {len(tune_in)} held-out train + {len(tune_oos)} oos_train")
    print(f"eval_build: {sum(len(texts) for texts in samples.values())} train utterances (all of train)")
    print(f"eval_split: {split} ({len(eval_in)} in scope + {len(eval_oos)} out of scope), never tuned on")
    encoder = default_encoder()
    kinds: list[tuple[str, object]] = [("embeddings", encoder)] if encoder is not None else []
    if not kinds:
        print("embeddings: unavailable (encoder not installed or LEX_NLU_EMBEDDINGS=off)")
    for kind, chosen in [*kinds, ("tfidf", None)]:
        run_one(kind, chosen, fit, samples, (tune_in, tune_oos), (eval_in, eval_oos), target_recall)


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
        help="out-of-scope recall on oos_train that picks the threshold (default 0.6)",
    )
    parser.add_argument(
        "--tune-per-intent",
        type=int,
        default=10,
        help="train utterances per intent held out for tuning (default 10)",
    )
    args = parser.parse_args(argv)
    if not 0.0 <= args.target_oos_recall <= 1.0:
        parser.error("--target-oos-recall must be between 0 and 1")
    if args.tune_per_intent < 1:
        parser.error("--tune-per-intent must be at least 1")
    try:
        run(args.data, args.split, args.target_oos_recall, args.tune_per_intent)
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
