"""The contract checker itself must catch what Lex rejects, or every test that leans on it is hollow."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.lambdas.codehook_contract import problems


def valid() -> dict[str, Any]:
    return {
        "sessionState": {
            "dialogAction": {"type": "Close"},
            "intent": {"name": "FallbackIntent", "state": "Fulfilled"},
            "sessionAttributes": {},
        },
        "messages": [{"contentType": "PlainText", "content": "hi"}],
    }


def test_a_valid_close_has_no_problems() -> None:
    assert problems(valid()) == []


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda r: r.pop("sessionState"), "sessionState is required"),
        (lambda r: r["sessionState"].update(dialogAction={"type": "Finish"}), "dialogAction.type"),
        (lambda r: r["sessionState"].update(dialogAction={"type": "ElicitSlot"}), "slotToElicit"),
        (lambda r: r["sessionState"]["intent"].pop("name"), "needs a name"),
        (lambda r: r["sessionState"]["intent"].update(state="Done"), "intent state"),
        (lambda r: r["sessionState"]["intent"].update(state="ReadyForFulfillment"), "Delegate"),
        (lambda r: r["sessionState"].update(sessionAttributes={"n": 1}), "strings to strings"),
        (lambda r: r["sessionState"].update(sessionAttributes={"big": "x" * 13_000}), "over 12 KB"),
        (lambda r: r.update(messages=[{"contentType": "PlainText", "content": ""}]), "1 to 1024"),
        (lambda r: r.update(messages=[{"contentType": "PlainText", "content": "x" * 1025}]), "1 to 1024"),
        (lambda r: r.update(messages=[{"contentType": "PlainText", "content": "😀" * 513}]), "1 to 1024"),
        (lambda r: r.update(messages=[{"contentType": "Text", "content": "x"}]), "contentType"),
        (lambda r: r.update(messages=[{"contentType": "PlainText", "content": "x"}] * 11), "at most 10"),
        (lambda r: r.update(messages=[{"contentType": "PlainText", "content": "한" * 1000}] * 9), "25 KB"),
        (lambda r: r.update(extra=1), "unknown top-level"),
    ],
)
def test_each_broken_rule_is_reported(mutate, expected: str) -> None:
    response = valid()
    mutate(response)
    assert any(expected in problem for problem in problems(response)), problems(response)
