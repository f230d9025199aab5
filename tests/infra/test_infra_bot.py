"""The Lex bot as deployed (the frozen HelloWorld of tests/bots): published by digest, `live` alias
wired to the code hook."""

from __future__ import annotations

import re

from cdk_chatbot.bot_definition import BotDefinition
from tests.infra.cfn import only, props, render, resources, role_statements
from tests.infra.conftest import Synth

LEX_NAME_RE = re.compile(r"^([0-9a-zA-Z][_-]?){1,100}$")


def _code_hook_function_id(synth: Synth) -> str:
    (function_id,) = [
        k
        for k, v in resources(synth.template, "AWS::Lambda::Function").items()
        if props(v).get("Handler") == "lambda_codehook.handler.handler"
    ]
    return function_id


def test_bot_is_the_definition_plus_deployment_settings(synth: Synth) -> None:
    _, bot = only(synth.template, "AWS::Lex::Bot")
    p = props(bot)
    definition = synth.definition.properties
    assert p["BotLocales"] == definition["BotLocales"]
    assert p["IdleSessionTTLInSeconds"] == definition["IdleSessionTTLInSeconds"]
    assert p["Description"] == definition["Description"]
    assert p["DataPrivacy"] == {"ChildDirected": False}
    assert p["AutoBuildBotLocales"] is True


def test_bot_name_is_generated_within_lex_rules_and_differs_per_stack(synth: Synth, variant: Synth) -> None:
    name = props(only(synth.template, "AWS::Lex::Bot")[1])["Name"]
    other = props(only(variant.template, "AWS::Lex::Bot")[1])["Name"]
    for bot_name, stack_name in ((name, synth.stack_name), (other, variant.stack_name)):
        assert isinstance(bot_name, str)
        assert LEX_NAME_RE.fullmatch(bot_name), bot_name
        assert bot_name.startswith(stack_name)
    assert name != other


def test_bot_role_is_assumable_by_lex_only(synth: Synth) -> None:
    bot = props(only(synth.template, "AWS::Lex::Bot")[1])
    role_id = bot["RoleArn"]["Fn::GetAtt"][0]
    trust = props(synth.template["Resources"][role_id])["AssumeRolePolicyDocument"]["Statement"]
    # Its conditions (this account's bots only) are checked in test_infra_bot_role.py.
    assert [{k: v for k, v in s.items() if k != "Condition"} for s in trust] == [
        {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "lexv2.amazonaws.com"}}
    ]
    assert "ManagedPolicyArns" not in props(synth.template["Resources"][role_id])
    statements = role_statements(synth.template, role_id)
    assert [s["Action"] for s in statements] == ["polly:SynthesizeSpeech"]


def test_version_is_published_from_draft_and_named_by_the_definition_digest(synth: Synth) -> None:
    version_id, version = only(synth.template, "AWS::Lex::BotVersion")
    digest = synth.definition.digest
    assert digest[:16] in version_id
    assert digest in props(version)["Description"]
    bot_id = only(synth.template, "AWS::Lex::Bot")[0]
    assert props(version)["BotId"] == {"Fn::GetAtt": [bot_id, "Id"]}
    specs = props(version)["BotVersionLocaleSpecification"]
    assert [s["LocaleId"] for s in specs] == list(synth.definition.locale_ids)
    assert {s["BotVersionLocaleDetails"]["SourceBotVersion"] for s in specs} == {"DRAFT"}


def test_changed_definition_publishes_a_new_version(synth: Synth, variant: Synth) -> None:
    assert variant.definition.digest != synth.definition.digest
    version_id = only(synth.template, "AWS::Lex::BotVersion")[0]
    variant_version_id = only(variant.template, "AWS::Lex::BotVersion")[0]
    assert version_id != variant_version_id


def test_digest_ignores_key_order_but_not_content(synth: Synth) -> None:
    data = dict(synth.definition.properties)
    reordered = BotDefinition.from_dict(dict(reversed(list(data.items()))))
    assert reordered.digest == synth.definition.digest
    changed = BotDefinition.from_dict(
        {**data, "IdleSessionTTLInSeconds": data["IdleSessionTTLInSeconds"] + 1}
    )
    assert changed.digest != synth.definition.digest


def test_live_alias_serves_the_published_version_with_the_code_hook_in_every_locale(synth: Synth) -> None:
    _, alias = only(synth.template, "AWS::Lex::BotAlias")
    p = props(alias)
    version_id = only(synth.template, "AWS::Lex::BotVersion")[0]
    assert p["BotAliasName"] == "live"
    assert p["BotVersion"] == {"Fn::GetAtt": [version_id, "BotVersion"]}
    fallback_id = _code_hook_function_id(synth)
    settings = {s["LocaleId"]: s["BotAliasLocaleSetting"] for s in p["BotAliasLocaleSettings"]}
    assert sorted(settings) == sorted(synth.definition.locale_ids)
    for setting in settings.values():
        assert setting["Enabled"] is True
        hook = setting["CodeHookSpecification"]["LambdaCodeHook"]
        assert hook == {"CodeHookInterfaceVersion": "1.0", "LambdaArn": {"Fn::GetAtt": [fallback_id, "Arn"]}}


def test_code_hook_lambda_admits_lex_for_this_bots_aliases_only(synth: Synth) -> None:
    fallback_arn = {"Fn::GetAtt": [_code_hook_function_id(synth), "Arn"]}
    bot_id = only(synth.template, "AWS::Lex::Bot")[0]
    on_fallback = [
        props(p)
        for p in resources(synth.template, "AWS::Lambda::Permission").values()
        if props(p)["FunctionName"] == fallback_arn
    ]
    assert len(on_fallback) == 1, "only Lex may invoke the code hook"
    (permission,) = on_fallback
    assert permission["Principal"] == "lexv2.amazonaws.com"
    assert permission["Action"] == "lambda:InvokeFunction"
    assert render(permission["SourceArn"]) == (
        f"arn:${{AWS::Partition}}:lex:${{AWS::Region}}:${{AWS::AccountId}}:bot-alias/${{{bot_id}.Id}}/*"
    )
    assert permission["SourceAccount"] == {"Ref": "AWS::AccountId"}


def test_alias_waits_for_the_invoke_permission(synth: Synth) -> None:
    alias_id, alias = only(synth.template, "AWS::Lex::BotAlias")
    permission_ids = [
        k
        for k, v in resources(synth.template, "AWS::Lambda::Permission").items()
        if props(v)["Principal"] == "lexv2.amazonaws.com"
    ]
    assert set(permission_ids) <= set(alias.get("DependsOn", [])), alias_id
