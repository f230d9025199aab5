"""The background sentences (`background`) as rows a small bot's SVMs learn as negatives.

Each bot gets the rows in its own TF-IDF space (and, with embeddings, the sentence embedding beside
them), less the sentences near one of its own samples: a bot about trivia or jokes keeps its
intents. The background's embeddings are computed once per encoder, in one batch.
"""

from __future__ import annotations

import threading
import weakref

import numpy as np
import numpy.typing as npt
from scipy import sparse

from .background import BACKGROUND
from .embeddings import SentenceEncoder
from .features import TfidfSpace
from .nearest import NearestSample
from .text import normalize

FloatArray = npt.NDArray[np.float64]
_BACKGROUND_WORDS = tuple(normalize(text).words for text in BACKGROUND)
_cache: weakref.WeakKeyDictionary[object, FloatArray] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def background_embeddings(encoder: SentenceEncoder) -> FloatArray:
    """The background sentences' embeddings, computed once per encoder."""
    with _lock:
        try:
            cached = _cache.get(encoder)
        except TypeError:  # an encoder that cannot be weakly referenced: no cache
            return encoder.encode(BACKGROUND)
        if cached is None:
            cached = _cache[encoder] = encoder.encode(BACKGROUND)
        return cached


def embedded_background_rows(
    space: TfidfSpace, encoder: SentenceEncoder, embedded: FloatArray, kept_below: float, scale: float
) -> sparse.csr_matrix | None:
    """[TF-IDF, `scale` x embedding] rows of the background sentences whose embedding similarity to
    every sample (rows of `embedded`) is below `kept_below`; None when none is."""
    background = background_embeddings(encoder)
    kept = np.flatnonzero((background @ embedded.T).max(axis=1) < kept_below)
    if not len(kept):
        return None
    words = space.matrix([_BACKGROUND_WORDS[int(row)] for row in kept])
    return sparse.hstack([words, sparse.csr_matrix(background[kept] * scale)]).tocsr()


def worded_background_rows(
    space: TfidfSpace, nearest: NearestSample, kept_below: float
) -> sparse.csr_matrix | None:
    """TF-IDF rows of the background sentences whose nearest-sample similarity is below `kept_below`."""
    rows = space.matrix(_BACKGROUND_WORDS)
    kept = np.flatnonzero(nearest.nearest_of_all(rows) < kept_below)
    return sparse.csr_matrix(rows[kept]) if len(kept) else None
