"""Lex V2 condition expressions (conditional branching): a small tokenizer, parser and evaluator.

The Lex V2 developer guide, "Add conditions to branch conversations", defines the language:

- references on the left of a comparison: ``{Slot}`` (slot value), ``[attr]`` (session attribute),
  ``((attr))`` (request attribute), ``$.inputMode`` and ``$.inputTranscript``;
- comparisons ``=``, ``!=``, ``<``, ``<=``, ``>``, ``>=`` against a constant (a quoted string or a
  number); numbers compare as numbers, strings without regard to case;
- Boolean operators ``AND`` / ``&&``, ``OR`` / ``||``, ``NOT`` / ``!``, and parentheses;
- ``EXISTS(ref)``, ``ref CONTAINS "v"`` (a multi-value slot holds v), ``ref IN ("a", "b")`` and
  ``ref NOT IN (...)``.

A comparison that refers to something not set is not evaluated: the whole condition is false (the
guide: "any expression that references an attribute that hasn't been set is treated as invalid").
A multi-value slot compares as the comma-separated list of its values. `parse` raises
`ConditionSyntaxError` (with the column) for anything else, so the loader refuses it up front.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

MAX_EXPRESSION_CHARS = 1024


class ConditionSyntaxError(ValueError):
    """The expression is not in Lex's condition language."""


@dataclass(frozen=True)
class Ref:
    kind: str  # "slot", "session", "request", "inputMode", "inputTranscript"
    name: str


@dataclass(frozen=True)
class Compare:
    ref: Ref
    op: str  # = != < <= > >= CONTAINS IN NOTIN
    values: tuple[str | float, ...]


@dataclass(frozen=True)
class Exists:
    ref: Ref


@dataclass(frozen=True)
class Not:
    inner: Expression


@dataclass(frozen=True)
class BoolOp:
    op: str  # AND, OR
    left: Expression
    right: Expression


Expression = Compare | Exists | Not | BoolOp


