"""The values of a multi-value slot in one answer ("pepperoni, black olives and pineapple").

Lex V2 guide, "Using multiple values in a slot": Lex recognises values separated by spaces, commas
and "and"; the slot has shape List, its ``value`` is the phrase as said (original and interpreted
value, and its one resolved value) and ``values`` holds one Scalar per item; a single item is still
a list of one. Here the words of the answer are split into the fewest items that are each, as a
whole, a value (or synonym) of the slot type, skipping as few other words ("please", "some") as
possible. The emulator also takes "or" and, in Korean, "그리고" and the joining particles
(햄과 올리브, 햄하고 올리브) as separators.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from .state import SlotValue
from .text import fold, is_hangul, normalize

# Longer answers are not split (the cost grows with words x item length); the first value is used.
MAX_WORDS = 60
MAX_ITEM_WORDS = 6

_WORD = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*")
_SEPARATOR_WORDS = frozenset({"and", "or", "그리고"})
_KOREAN_PARTICLES = ("이랑", "하고", "와", "과", "랑")

ResolveOne = Callable[[str], SlotValue | None]
# The best split of the first words: (words skipped, items) to minimise, and the items
# (value, start, end in the answer).
_Split = tuple[int, int, tuple[tuple[SlotValue, int, int], ...]]


def _better(new: _Split, old: _Split | None) -> bool:
    return old is None or new[:2] < old[:2]


def _whole(text: str, resolve: ResolveOne) -> SlotValue | None:
    """The value when all of ``text`` is one (not a value found somewhere inside it)."""
    value = resolve(text)
    if value is None or fold(value.original) != fold(text):
        return None
    return value


def _candidates(text: str, start: int, end: int, last_word: str, followed: bool) -> list[tuple[str, int]]:
    """The item text for words start..end, and without a Korean joining particle on its last word."""
    found = [(text[start:end], end)]
    if followed and last_word and is_hangul(last_word[-1]):
        for particle in _KOREAN_PARTICLES:
            if last_word.endswith(particle) and len(last_word) > len(particle):
                found.append((text[start : end - len(particle)], end - len(particle)))
    return found


def split_values(text: str, resolve: ResolveOne) -> SlotValue | None:
    """The answer as a List slot value, or None when no item of it is a value of the slot type."""
    said = unicodedata.normalize("NFKC", text).strip()
    words = list(_WORD.finditer(said))
    if not words or len(words) > MAX_WORDS:
        single = resolve(said) if said else None
        return SlotValue.of_list(single.original, (single,)) if single is not None else None
    cache: dict[str, SlotValue | None] = {}

    def whole(item: str) -> SlotValue | None:
        if item not in cache:
            cache[item] = _whole(item, resolve)
        return cache[item]

    count = len(words)
    best: list[_Split | None] = [None] * (count + 1)
    best[0] = (0, 0, ())
    for index in range(count):
        here = best[index]
        if here is None:
            continue
        skipped, items, chosen = here
        word = words[index].group().casefold()
        free = word in _SEPARATOR_WORDS
        step: _Split = (skipped + (0 if free else 1), items, chosen)
        if _better(step, best[index + 1]):
            best[index + 1] = step
        for last in range(index, min(count, index + MAX_ITEM_WORDS)):
            start, end = words[index].start(), words[last].end()
            for item, item_end in _candidates(said, start, end, words[last].group(), last + 1 < count):
                value = whole(item)
                if value is None:
                    continue
                step = (skipped, items + 1, (*chosen, (value, start, item_end)))
                if _better(step, best[last + 1]):
                    best[last + 1] = step
                break
    final = best[count]
    if final is None or not final[2]:
        single = resolve(said)
        return SlotValue.of_list(single.original, (single,)) if single is not None else None
    chosen = final[2]
    phrase = said[chosen[0][1] : chosen[-1][2]].strip()
    return SlotValue.of_list(phrase, tuple(value for value, _, _ in chosen))


def as_said(said: str, captured: str) -> str:
    """The part of ``said`` that a sample utterance captured (as normalised text, commas gone),
    with its punctuation kept; ``captured`` itself when no run of whole words of ``said`` gives it."""
    words = list(re.finditer(r"\S+", said))
    if len(words) > MAX_WORDS:
        return captured
    for first in range(len(words)):
        for last in range(first, len(words)):
            span = said[words[first].start() : words[last].end()]
            if normalize(span) == captured:
                return span.strip(".,;:!?\"'()[]")
    return captured
