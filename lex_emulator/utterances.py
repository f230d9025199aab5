"""Sample utterances as matchers: ``"My name is {Name}"`` pulls ``Name`` out of "my name is Ann".

Matching ignores case, punctuation and spacing differences. Where a template has several slots and
the input could be split between them in more than one way ("my name is {FirstName} {LastName}"
with "my name is Kenji Watanabe"), each split is tried, shortest first slot first and slots ending
only between words unless literal text follows them, and the first split whose every slot value
resolves wins. In Korean, the copula or ending right
after a slot may differ from the sample ("제 이름은 {Name}입니다" also matches "제 이름은 민수예요"),
since Korean attaches it to the word and varies it with the name's last syllable and politeness.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from .state import SlotValue
from .text import fold, normalize

_SLOT = re.compile(r"\{([0-9A-Za-z](?:[_-]?[0-9A-Za-z])*)\}")
_KO_ENDINGS = (
    r"(?:이라고\s*합니다|라고\s*합니다|이라고\s*해요|라고\s*해요|이라고\s*해|라고\s*해|"
    r"입니다|이에요|예요|이야|이요|야|요)"
)
_KO_ENDINGS_AFTER_SLOT = re.compile("^" + _KO_ENDINGS)
_KO_ENDING_ALTERNATIVES = _KO_ENDINGS

SlotResolver = Callable[[str, str], SlotValue | None]  # (slot name, captured text) -> value

# At most this many ways of splitting one input between a template's slots are tried, within
# at most this many steps of the search.
MAX_SPLITS = 64
MAX_SPLIT_STEPS = 4000

Piece = str | re.Pattern[str]  # a slot name, or the literal text between slots as a pattern


@dataclass(frozen=True)
class UtteranceTemplate:
    text: str
    slot_names: tuple[str, ...]
    pattern: re.Pattern[str]
    pieces: tuple[Piece, ...] = field(default=(), compare=False)

    @property
    def has_slots(self) -> bool:
        return bool(self.slot_names)


def _literal_pattern(piece: str, *, after_slot: bool) -> str:
    normalized = normalize(piece)
    lead = r"\s*" if piece[:1].isspace() or (piece and not normalize(piece[:1])) else ""
    trail = r"\s*" if piece[-1:].isspace() or (piece and not normalize(piece[-1:])) else ""
    ending = ""
    if after_slot and not lead:
        match = _KO_ENDINGS_AFTER_SLOT.match(normalized)
        if match:
            ending = _KO_ENDING_ALTERNATIVES
            normalized = normalized[match.end() :].strip()
            lead = r"\s*" if normalized else ""
    words = r"\s+".join(re.escape(word) for word in normalized.split())
    if not words:
        return ending + (r"\s*" if (lead or trail) else "")
    return ending + lead + words + trail


def compile_template(text: str) -> UtteranceTemplate:
    """A sample utterance (with ``{Slot}`` references) as a case-insensitive full-match pattern."""
    literals: list[str | None] = []  # the pattern of each literal piece; None where a slot goes
    names: list[str] = []
    previous_was_slot = False
    position = 0
    for match in _SLOT.finditer(text):
        literal = text[position : match.start()]
        if literal:
            literals.append(_literal_pattern(literal, after_slot=previous_was_slot))
        elif previous_was_slot:
            literals.append(r"\s+")
        literals.append(None)
        names.append(match.group(1))
        previous_was_slot = True
        position = match.end()
    tail = text[position:]
    if tail:
        literals.append(_literal_pattern(tail, after_slot=previous_was_slot))
    parts: list[str] = []
    pieces: list[Piece] = []
    slots = iter(names)
    for literal_pattern in literals:
        if literal_pattern is None:
            parts.append(f"(?P<slot{sum(isinstance(piece, str) for piece in pieces)}>.+?)")
            pieces.append(next(slots))
        else:
            parts.append(literal_pattern)
            pieces.append(re.compile(literal_pattern, re.IGNORECASE))
    pattern = re.compile("^" + "".join(parts).strip() + "$", re.IGNORECASE)
    return UtteranceTemplate(text=text, slot_names=tuple(names), pattern=pattern, pieces=tuple(pieces))


def _shortened(text: str) -> list[str]:
    """The sample cut after each of its slots but the last, when at least two words come before
    the cut ("book a hotel in {City} from {CheckInDate}" gives "book a hotel in {City}")."""
    found: list[str] = []
    for match in list(_SLOT.finditer(text))[:-1]:
        head = text[: match.end()]
        if len(normalize(_SLOT.sub(" ", head)).split()) >= 2:
            found.append(head)
    return found


def compile_templates(texts: Sequence[str]) -> tuple[UtteranceTemplate, ...]:
    """The samples as templates, then each shortened after one of its slots (`_shortened`): Lex
    generalises from its samples, so "book a hotel in Chicago" fills City even when the only sample
    with City goes on "from {CheckInDate}" (which slots Lex fills is not documented; ours)."""
    originals = list(dict.fromkeys(texts))
    known = {fold(text) for text in originals}
    extra: list[str] = []
    for text in originals:
        for head in _shortened(text):
            if fold(head) not in known:
                known.add(fold(head))
                extra.append(head)
    return tuple(compile_template(text) for text in (*originals, *extra))


def exact_match(text: str, templates: Sequence[UtteranceTemplate]) -> bool:
    """Whether the input is one of the slot-free sample utterances (ignoring case and punctuation)."""
    folded = fold(text)
    return any(not template.has_slots and fold(template.text) == folded for template in templates)


def _splits(template: UtteranceTemplate, text: str) -> Iterator[tuple[tuple[int, int], ...]]:
    """Every way (up to `MAX_SPLITS`) the pieces cover ``text``: one (start, end) per slot."""
    pieces = template.pieces
    length = len(text)
    budget = [MAX_SPLITS]
    steps = [MAX_SPLIT_STEPS]
    spaced = any(char.isspace() for char in text)  # Japanese, say, has no spaces between words

    def between_words(position: int) -> bool:
        return not spaced or position >= length or text[position - 1].isspace() or text[position].isspace()

    def walk(index: int, position: int) -> Iterator[tuple[tuple[int, int], ...]]:
        steps[0] -= 1
        if budget[0] <= 0 or steps[0] <= 0:
            return
        if index == len(pieces):
            if position == length:
                budget[0] -= 1
                yield ()
            return
        piece = pieces[index]
        if not isinstance(piece, str):
            found = piece.match(text, position)
            if found:
                yield from walk(index + 1, found.end())
            return
        follower = pieces[index + 1] if index + 1 < len(pieces) else None
        ends = range(length, length + 1) if follower is None else range(position + 1, length + 1)
        for end in ends:
            if isinstance(follower, re.Pattern):
                after = follower.match(text, end)
                if not after or (after.end() == end and not between_words(end)):
                    continue
            for rest in walk(index + 1, end):
                yield ((position, end), *rest)

    yield from walk(0, 0)


def match_slots(
    text: str, templates: Sequence[UtteranceTemplate], resolve: SlotResolver
) -> dict[str, SlotValue] | None:
    """Slot values from the template that matches the input and fills the most slots, or None.

    A template counts only when every slot it captures resolves to a value of the slot's type
    (for some way of splitting the input between its slots).
    """
    normalized = normalize(text)
    best: dict[str, SlotValue] | None = None
    resolved: dict[tuple[str, str], SlotValue | None] = {}

    def value_of(name: str, captured: str) -> SlotValue | None:
        if (name, captured) not in resolved:
            resolved[name, captured] = resolve(name, captured) if captured else None
        return resolved[name, captured]

    for template in templates:
        if not template.has_slots or not template.pattern.match(normalized):
            continue
        for split in _splits(template, normalized):
            values: dict[str, SlotValue] = {}
            for name, (start, end) in zip(template.slot_names, split, strict=True):
                value = value_of(name, normalized[start:end].strip())
                if value is None:
                    break
                values[name] = value
            else:
                if best is None or len(values) > len(best):
                    best = values
                break
    return best


def slots_of(values: Mapping[str, SlotValue] | None) -> dict[str, SlotValue]:
    return dict(values or {})