@dataclass(frozen=True)
class Environment:
    """What a condition can read."""

    slots: Mapping[str, Sequence[str] | None]  # interpreted values (several for a multi-value slot)
    session_attributes: Mapping[str, str]
    request_attributes: Mapping[str, str]
    input_mode: str = "Text"
    input_transcript: str = ""


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<slot>\{[A-Za-z0-9_.-]+\})
      | (?P<request>\(\([^()\s]+\)\))
      | (?P<session>\[[^\[\]"',]+\])
      | (?P<input>\$\.(?:inputMode|inputTranscript)\b)
      | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
      | (?P<number>-?(?:\d+\.?\d*|\.\d+))
      | (?P<op><=|>=|!=|=|<|>|&&|\|\||!|\(|\)|,|\[|\])
      | (?P<word>[A-Za-z_]+)
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"AND", "OR", "NOT", "IN", "CONTAINS", "EXISTS"}


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    column: int


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            column = position + len(text[position:]) - len(text[position:].lstrip()) + 1
            raise ConditionSyntaxError(f"unexpected character at column {column}: {text[column - 1]!r}")
        kind = match.lastgroup or ""
        raw = match.group(kind)
        column = match.start(kind) + 1
        if kind == "word":
            if raw.upper() not in _KEYWORDS:
                raise ConditionSyntaxError(
                    f"unknown word {raw!r} at column {column} (functions and operators: "
                    + ", ".join(sorted(_KEYWORDS))
                    + ")"
                )
            raw = raw.upper()
        tokens.append(_Token(kind, raw, column))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.index = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.peek()
        if token is None:
            raise ConditionSyntaxError("the expression ends too early")
        self.index += 1
        return token

    def expect(self, text: str) -> None:
        token = self.take()
        if token.text != text:
            raise ConditionSyntaxError(f"expected {text!r} at column {token.column}, found {token.text!r}")

    def at(self, *texts: str) -> bool:
        token = self.peek()
        return token is not None and token.kind in ("op", "word") and token.text in texts

    def expression(self) -> Expression:
        left = self.conjunction()
        while self.at("OR", "||"):
            self.take()
            left = BoolOp("OR", left, self.conjunction())
        return left

    def conjunction(self) -> Expression:
        left = self.negation()
        while self.at("AND", "&&"):
            self.take()
            left = BoolOp("AND", left, self.negation())
        return left

    def negation(self) -> Expression:
        if self.at("NOT", "!"):
            self.take()
            return Not(self.negation())
        return self.primary()

    def primary(self) -> Expression:
        if self.at("("):
            self.take()
            inner = self.expression()
            self.expect(")")
            return inner
        if self.at("EXISTS"):
            self.take()
            self.expect("(")
            ref = self.reference()
            self.expect(")")
            return Exists(ref)
        ref = self.reference()
        token = self.take()
        if token.text in ("=", "!=", "<", "<=", ">", ">="):
            return Compare(ref, token.text, (self.constant(),))
        if token.text == "CONTAINS":
            return Compare(ref, "CONTAINS", (self.constant(),))
        if token.text == "IN":
            return Compare(ref, "IN", self.constants())
        if token.text == "NOT" and self.at("IN"):
            self.take()
            return Compare(ref, "NOTIN", self.constants())
        raise ConditionSyntaxError(f"expected a comparison at column {token.column}, found {token.text!r}")

    def reference(self) -> Ref:
        token = self.take()
        if token.kind == "slot":
            return Ref("slot", token.text[1:-1])
        if token.kind == "session":
            return Ref("session", token.text[1:-1].strip())
        if token.kind == "request":
            return Ref("request", token.text[2:-2])
        if token.kind == "input":
            return Ref(token.text[2:], "")
        raise ConditionSyntaxError(
            f"expected {{slot}}, [sessionAttribute], ((requestAttribute)), $.inputMode or "
            f"$.inputTranscript at column {token.column}, found {token.text!r}"
        )

    def constant(self) -> str | float:
        token = self.take()
        if token.kind == "string":
            return re.sub(r"\\(.)", r"\1", token.text[1:-1])
        if token.kind == "number":
            return float(token.text)
        raise ConditionSyntaxError(
            f"expected a constant (a quoted string or a number) at column {token.column}, "
            f"found {token.text!r}"
        )

    def constants(self) -> tuple[str | float, ...]:
        closing = {"(": ")", "[": "]"}
        token = self.take()
        if token.text not in closing:
            raise ConditionSyntaxError(f'expected a list like ("a", "b") at column {token.column}')
        values = [self.constant()]
        while self.at(","):
            self.take()
            values.append(self.constant())
        self.expect(closing[token.text])
        return tuple(values)


def parse(text: str) -> Expression:
    """Parse a condition; `ConditionSyntaxError` says what is wrong and where."""
    if not text.strip():
        raise ConditionSyntaxError("the expression is empty")
    if len(text) > MAX_EXPRESSION_CHARS:
        raise ConditionSyntaxError(f"the expression is longer than {MAX_EXPRESSION_CHARS} characters")
    parser = _Parser(text)
    expression = parser.expression()
    rest = parser.peek()
    if rest is not None:
        raise ConditionSyntaxError(f"unexpected {rest.text!r} at column {rest.column}")
    return expression


class _UnsetError(Exception):
    """A comparison referred to something that is not set."""


def _values(ref: Ref, env: Environment) -> list[str] | None:
    if ref.kind == "slot":
        values = env.slots.get(ref.name)
        return list(values) if values else None
    if ref.kind == "session":
        value = env.session_attributes.get(ref.name)
    elif ref.kind == "request":
        value = env.request_attributes.get(ref.name)
    elif ref.kind == "inputMode":
        value = env.input_mode
    else:
        value = env.input_transcript
    return None if value is None else [value]


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", "")) if text.strip() else None
    except ValueError:
        return None


def _compare(left: str, op: str, right: str | float) -> bool:
    if isinstance(right, float):
        number = _number(left)
        if number is None:
            return op == "!="
        a: str | float = number
        b: str | float = right
    else:
        a, b = left.casefold(), right.casefold()
    if op == "=":
        return a == b
    if op == "!=":
        return a != b
    if type(a) is not type(b):  # pragma: no cover - both sides are made the same type above
        return False
    if op == "<":
        return a < b  # type: ignore[operator]
    if op == "<=":
        return a <= b  # type: ignore[operator]
    if op == ">":
        return a > b  # type: ignore[operator]
    return a >= b  # type: ignore[operator]


def _evaluate(expression: Expression, env: Environment) -> bool:
    if isinstance(expression, BoolOp):
        left = _evaluate(expression.left, env)
        if expression.op == "AND":
            return left and _evaluate(expression.right, env)
        return left or _evaluate(expression.right, env)
    if isinstance(expression, Not):
        return not _evaluate(expression.inner, env)
    if isinstance(expression, Exists):
        return _values(expression.ref, env) is not None
    values = _values(expression.ref, env)
    if values is None:
        raise _UnsetError
    if expression.op == "CONTAINS":
        wanted = str(expression.values[0]).casefold()
        return any(value.casefold() == wanted for value in values)
    joined = ", ".join(values)
    if expression.op in ("IN", "NOTIN"):
        found = any(_compare(joined, "=", candidate) for candidate in expression.values)
        return found if expression.op == "IN" else not found
    return _compare(joined, expression.op, expression.values[0])


def evaluate(expression: Expression, env: Environment) -> bool:
    """Whether the condition holds; false when it compares something not set."""
    try:
        return _evaluate(expression, env)
    except _UnsetError:
        return False
