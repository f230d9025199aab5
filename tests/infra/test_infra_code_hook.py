"""The code hook as deployed for a bot with its own intent handlers (the coffee-shop example): the
router is the alias's code hook in every locale, every hooked intent reaches it, its asset holds the
handlers and the bot definition, and handlers that do not fit the bot stop the synth."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cdk_chatbot.app_factory import PROJECT_ROOT
from cdk_chatbot.code_hook import check_handlers
from cdk_chatbot.config import ConfigError
from tests.infra.cfn import function_by_handler, llm_key_secret, only, props
from tests.infra.conftest import EXAMPLE_BOT, Synth

CODE_HOOK_HANDLER = "lambda_codehook.handler.handler"


def _code_hook_arn(synth: Synth) -> dict[str, list[str]]:
    function_id, _ = function_by_handler(synth.template, CODE_HOOK_HANDLER)
    return {"Fn::GetAtt": [function_id, "Arn"]}


def test_the_router_is_the_alias_code_hook_in_every_locale(example: Synth) -> None:
    _, alias = only(example.template, "AWS::Lex::BotAlias")
    settings = {s["LocaleId"]: s["BotAliasLocaleSetting"] for s in props(alias)["BotAliasLocaleSettings"]}

    assert sorted(settings) == ["en_US", "ko_KR"]
    for setting in settings.values():
        assert setting["CodeHookSpecification"]["LambdaCodeHook"]["LambdaArn"] == _code_hook_arn(example)


def test_every_hooked_intent_is_in_a_locale_whose_code_hook_is_the_router(example: Synth) -> None:
    _, bot = only(example.template, "AWS::Lex::Bot")
    _, alias = only(example.template, "AWS::Lex::BotAlias")
    routed = {
        s["LocaleId"]
        for s in props(alias)["BotAliasLocaleSettings"]
        if s["BotAliasLocaleSetting"]["CodeHookSpecification"]["LambdaCodeHook"]["LambdaArn"]
        == _code_hook_arn(example)
    }
    hooked = [
        (locale["LocaleId"], intent["Name"])
        for locale in props(bot)["BotLocales"]
        for intent in locale["Intents"]
        if intent.get("DialogCodeHook", {}).get("Enabled")
        or intent.get("FulfillmentCodeHook", {}).get("Enabled")
    ]

    assert ("ko_KR", "OrderCoffee") in hooked
    assert ("en_US", "FallbackIntent") in hooked
    assert {locale for locale, _ in hooked} <= routed


def test_the_asset_holds_the_handlers_as_a_package_and_the_bot_definition(example: Synth) -> None:
    _, function = function_by_handler(example.template, CODE_HOOK_HANDLER)
    asset = example.outdir / f"asset.{props(function)['Code']['S3Key'].removesuffix('.zip')}"
    handlers = PROJECT_ROOT / "examples" / "coffee_shop" / "handlers"

    shipped = sorted(p.name for p in (asset / "intent_handlers").iterdir())
    assert shipped == sorted(p.name for p in handlers.iterdir() if p.suffix == ".py")
    assert (asset / "intent_handlers" / "order_coffee.py").read_bytes() == (
        handlers / "order_coffee.py"
    ).read_bytes()
    bundled = json.loads((asset / "bot_definition.json").read_text(encoding="utf-8"))
    assert bundled == json.loads((PROJECT_ROOT / EXAMPLE_BOT).read_text(encoding="utf-8"))
    assert (asset / "lexhook" / "responses.py").is_file()
    assert (asset / "lambda_codehook" / "router.py").is_file()


def test_a_changed_handler_changes_the_asset(example: Synth, tmp_path: Path) -> None:
    from cdk_chatbot.packaging import AssetPart, _PackageBundler

    handlers = shutil.copytree(PROJECT_ROOT / "examples" / "coffee_shop" / "handlers", tmp_path / "handlers")

    def fingerprint() -> str:
        part = AssetPart("intent_handlers", source=handlers, package=True)
        bundler = _PackageBundler(
            package_dir=PROJECT_ROOT / "lambda_codehook",
            requirements=(),
            python_version="3.14",
            extra_parts=(part,),
        )
        return bundler.fingerprint()

    before = fingerprint()
    (handlers / "_menu.py").write_text("MAX_CUPS = 12\n", encoding="utf-8")
    assert fingerprint() != before


def test_handlers_that_do_not_fit_the_bot_stop_the_synth_naming_the_file(tmp_path: Path) -> None:
    handlers = tmp_path / "handlers"
    handlers.mkdir()
    (handlers / "order_cofee.py").write_text("def dialog(request):\n    return None\n", encoding="utf-8")
    definition = (PROJECT_ROOT / EXAMPLE_BOT).read_bytes()

    with pytest.raises(ConfigError) as info:
        check_handlers(PROJECT_ROOT, definition, handlers, "my/bot.json")

    assert "order_cofee.py: no intent of my/bot.json is named like it" in str(info.value)
    assert "OrderCoffee" in str(info.value)


def test_the_handlers_requirements_are_installed_with_the_lambdas_own(tmp_path: Path) -> None:
    from cdk_chatbot.code_hook import handler_requirements

    (tmp_path / "requirements.txt").write_text("# for the menu\nbabel==2.17.0\n\npytz==2025.2  # zones\n")

    assert handler_requirements(tmp_path) == ["babel==2.17.0", "pytz==2025.2"]
    assert handler_requirements(tmp_path / "missing") == []
    assert handler_requirements(None) == []
    (tmp_path / "requirements.txt").write_text("--index-url https://example.invalid/simple\n")
    with pytest.raises(ConfigError, match="only package requirements are supported"):
        handler_requirements(tmp_path)


def test_the_example_bot_matches_the_cloudformation_schema_and_lex_limits() -> None:
    from cdk_chatbot import bot_limits
    from cdk_chatbot.bot_definition import BotDefinition
    from tests.infra.test_infra_bot_definition import _schema_errors

    definition = BotDefinition.from_file(PROJECT_ROOT / EXAMPLE_BOT)

    assert _schema_errors(dict(definition.properties)) == []
    assert bot_limits.problems(definition) == []


def test_the_example_template_is_cfn_lint_clean(example: Synth) -> None:
    from cfnlint.api import ManualArgs, lint

    from tests.infra.test_infra_hygiene import LINT_REGIONS

    matches = lint(
        json.dumps(example.template), config=ManualArgs(regions=LINT_REGIONS, ignore_checks=["W3005", "I"])
    )
    assert not matches, "\n".join(str(m) for m in matches)


def test_the_api_key_secret_keeps_its_logical_id_across_the_rename_so_an_update_keeps_the_key(
    synth: Synth,
) -> None:
    from cdk_chatbot.code_hook import SECRET_LOGICAL_ID

    secret_id, _ = llm_key_secret(synth.template)

    # The id CloudFormation knew when the construct was LlmFallback: a new id would replace the secret.
    assert secret_id == SECRET_LOGICAL_ID == "LlmFallbackApiKeySecret96A1D00E"
