"""Per intent, the TF-IDF similarity of an utterance to the intent's most similar sample utterance.

The word and character blocks of the vectors (see `features`) are weighed `WORD_SHARE` and the
rest, so the similarity favours shared character n-grams (Korean endings, typos) over whole words.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import sparse

from .features import SparseRow

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
WORD_SHARE = 0.3
"""Weight of the word block in the TF-IDF similarity (the character block has the rest)."""


class NearestSample:
    """Per intent, the TF-IDF similarity of a vector to the intent's most similar sample."""

    def __init__(self, matrix: sparse.csr_matrix, positions: IntArray, block_sizes: tuple[int, ...]) -> None:
        words, characters = block_sizes
        shares = np.concatenate([np.full(words, 2 * WORD_SHARE), np.full(characters, 2 * (1 - WORD_SHARE))])
        order = np.argsort(positions, kind="stable")
        samples = sparse.csr_matrix(matrix[order] @ sparse.diags(shares))
        self._data = samples.data
        self._columns = samples.indices
        self._indptr = samples.indptr
        self._rows = np.repeat(np.arange(samples.shape[0]), np.diff(samples.indptr))
        self._bounds = np.searchsorted(positions[order], np.arange(int(positions.max()) + 2))
        self._dimension = samples.shape[1]
        self._samples = samples

    def nearest_of_all(self, vectors: sparse.csr_matrix) -> FloatArray:
        """For each row of `vectors`, its similarity to the most similar sample of any intent."""
        result: FloatArray = np.asarray((vectors @ self._samples.T).max(axis=1).toarray()).ravel()
        return result

    def similarities(self, vector: SparseRow, intents: IntArray) -> FloatArray:
        """Similarities for the intents at these positions."""
        result = np.zeros(len(intents))
        if not len(vector.indices):
            return result
        dense = np.zeros(self._dimension)
        dense[vector.indices] = vector.values
        for slot, intent in enumerate(intents):
            first, last = self._bounds[intent], self._bounds[intent + 1]
            low, high = self._indptr[first], self._indptr[last]
            contributions = self._data[low:high] * dense[self._columns[low:high]]
            result[slot] = np.bincount(self._rows[low:high] - first, contributions, last - first).max()
        return result
