"""The page's delivery: private bucket, CloudFront with OAC and security headers, /chat to the API."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App

from cdk_chatbot.app_factory import PROJECT_ROOT, add_chatbot
from cdk_chatbot.page_config import PageConfigError
from cdk_chatbot.page_texts import GENERIC_TEXTS
from cdk_chatbot.stack import page_bot_name
from cdk_chatbot.web import CONTENT_SECURITY_POLICY
from devserver.settings import read_bot_info
from tests.bots import HELLO_WORLD, definition
from tests.infra.cfn import as_list, only, props, render, resources
from tests.infra.conftest import Synth, _synth, cdk_context

# AWS-managed CloudFront policies (fixed ids, documented by AWS).
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
ALL_METHODS = {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"}


def _distribution(synth: Synth) -> tuple[str, dict[str, Any]]:
    distribution_id, distribution = only(synth.template, "AWS::CloudFront::Distribution")
    return distribution_id, props(distribution)["DistributionConfig"]


def _site_bucket(synth: Synth) -> tuple[str, dict[str, Any]]:
    """The page's bucket (the one the BucketDeployment writes to; the other holds access logs)."""
    (deployment,) = resources(synth.template, "Custom::CDKBucketDeployment").values()
    bucket_id = props(deployment)["DestinationBucketName"]["Ref"]
    return bucket_id, synth.template["Resources"][bucket_id]


