"""Lex's condition language (Lex V2 guide: "Add conditions to branch conversations")."""

from __future__ import annotations

import pytest

from lex_emulator.conditions import ConditionSyntaxError, Environment, evaluate, parse

ENV = Environment(
    slots={
        "age": ["23"],
        "make": ["Honda"],
        "model": ["Civic"],
        "toppings": ["ham", "pineapple"],
        "empty": None,
    },
    session_attributes={"tier": "gold", "visits": "3"},
    request_attributes={"channel": "web"},
    input_transcript="hello there",
)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("{age} < 24", True),
        ("{age} >= 24", False),
        ("{age} = 23", True),
        ('({make} = "honda") AND ({model} = "Civic")', True),
        ('{make} = "Honda" && {model} = "Accord"', False),
        ('{make} = "Toyota" || [tier] = "gold"', True),
        ('NOT {make} = "Toyota"', True),
        ('!({make} = "Honda")', False),
        ('{toppings} CONTAINS "Pineapple"', True),
        ('{toppings} CONTAINS "olive"', False),
        ('{toppings} = "ham, pineapple"', True),
        ('[tier] IN ("silver", "gold")', True),
        ('[tier] NOT IN ("silver", "gold")', False),
        ("[visits] > 2.5", True),
        ('((channel)) != "phone"', True),
        ('$.inputMode = "Text"', True),
        ('$.inputTranscript = "Hello there"', True),
        ("EXISTS({age})", True),
        ("EXISTS({empty})", False),
        ("NOT EXISTS([missing])", True),
        ('{empty} = "x"', False),
        ('{empty} != "x"', False),  # a comparison on an unset value is not evaluated
        ('{empty} != "x" OR [tier] = "gold"', False),
        ('{make} = "Honda" AND ({age} < 10 OR {age} > 20)', True),
    ],
)
def test_conditions_evaluate_as_the_guide_describes(expression: str, expected: bool) -> None:
    assert evaluate(parse(expression), ENV) is expected


@pytest.mark.parametrize(
    ("expression", "problem"),
    [
        ("", "empty"),
        ('{age} LIKE "2%"', "unknown word 'LIKE'"),
        ("{age} <", "ends too early"),
        ("{age} < 24 24", "unexpected '24'"),
        ('"a" = {age}', "expected {slot}"),
        ("{age} = {make}", "expected a constant"),
        ("({age} < 3", "ends too early"),
        ("{age} ~ 3", "unexpected character"),
        ('[tier] IN "gold"', "expected a list"),
    ],
)
def test_bad_expressions_are_refused_with_the_reason(expression: str, problem: str) -> None:
    with pytest.raises(ConditionSyntaxError, match=problem.replace("(", r"\(").replace("{", r"\{")):
        parse(expression)
