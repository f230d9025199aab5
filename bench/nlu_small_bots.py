"""Small-bot benchmark of the intent recogniser: paraphrases and off-topic questions (prints figures).

    PYTHONPATH=. .venv/bin/python bench/nlu_small_bots.py [DATA.json ...] [--threshold 0.40]

Each DATA.json (default: bench/data/nlu_small_bots_*.json) holds one locale's bots, written for
this project: per intent 6 sample utterances and 4 paraphrases, plus questions unrelated to any
bot. Every bot is built from its samples alone; a paraphrase counts as recognised when its best
intent is the right one with a score at or above the threshold (the bot's NluConfidenceThreshold,
0.40 by default, as in bot/bot.json); an off-topic question counts when it goes to FallbackIntent,
its best score being below the threshold. Each off-topic question is asked to every bot of its
language and split.

Two splits, both printed: `dev` bots and questions are the ones the recogniser's constants were
tuned on; `test` bots (other domains) and questions were never looked at while tuning, so only
they are an honest measure. Both recognisers are measured: with sentence embeddings (the default
when the encoder is installed) and with TF-IDF features alone (the fallback).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:
    from lex_emulator.nlu import IntentRecognizer, build_recognizer
    from lex_emulator.nlu.embeddings import default_encoder
except ImportError as missing:  # run from elsewhere than the repository root, or without the venv
    sys.exit(f"error: cannot import the recogniser ({missing}); run from the repository root: make bench")

DATA_DIR = Path(__file__).resolve().parent / "data"
SPLITS = ("dev", "test")


class BenchError(Exception):
    """Bad input: reported as one line, no traceback."""


@dataclass
class Tally:
    paraphrases: int = 0
    recognised: int = 0
    ranked_first: int = 0
    off_topic: int = 0
    to_fallback: int = 0
    build_seconds: list[float] = field(default_factory=list)
    classify_ms: list[float] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Bot:
    name: str
    split: str
    intents: dict[str, list[str]]
    paraphrases: list[tuple[str, str]]


def _strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise BenchError(f"{where} must be a list of strings")
    return value


def load(path: Path) -> tuple[str, list[Bot], dict[str, list[str]]]:
    """Locale, bots and off-topic questions per split of one data file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise BenchError(f"cannot read {path}: {error.strerror or error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BenchError(f"{path} is not JSON: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("locale"), str):
        raise BenchError(f"{path} must hold an object with locale, bots and off_topic")
    bots: list[Bot] = []
    for name, bot in (data.get("bots") or {}).items():
        where = f"{path}: bots.{name}"
        if (
            not isinstance(bot, dict)
            or bot.get("split") not in SPLITS
            or not isinstance(bot.get("intents"), dict)
        ):
            raise BenchError(f"{where} needs split (dev or test) and intents")
        intents: dict[str, list[str]] = {}
        paraphrases: list[tuple[str, str]] = []
        for intent, entry in bot["intents"].items():
            if not isinstance(entry, dict):
                raise BenchError(f"{where}.intents.{intent} must hold samples and paraphrases")
            intents[intent] = _strings(entry.get("samples"), f"{where}.intents.{intent}.samples")
            paraphrases += [
                (text, intent) for text in _strings(entry.get("paraphrases"), f"{where}.{intent}")
            ]
        bots.append(Bot(name, bot["split"], intents, paraphrases))
    off_topic = data.get("off_topic")
    if not isinstance(off_topic, dict):
        raise BenchError(f"{path}: off_topic must map dev and test to lists of questions")
    questions = {split: _strings(off_topic.get(split), f"{path}: off_topic.{split}") for split in SPLITS}
    return data["locale"], bots, questions


def top(recognizer: IntentRecognizer, text: str, tally: Tally) -> tuple[str, float]:
    started = time.perf_counter()
    ranked = recognizer.recognize(text)
    tally.classify_ms.append((time.perf_counter() - started) * 1000.0)
    return (ranked[0].intent, ranked[0].score) if ranked else ("", 0.0)


