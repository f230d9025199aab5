"""CloudFront access logs: standard logging to a private, TLS-only, ACL-enabled log bucket whose logs
expire, except in regions CloudFront delivers no standard logs to (decided at deploy time)."""

from __future__ import annotations

from typing import Any

import pytest

from cdk_chatbot.regions import SUPPORTED_REGIONS
from cdk_chatbot.web import ACCESS_LOG_PREFIX, NO_CLOUDFRONT_LOG_DELIVERY_REGIONS
from tests.infra.cfn import only, props, resources
from tests.infra.conftest import Synth


def _logging(synth: Synth) -> dict[str, Any]:
    _, distribution = only(synth.template, "AWS::CloudFront::Distribution")
    logging: dict[str, Any] = props(distribution)["DistributionConfig"]["Logging"]
    return logging


def _log_bucket_id(synth: Synth) -> str:
    _, no_value, enabled = _logging(synth)["Fn::If"]
    assert no_value == {"Ref": "AWS::NoValue"}
    bucket_id, attribute = enabled["Bucket"]["Fn::GetAtt"]
    assert attribute == "RegionalDomainName"
    return str(bucket_id)


@pytest.mark.parametrize("fixture", ["synth", "variant"])
def test_the_distribution_logs_to_its_log_bucket(fixture: str, request: pytest.FixtureRequest) -> None:
    synthesized: Synth = request.getfixturevalue(fixture)
    _, _, enabled = _logging(synthesized)["Fn::If"]
    assert enabled["Prefix"] == ACCESS_LOG_PREFIX
    assert enabled["IncludeCookies"] is False
    assert synthesized.template["Resources"][_log_bucket_id(synthesized)]["Type"] == "AWS::S3::Bucket"


def test_logging_is_left_out_only_where_cloudfront_cannot_deliver(synth: Synth) -> None:
    condition_id = _logging(synth)["Fn::If"][0]
    expression = synth.template["Conditions"][condition_id]
    equals = expression.get("Fn::Or", [expression])
    regions = {e["Fn::Equals"][1] for e in equals if e["Fn::Equals"][0] == {"Ref": "AWS::Region"}}
    assert regions == set(NO_CLOUDFRONT_LOG_DELIVERY_REGIONS)
    # Every other supported region gets access logs.
    assert len(set(SUPPORTED_REGIONS) - regions) == len(SUPPORTED_REGIONS) - len(regions)


def test_the_log_bucket_is_private_tls_only_acl_enabled_and_expires(synth: Synth) -> None:
    bucket_id = _log_bucket_id(synth)
    bucket = synth.template["Resources"][bucket_id]
    p = props(bucket)
    # CloudFront's log delivery writes through an ACL grant: ACLs must be enabled on the bucket.
    assert p["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]}
    assert p["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert p["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"] == {
        "SSEAlgorithm": "AES256"
    }
    assert p["LifecycleConfiguration"]["Rules"] == [
        {"ExpirationInDays": int(synth.context["logRetentionDays"]), "Status": "Enabled"}
    ]
    assert bucket["DeletionPolicy"] == "Retain"
    (policy,) = [
        x
        for x in resources(synth.template, "AWS::S3::BucketPolicy").values()
        if props(x)["Bucket"] == {"Ref": bucket_id}
    ]
    (deny,) = props(policy)["PolicyDocument"]["Statement"]
    assert deny["Effect"] == "Deny"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