def test_bucket_is_private_and_unnamed(synth: Synth) -> None:
    _, bucket = _site_bucket(synth)
    p = props(bucket)
    assert p["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert "BucketName" not in p
    assert "WebsiteConfiguration" not in p
    assert p["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}


def test_bucket_policy_denies_plain_http_and_admits_only_this_distribution(synth: Synth) -> None:
    bucket_id, _ = _site_bucket(synth)
    distribution_id, _ = _distribution(synth)
    (policy,) = [
        p
        for p in resources(synth.template, "AWS::S3::BucketPolicy").values()
        if props(p)["Bucket"] == {"Ref": bucket_id}
    ]
    assert props(policy)["Bucket"] == {"Ref": bucket_id}
    statements = props(policy)["PolicyDocument"]["Statement"]
    tls = [s for s in statements if s["Effect"] == "Deny"]
    assert tls
    assert tls[0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert tls[0]["Principal"] == {"AWS": "*"}
    allows = [s for s in statements if s["Effect"] == "Allow"]
    assert len(allows) == 1
    (allow,) = allows
    assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert as_list(allow["Action"]) == ["s3:GetObject"]
    source_arn = allow["Condition"]["StringEquals"]["AWS:SourceArn"]
    assert f"${{{distribution_id}}}" in render(source_arn)


def test_cloudfront_uses_origin_access_control_not_an_identity(synth: Synth) -> None:
    oac_id, oac = only(synth.template, "AWS::CloudFront::OriginAccessControl")
    assert props(oac)["OriginAccessControlConfig"]["SigningBehavior"] == "always"
    assert not resources(synth.template, "AWS::CloudFront::CloudFrontOriginAccessIdentity")
    _, config = _distribution(synth)
    (s3_origin,) = [o for o in config["Origins"] if "S3OriginConfig" in o]
    assert s3_origin["OriginAccessControlId"] == {"Fn::GetAtt": [oac_id, "Id"]}
    assert s3_origin["S3OriginConfig"].get("OriginAccessIdentity", "") == ""


def test_page_is_served_over_https_from_chat_html(synth: Synth) -> None:
    _, config = _distribution(synth)
    assert config["DefaultRootObject"] == "chat.html"
    default = config["DefaultCacheBehavior"]
    assert default["ViewerProtocolPolicy"] == "redirect-to-https"
    assert set(default["AllowedMethods"]) == {"GET", "HEAD"}


def test_security_headers_on_every_response(synth: Synth) -> None:
    policy_id, policy = only(synth.template, "AWS::CloudFront::ResponseHeadersPolicy")
    headers = props(policy)["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    csp = headers["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    assert csp == CONTENT_SECURITY_POLICY
    directives = {d.split()[0]: d.split()[1:] for d in csp.split("; ")}
    assert directives["default-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    for forbidden in ("unsafe-inline", "unsafe-eval", "http", "*", "data:"):
        assert forbidden not in csp
    assert headers["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31_536_000
    assert headers["ContentTypeOptions"]["Override"] is True
    assert headers["FrameOptions"]["FrameOption"] == "DENY"
    assert headers["ReferrerPolicy"]["ReferrerPolicy"] in {"no-referrer", "strict-origin-when-cross-origin"}
    assert all(h["Override"] is True for h in headers.values())
    _, config = _distribution(synth)
    for behavior in [config["DefaultCacheBehavior"], *config["CacheBehaviors"]]:
        assert behavior["ResponseHeadersPolicyId"] == {"Ref": policy_id}


@pytest.mark.parametrize("path", ["/chat", "/chat/*"])
def test_chat_behavior_forwards_everything_to_the_rest_api_uncached(synth: Synth, path: str) -> None:
    """/chat/* carries the streamed answers' routes: the answer and conversation token headers and
    Last-Event-ID reach the API (every viewer header but Host), and so does `?after=N`."""
    api_id, _ = only(synth.template, "AWS::ApiGateway::RestApi")
    _, config = _distribution(synth)
    assert sorted(b["PathPattern"] for b in config["CacheBehaviors"]) == ["/chat", "/chat/*"]
    (chat,) = [b for b in config["CacheBehaviors"] if b["PathPattern"] == path]
    assert set(chat["AllowedMethods"]) == ALL_METHODS
    assert chat["CachePolicyId"] == CACHING_DISABLED
    assert chat["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST_HEADER
    assert chat["ViewerProtocolPolicy"] == "https-only"
    (origin,) = [o for o in config["Origins"] if o["Id"] == chat["TargetOriginId"]]
    assert json.dumps({"Ref": api_id}) in json.dumps(origin["DomainName"])
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"


def test_chat_and_its_subpaths_share_one_api_origin_and_the_viewer_ip_function(synth: Synth) -> None:
    _, config = _distribution(synth)
    behaviours = {b["PathPattern"]: b for b in config["CacheBehaviors"]}
    assert behaviours["/chat"]["TargetOriginId"] == behaviours["/chat/*"]["TargetOriginId"]
    assert behaviours["/chat"]["FunctionAssociations"] == behaviours["/chat/*"]["FunctionAssociations"]
    assert len(config["Origins"]) == 2  # the page's bucket and the API


def test_page_files_are_deployed_and_removed_with_the_stack(synth: Synth) -> None:
    bucket_id, bucket = _site_bucket(synth)
    distribution_id, _ = _distribution(synth)
    (deployment,) = resources(synth.template, "Custom::CDKBucketDeployment").values()
    p = props(deployment)
    assert p["DestinationBucketName"] == {"Ref": bucket_id}
    assert p["RetainOnDelete"] is False
    assert p["DistributionId"] == {"Ref": distribution_id}
    assert p["DistributionPaths"] == ["/*"]
    assert bucket["DeletionPolicy"] == "Delete"


def _deployed_page_configs(synth: Synth) -> list[dict[str, Any]]:
    """Every config.json among the synthesized page assets (staged folders or zips)."""
    found = [json.loads(path.read_text(encoding="utf-8")) for path in synth.outdir.rglob("config.json")]
    for archive in synth.outdir.glob("*.zip"):
        with zipfile.ZipFile(archive) as zipped:
            found += [json.loads(zipped.read(n)) for n in zipped.namelist() if n == "config.json"]
    return found


def _staged_page_files(synth: Synth) -> set[str]:
    """The file names of the synthesized page asset (the staged folder or zip holding chat.html)."""
    names = {p.name for page in synth.outdir.rglob("chat.html") for p in page.parent.iterdir()}
    for archive in synth.outdir.glob("*.zip"):
        with zipfile.ZipFile(archive) as zipped:
            if "chat.html" in zipped.namelist():
                names |= set(zipped.namelist())
    return names


def test_every_page_file_is_shipped(synth: Synth) -> None:
    """The page's modules are plain files of html/: the deployment takes the whole folder."""
    wanted = {p.name for p in (PROJECT_ROOT / "html").iterdir() if p.is_file()} - {"config.json"}
    assert {"chat.js", "message_list.js", "composer.js", "chat_request.js"} <= wanted
    staged = _staged_page_files(synth)
    assert wanted <= staged, sorted(wanted - staged)


@pytest.mark.parametrize("which", ["synth", "variant"])
def test_page_config_is_generated_from_the_bot_and_the_default_locale(
    which: str, request: pytest.FixtureRequest
) -> None:
    built: Synth = request.getfixturevalue(which)
    (deployment,) = resources(built.template, "Custom::CDKBucketDeployment").values()
    assert len(props(deployment)["SourceObjectKeys"]) == 2  # the page, then its generated config.json

    (config,) = _deployed_page_configs(built)  # the checked-in html/config.json is not shipped
    assert config["defaultLocale"] == built.context["defaultLocale"]
    assert config["locales"] == list(built.definition.locale_ids)
    assert list(config["page"]) == list(built.definition.locale_ids)  # the page's texts, per locale
    generated = {"defaultLocale", "locales", "page"}
    checked_in = json.loads((PROJECT_ROOT / "html" / "config.json").read_text(encoding="utf-8"))
    assert {k: v for k, v in config.items() if k not in generated} == {
        k: v for k, v in checked_in.items() if k not in generated
    }


def test_the_frozen_helloworld_page_keeps_its_texts(synth: Synth) -> None:
    (config,) = _deployed_page_configs(synth)
    assert config["page"]["ko_KR"]["title"] == "HelloWorldBot"
    assert config["page"]["ko_KR"]["suggestions"] == ["안녕하세요", "Lex에 대해 설명해줘"]
    assert config["page"]["en_US"]["welcome"] == (
        "Say hello and Lex will ask your name. Anything else is answered by an LLM."
    )


def user_bot_folder(root: Path, page_texts: Any | None) -> Path:
    """A user's own bot for `make deploy BOT=.../plant_shop/bot.json`: one locale (en_US), two intents
    of its own (one of them with a slot in its first utterance), the stack's FallbackIntent, and
    `page_texts` as its page.json."""
    data = definition(HELLO_WORLD)
    (english,) = [entry for entry in data["BotLocales"] if entry["LocaleId"] == "en_US"]
    fallback = next(i for i in english["Intents"] if i["Name"] == "FallbackIntent")
    answer = {"MessageGroupsList": [{"Message": {"PlainTextMessage": {"Value": "Noted."}}}]}
    own = [
        {
            "Name": name,
            "SampleUtterances": [{"Utterance": u} for u in utterances],
            "IntentClosingSetting": {"ClosingResponse": answer},
        }
        for name, utterances in (
            ("OpeningHours", ["{Day} opening hours", "when do you open", "are you open today"]),
            ("RepotAdvice", ["how do I repot a cactus", "repotting tips"]),
        )
    ]
    day = {"SlotConstraint": "Optional"}
    own[0]["Slots"] = [{"Name": "Day", "SlotTypeName": "AMAZON.Date", "ValueElicitationSetting": day}]
    own[0]["SlotPriorities"] = [{"Priority": 1, "SlotName": "Day"}]
    data["BotLocales"] = [
        {**english, "Description": "Answers a plant shop's customers", "Intents": [*own, fallback]}
    ]
    folder = root / "plant_shop"
    folder.mkdir()
    (folder / "bot.json").write_text(json.dumps(data), encoding="utf-8")
    if page_texts is not None:
        (folder / "page.json").write_text(json.dumps(page_texts), encoding="utf-8")
    return folder / "bot.json"


def user_bot_context(bot_file: Path) -> dict[str, Any]:
    return {
        **cdk_context(),
        "stackName": "ChatbotPlantShop",
        "botDefinition": str(bot_file),
        "defaultLocale": "en_US",
    }


def test_a_user_bots_page_config_carries_that_bots_texts(tmp_path: Path) -> None:
    bot_file = user_bot_folder(tmp_path, {"en_US": {"title": "Plant shop"}})

    built = _synth(tmp_path / "cdk.out", user_bot_context(bot_file))

    (config,) = _deployed_page_configs(built)
    assert config["locales"] == ["en_US"]
    assert config["page"]["en_US"] == {
        "title": "Plant shop",  # from its page.json
        "welcome": "Answers a plant shop's customers",  # the locale's Description
        # the first utterance without a slot of each of its intents, then one question for the LLM
        "suggestions": ["when do you open", "how do I repot a cactus", GENERIC_TEXTS["en"]["question"]],
    }


def test_a_user_bot_is_named_after_its_folder(tmp_path: Path) -> None:
    built = _synth(tmp_path / "cdk.out", user_bot_context(user_bot_folder(tmp_path, None)))

    (config,) = _deployed_page_configs(built)
    assert config["page"]["en_US"]["title"] == "PlantShopBot"  # as `make serve BOT=...` names it


@pytest.mark.parametrize(
    "bot_file", ["bot/bot.json", "examples/coffee_shop/bot.json", "tests/corpus/bots/order_flowers.json"]
)
def test_the_stacks_page_names_a_bot_as_the_dev_server_does(bot_file: str) -> None:
    path = PROJECT_ROOT / bot_file
    assert page_bot_name(path, PROJECT_ROOT) == read_bot_info(path, None).name


def test_a_bad_page_json_refuses_the_synth_naming_the_field(tmp_path: Path) -> None:
    bot_file = user_bot_folder(tmp_path, {"en_US": {"welcome": ""}})
    app = App(context=user_bot_context(bot_file), outdir=str(tmp_path / "cdk.out"))

    with pytest.raises(PageConfigError, match=r"page\.json: en_US\.welcome must be a non-empty string"):
        add_chatbot(app)