def measure(paths: Sequence[Path], threshold: float, encoder: object) -> dict[tuple[str, str], Tally]:
    """Tallies per (locale, split) for one recogniser kind."""
    tallies: dict[tuple[str, str], Tally] = {}
    for path in paths:
        locale, bots, questions = load(path)
        for bot in bots:
            tally = tallies.setdefault((locale, bot.split), Tally())
            started = time.perf_counter()
            recognizer = build_recognizer(bot.intents, locale=locale, encoder=encoder)
            tally.build_seconds.append(time.perf_counter() - started)
            for text, intent in bot.paraphrases:
                best, score = top(recognizer, text, tally)
                tally.paraphrases += 1
                tally.ranked_first += best == intent
                tally.recognised += best == intent and score >= threshold
                if best != intent or score < threshold:
                    tally.misses.append(f"{bot.name}: {text!r} is {intent}, got {best} {score:.2f}")
            for text in questions[bot.split]:
                best, score = top(recognizer, text, tally)
                tally.off_topic += 1
                tally.to_fallback += score < threshold
                if score >= threshold:
                    tally.misses.append(f"{bot.name}: off-topic {text!r} got {best} {score:.2f}")
    return tallies


def ten_intent_build_seconds(paths: Sequence[Path], encoder: object) -> tuple[int, float]:
    """Intents and build time (median of 3) of one bot merging a data file's first two bots."""
    locale, bots, _ = load(paths[0])
    merged = {f"{bot.name}_{intent}": samples for bot in bots[:2] for intent, samples in bot.intents.items()}
    times = []
    for _ in range(3):
        started = time.perf_counter()
        build_recognizer(merged, locale=locale, encoder=encoder)
        times.append(time.perf_counter() - started)
    return len(merged), statistics.median(times)


def report(kind: str, tallies: dict[tuple[str, str], Tally], misses: bool) -> None:
    for (locale, split), tally in sorted(
        tallies.items(), key=lambda item: (SPLITS.index(item[0][1]), item[0][0])
    ):
        label = "held-out" if split == "test" else "tuning"
        prefix = f"{kind}.{split}.{locale}"
        print(
            f"{prefix}.paraphrases_recognised: {tally.recognised / tally.paraphrases:.3f} "
            f"({tally.recognised}/{tally.paraphrases}, {label})"
        )
        print(
            f"{prefix}.paraphrases_ranked_first: {tally.ranked_first / tally.paraphrases:.3f} "
            f"({tally.ranked_first}/{tally.paraphrases}, right intent best whatever its score)"
        )
        print(
            f"{prefix}.off_topic_to_fallback: {tally.to_fallback / tally.off_topic:.3f} "
            f"({tally.to_fallback}/{tally.off_topic}, {label})"
        )
        if misses and split == "dev":  # held-out misses stay unread, so nothing is tuned on them
            for miss in tally.misses:
                print(f"  miss: {miss}")
    every = [tally for tally in tallies.values()]
    builds = sorted(seconds for tally in every for seconds in tally.build_seconds)
    millis = sorted(ms for tally in every for ms in tally.classify_ms)
    print(f"{kind}.build_seconds_p50: {statistics.median(builds):.3f} (5 intents x 6 samples)")
    print(f"{kind}.classify_ms_p50: {statistics.median(millis):.3f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "data", type=Path, nargs="*", help="bot files (default: bench/data/nlu_small_bots_*.json)"
    )
    parser.add_argument("--threshold", type=float, default=0.40, help="NluConfidenceThreshold (default 0.40)")
    parser.add_argument("--misses", action="store_true", help="also list the dev split's misses")
    args = parser.parse_args(argv)
    if not 0.0 <= args.threshold <= 1.0:
        parser.error("--threshold must be between 0 and 1")
    paths = args.data or sorted(DATA_DIR.glob("nlu_small_bots_*.json"))
    if not paths:
        parser.error(f"no data files given and none in {DATA_DIR}")
    print(f"threshold: {args.threshold:.2f}")
    try:
        started = time.perf_counter()
        encoder = default_encoder()
        loaded = time.perf_counter() - started
        kinds: list[tuple[str, object]] = [("tfidf", None)]
        if encoder is None:
            print("embeddings: unavailable (encoder not installed or LEX_NLU_EMBEDDINGS=off)")
        else:
            print(f"embeddings.encoder_load_seconds: {loaded:.2f} (once per process)")
            kinds.insert(0, ("embeddings", encoder))
        for kind, chosen in kinds:
            report(kind, measure(paths, args.threshold, chosen), args.misses)
            intents, seconds = ten_intent_build_seconds(paths, chosen)
            print(f"{kind}.build_seconds_{intents}_intents: {seconds:.3f}")
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
