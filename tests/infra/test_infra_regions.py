"""Regions: the supported list matches cfn-lint's region data and the README, covers every resource
type the stack uses, and a synth for any other region fails first with that list."""

from __future__ import annotations

import re

import pytest
from aws_cdk import App

import app as cdk_app
from cdk_chatbot.app_factory import PROJECT_ROOT, add_chatbot
from cdk_chatbot.config import ConfigError
from cdk_chatbot.regions import (
    REGION_ENV,
    SUPPORTED_REGIONS,
    cfn_lint_providers_dir,
    check_region,
    generated_regions,
    resource_types_by_region,
    target_region,
)
from tests.infra.conftest import Synth, cdk_context

# Regions cfn-lint reports without AWS::Lex::Bot or without CloudFront OAC (the examples).
UNSUPPORTED = ("us-east-2", "us-west-1", "eu-north-1", "sa-east-1", "ap-south-1", "cn-north-1")


def test_the_list_is_what_the_installed_cfn_lint_says() -> None:
    assert generated_regions(PROJECT_ROOT / "cdk.json") == SUPPORTED_REGIONS, (
        "cfn-lint's region data changed: run python -m cdk_chatbot.regions and update SUPPORTED_REGIONS "
        "and the README"
    )


def test_the_readme_names_exactly_the_supported_regions() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- supported-regions -->(.*?)<!-- /supported-regions -->", readme, re.S)
    assert block is not None
    assert tuple(re.findall(r"`([a-z0-9-]+)`", block.group(1))) == SUPPORTED_REGIONS


@pytest.mark.parametrize("fixture", ["synth", "example"])
def test_every_resource_type_of_the_stack_exists_in_every_supported_region(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    synthesized: Synth = request.getfixturevalue(fixture)
    used = {r["Type"] for r in synthesized.template["Resources"].values() if r["Type"].startswith("AWS::")}
    available = resource_types_by_region(cfn_lint_providers_dir())
    for region in SUPPORTED_REGIONS:
        missing = used - available[region]
        assert not missing, f"{region} lacks {sorted(missing)}"


@pytest.mark.parametrize("region", UNSUPPORTED)
def test_an_unsupported_region_is_refused_with_the_list(region: str) -> None:
    with pytest.raises(ConfigError) as caught:
        check_region(region)
    message = str(caught.value)
    assert region in message
    assert ", ".join(SUPPORTED_REGIONS) in message
    assert "CloudFormation has no AWS::Lex::Bot" in message
    if region.startswith("cn-"):  # China lacks CloudFront's origin access control as well
        assert "AWS::CloudFront::OriginAccessControl" in message


def test_an_unknown_region_is_refused_too() -> None:
    with pytest.raises(ConfigError, match="mars-north-1 cannot run this stack: it is not a region"):
        check_region("mars-north-1")


@pytest.mark.parametrize("region", SUPPORTED_REGIONS)
def test_a_supported_region_passes(region: str) -> None:
    check_region(region)


def test_no_region_is_a_region_agnostic_synth() -> None:
    assert target_region({}) is None
    assert target_region({REGION_ENV: "  "}) is None
    assert target_region({REGION_ENV: "eu-west-1"}) == "eu-west-1"
    check_region(None)


def test_the_region_is_checked_before_anything_else(monkeypatch: pytest.MonkeyPatch) -> None:
    """Even a broken configuration reports the region first: nothing else is worth fixing there."""
    monkeypatch.setenv(REGION_ENV, "us-east-2")
    app = App(context={**cdk_context(), "llmProvider": "not-a-provider"})
    with pytest.raises(ConfigError, match="us-east-2 cannot run this stack"):
        add_chatbot(app)


def test_app_py_prints_one_line_and_exits_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(REGION_ENV, "sa-east-1")
    assert cdk_app.main() == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: the target region sa-east-1 cannot run this stack: CloudFormation has no")
    assert "\n" not in err
