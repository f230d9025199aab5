"""TF-IDF vectors of word 1-2-grams and character 2-4-grams; n-grams the bot never saw stay in the norm.

Each text becomes one sparse vector made of two blocks (words, characters), each L2-normalised and
scaled by 1/sqrt(2), so the whole vector has unit length and a dot product is a cosine similarity.
Unlike a plain vectoriser, an n-gram outside the vocabulary is not silently dropped: it still
weighs in its block's norm (with the largest idf there is), so a long question that shares two
words with a sample utterance is far from it, and a linear model's score shrinks towards its
intercept as the share of unfamiliar text grows. That is most of the out-of-scope signal.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

from .text import char_ngrams, word_ngrams

Analyzer = Callable[[list[str]], Iterable[str]]
_ANALYZERS: tuple[Analyzer, ...] = (word_ngrams, char_ngrams)
_BLOCK_SCALE = 1.0 / math.sqrt(len(_ANALYZERS))


@dataclass(frozen=True)
class SparseRow:
    """One vector: column indices and their values."""

    indices: npt.NDArray[np.int64]
    values: npt.NDArray[np.float64]


@dataclass(frozen=True)
class _Block:
    analyzer: Analyzer
    vocabulary: dict[str, int]
    idf: npt.NDArray[np.float64]
    unseen_idf: float


class TfidfSpace:
    """The vector space of one bot locale, fitted on its sample utterances (lists of words)."""

    def __init__(self, blocks: Sequence[_Block]) -> None:
        self._blocks = tuple(blocks)
        self.block_sizes = tuple(len(block.vocabulary) for block in self._blocks)
        self.dimension = sum(self.block_sizes)

    @classmethod
    def fit(cls, documents: Sequence[list[str]], *, min_df: int = 1) -> tuple[TfidfSpace, sparse.csr_matrix]:
        """Learn vocabularies and idf weights from `documents` and return the space with their vectors.

        N-grams found in fewer than `min_df` documents count as unseen.
        """
        total = len(documents)
        blocks: list[_Block] = []
        all_counts: list[list[Counter[str]]] = []
        for analyzer in _ANALYZERS:
            counts = [Counter(analyzer(words)) for words in documents]
            document_frequency: Counter[str] = Counter()
            for document_counts in counts:
                document_frequency.update(document_counts.keys())
            kept = sorted(gram for gram, df in document_frequency.items() if df >= min_df)
            idf = np.log(
                (1 + total) / (1 + np.array([document_frequency[gram] for gram in kept], dtype=np.float64))
            )
            vocabulary = {gram: column for column, gram in enumerate(kept)}
            blocks.append(_Block(analyzer, vocabulary, idf + 1.0, math.log(1 + total) + 1.0))
            all_counts.append(counts)
        space = cls(blocks)
        indptr, indices, values = space._encode(all_counts)
        return space, sparse.csr_matrix((values, indices, indptr), shape=(total, space.dimension))

    def vector(self, words: list[str]) -> SparseRow:
        """The unit vector of one text (all zeros for a text with no words)."""
        _, indices, values = self._encode([[Counter(block.analyzer(words))] for block in self._blocks])
        return SparseRow(indices, values)

    def matrix(self, documents: Sequence[list[str]]) -> sparse.csr_matrix:
        """Vectors of many texts, one row each."""
        counts = [[Counter(block.analyzer(words)) for words in documents] for block in self._blocks]
        indptr, indices, values = self._encode(counts)
        return sparse.csr_matrix((values, indices, indptr), shape=(len(documents), self.dimension))

    def _encode(
        self, block_counts: Sequence[Sequence[Counter[str]]]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """CSR arrays (indptr, indices, values) of documents given as n-gram counts per block."""
        rows: list[npt.NDArray[np.int64]] = []
        columns: list[npt.NDArray[np.int64]] = []
        weights: list[npt.NDArray[np.float64]] = []
        offset = 0
        for block, counts in zip(self._blocks, block_counts, strict=True):
            total = len(counts)
            lengths = np.fromiter((len(document) for document in counts), dtype=np.int64, count=total)
            row = np.repeat(np.arange(total, dtype=np.int64), lengths)
            lookup = block.vocabulary.get
            column = np.fromiter(
                (lookup(gram, -1) for document in counts for gram in document), dtype=np.int64, count=len(row)
            )
            count = np.fromiter(
                (n for document in counts for n in document.values()), dtype=np.float64, count=len(row)
            )
            seen = column >= 0
            weight = (1.0 + np.log(np.maximum(count, 1.0))) * np.where(
                seen, block.idf[np.where(seen, column, 0)], block.unseen_idf
            )
            norms = np.sqrt(np.bincount(row, weights=weight * weight, minlength=total))
            scale = np.divide(_BLOCK_SCALE, norms, out=np.zeros(total), where=norms > 0)
            rows.append(row[seen])
            columns.append(column[seen] + offset)
            weights.append(weight[seen] * scale[row[seen]])
            offset += len(block.vocabulary)
        row = np.concatenate(rows)
        order = np.argsort(row, kind="stable")
        documents = len(block_counts[0]) if block_counts else 0
        indptr = np.zeros(documents + 1, dtype=np.int64)
        np.cumsum(np.bincount(row, minlength=documents), out=indptr[1:])
        return indptr, np.concatenate(columns)[order], np.concatenate(weights)[order]
