"""Text normalisation shared by the matchers: Unicode NFKC, punctuation to spaces, one space between words.

Case is kept (matchers compare case-insensitively) so that captured slot values keep the user's
spelling. Apostrophes and hyphens inside words stay ("I'm", "Jean-Luc").
"""

from __future__ import annotations

import unicodedata

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_KEEP_INSIDE_WORDS = frozenset("'-")


def normalize(text: str) -> str:
    """NFKC, punctuation and symbols as spaces (except ' and - inside words), whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)
    out: list[str] = []
    length = len(text)
    for index, char in enumerate(text):
        category = unicodedata.category(char)
        if char in _KEEP_INSIDE_WORDS:
            before = text[index - 1] if index > 0 else " "
            after = text[index + 1] if index + 1 < length else " "
            out.append(char if before.isalnum() and after.isalnum() else " ")
        elif category[0] in "PS" or category[0] == "Z" or char.isspace() or category == "Cc":
            out.append(" ")
        else:
            out.append(char)
    return " ".join("".join(out).split())


def fold(text: str) -> str:
    """`normalize`, then case-folded: the form used to compare words."""
    return normalize(text).casefold()


def is_hangul(char: str) -> bool:
    return "\uac00" <= char <= "\ud7a3" or "\u3131" <= char <= "\u318e"
