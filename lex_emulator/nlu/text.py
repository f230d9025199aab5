"""Text normalisation and n-grams for intent recognition, the same for Korean and English.

Normalised text is casefolded NFKC with only letters and digits kept, words separated by one
space. Apostrophes vanish ("I'm" -> "im"), runs of three or more identical letters shrink to one
("hiiii" -> "hi", "하하하" -> "하"), and words made only of Hangul jamo ("ㅎㅎ", "ㅋㅋ", "ㅠㅠ") are
dropped as chat noise. Each normalised character remembers where it came from in the original
string, so a span found in the normalised text maps back to the user's own spelling.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

_APOSTROPHES = frozenset("'\u2019\u2018\u02bc`")
_JAMO_WORD = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\ud7b0-\ud7ff]+")
_WORD = re.compile("[^ ]+")
_REPEATED_LETTER = re.compile(r"([^\W\d_])\1{2,}")
CHAR_NGRAMS = (2, 4)


@dataclass(frozen=True)
class NormalizedText:
    """Normalised text plus, for each of its characters, the index of its source in `source`."""

    text: str
    origin: tuple[int, ...]
    source: str

    def original(self, start: int, end: int) -> str:
        """The source text behind `text[start:end]` (a non-empty span)."""
        return self.source[self.origin[start] : self.origin[end - 1] + 1]

    @property
    def words(self) -> list[str]:
        return self.text.split()


@lru_cache(maxsize=8192)
def _fold(char: str) -> str:
    """One source character as normalised characters, anything but a letter or digit as a space."""
    if char in _APOSTROPHES:
        return ""
    return "".join(
        piece if piece.isalnum() else " " for piece in unicodedata.normalize("NFKC", char).casefold()
    )


def normalize(raw: str) -> NormalizedText:
    """Normalise `raw` for matching, keeping the map back to (the NFC form of) `raw`."""
    source = unicodedata.normalize("NFC", raw)
    pieces: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(source):
        folded = _fold(char)
        pieces.append(folded)
        origin.extend([index] * len(folded))
    folded_text = "".join(pieces)
    out_text: list[str] = []
    out_origin: list[int] = []
    for word in _WORD.finditer(folded_text):
        if _JAMO_WORD.fullmatch(word.group()):
            continue
        if out_text:
            out_text.append(" ")
            out_origin.append(origin[word.start()])
        position = word.start()
        for run in _REPEATED_LETTER.finditer(folded_text, word.start(), word.end()):
            out_text.append(folded_text[position : run.start() + 1])
            out_origin.extend(origin[position : run.start() + 1])
            position = run.end()
        out_text.append(folded_text[position : word.end()])
        out_origin.extend(origin[position : word.end()])
    return NormalizedText("".join(out_text), tuple(out_origin), source)


def word_ngrams(words: list[str]) -> Iterator[str]:
    """Word unigrams and bigrams."""
    yield from words
    for first, second in pairwise(words):
        yield f"{first} {second}"


def char_ngrams(words: list[str]) -> Iterator[str]:
    """Character n-grams inside each space-padded word (like scikit-learn's `char_wb`)."""
    low, high = CHAR_NGRAMS
    for word in words:
        padded = f" {word} "
        size = len(padded)
        for n in range(low, min(high, size) + 1):
            for begin in range(size - n + 1):
                yield padded[begin : begin + n]
