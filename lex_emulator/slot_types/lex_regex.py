"""The regular expressions Lex V2 accepts in a slot type's ``RegexFilter.Pattern``, and matching with them.

Per the developer guide ("AMAZON.AlphaNumeric"): a standard regular expression of letters, digits
and ``\\uXXXX`` Unicode escapes, at most 300 characters, without infinite repeaters (``*``, ``+``,
``{x,}``) or the wildcard ``.``; the value it accepts is at most 30 characters, and the user's whole
input must match.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

MAX_PATTERN_LENGTH = 300
MAX_VALUE_LENGTH = 30
_OPEN_REPEAT = re.compile(r"\{\s*\d*\s*,\s*\}")
_EDGES = " \t\r\n.,!?;:\"'“”‘’()[]"


def _unsupported_operator(pattern: str) -> str | None:
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if pattern[index + 1 : index + 2] == "]":
                index += 1  # "[]...]" starts with a literal ]
        elif char in "*+":
            return f"the infinite repeater {char!r} (at character {index + 1})"
        elif char == ".":
            return f"the wildcard '.' (at character {index + 1})"
        elif char == "{" and _OPEN_REPEAT.match(pattern, index):
            return f"a repeat with no upper bound (at character {index + 1})"
        index += 1
    return None


def regex_problem(pattern: str) -> str | None:
    """Why Lex V2 would refuse ``pattern`` as a RegexFilter, or None when it accepts it."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        return f"is {len(pattern)} characters long; Lex allows at most {MAX_PATTERN_LENGTH}"
    operator = _unsupported_operator(pattern)
    if operator is not None:
        return f"uses {operator}, which Lex does not support in a slot type regex"
    try:
        re.compile(pattern)
    except re.error as error:
        return f"is not a valid pattern: {error}"
    return None


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def match_whole_input(text: str, pattern: str) -> str | None:
    """The input, if all of it matches ``pattern`` (also with the spaces of a spelled-out value removed)."""
    value = unicodedata.normalize("NFKC", text).strip(_EDGES)
    compiled = _compiled(pattern)
    for candidate in (value, "".join(value.split())):
        if 0 < len(candidate) <= MAX_VALUE_LENGTH and compiled.fullmatch(candidate):
            return candidate
    return None
