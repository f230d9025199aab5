"""Every corpus bot is valid CloudFormation: its file validates against the AWS::Lex::Bot resource schema
that cfn-lint ships (the schema CloudFormation itself checks templates against), and loads in the emulator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import cfnlint
import pytest
from jsonschema import Draft7Validator

from tests.corpus.support import BOTS, start_bot

CORPUS = sorted(BOTS.glob("*.json"))


def _lex_bot_schema() -> dict[str, Any]:
    schemas = Path(cfnlint.__file__).parent / "data" / "schemas"
    providers = json.loads((schemas / "providers" / "us-east-1.json").read_text(encoding="utf-8"))
    schema: dict[str, Any] = json.loads(
        (schemas / "resources" / f"{providers['AWS::Lex::Bot']}.json").read_text(encoding="utf-8")
    )
    assert schema["typeName"] == "AWS::Lex::Bot"
    return schema


def _errors(properties: dict[str, Any]) -> list[str]:
    validator = Draft7Validator(_lex_bot_schema())
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(properties)]


def test_the_corpus_has_at_least_twelve_bots() -> None:
    # thirteen CloudFormation files plus the console export built by test_returns_desk_export.py
    assert len(CORPUS) >= 13
    assert (BOTS / "returns_desk_export" / "manifest.json").is_file()


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_bot_is_valid_for_the_cloudformation_schema(path: Path) -> None:
    assert _errors(json.loads(path.read_text(encoding="utf-8"))) == []


def test_the_schema_check_can_fail() -> None:
    bad = json.loads(CORPUS[0].read_text(encoding="utf-8"))
    bad["BotLocales"][0]["Intents"][0]["SampleUtterances"] = ["order flowers"]
    bad["BotLocales"][0]["NluConfidenceThreshold"] = "high"
    errors = _errors(bad)
    assert any("SampleUtterances" in e for e in errors), errors
    assert any("NluConfidenceThreshold" in e for e in errors), errors


def _any_hook(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {"sessionState": {"dialogAction": {"type": "Delegate"}, "intent": event["sessionState"]["intent"]}}


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_bot_loads_in_the_emulator(path: Path) -> None:
    """`start_bot` raises the emulator's BotDefinitionError naming any field it refuses."""
    locales = [locale["LocaleId"] for locale in json.loads(path.read_text(encoding="utf-8"))["BotLocales"]]
    with start_bot(path, _any_hook) as bot:
        for locale in locales:
            answer = bot.dialog(locale, session_id=f"load-{locale}").say("hello")
            assert answer["sessionState"]["intent"]["name"]
