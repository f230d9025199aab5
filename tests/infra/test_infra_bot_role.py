"""The Lex bot's role: only lexv2.amazonaws.com may assume it, and only for bots of this account and
region (aws:SourceAccount and aws:SourceArn, the confused-deputy guard)."""

from __future__ import annotations

import pytest

from tests.infra.cfn import only, props, render
from tests.infra.conftest import Synth


def _trust(synth: Synth) -> list[dict[str, object]]:
    bot = props(only(synth.template, "AWS::Lex::Bot")[1])
    role_id = bot["RoleArn"]["Fn::GetAtt"][0]
    statements: list[dict[str, object]] = props(synth.template["Resources"][role_id])[
        "AssumeRolePolicyDocument"
    ]["Statement"]
    return statements


@pytest.mark.parametrize("fixture", ["synth", "variant"])
def test_lex_may_assume_the_bot_role_only_for_this_accounts_bots(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    synthesized: Synth = request.getfixturevalue(fixture)
    (statement,) = _trust(synthesized)
    assert statement["Effect"] == "Allow"
    assert statement["Principal"] == {"Service": "lexv2.amazonaws.com"}
    condition = statement["Condition"]
    assert isinstance(condition, dict)
    assert condition["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
    arns = [render(arn) for arn in condition["ArnLike"]["aws:SourceArn"]]
    assert sorted(arns) == [
        "arn:${AWS::Partition}:lex:${AWS::Region}:${AWS::AccountId}:bot-alias/*",
        "arn:${AWS::Partition}:lex:${AWS::Region}:${AWS::AccountId}:bot/*",
    ]
