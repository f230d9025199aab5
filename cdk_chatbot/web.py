"""The page: a private S3 bucket served by CloudFront (Origin Access Control), /chat and /chat/* sent
to the API.

The bucket is reachable only through CloudFront and only over TLS. It holds nothing but the deployed
page, so it is deleted with the stack: the BucketDeployment removes its files on stack deletion
(`retain_on_delete=False`), which leaves the bucket empty for CloudFormation to delete.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

from aws_cdk import Aws, CfnCondition, DefaultStackSynthesizer, Duration, Fn, Names, RemovalPolicy, Stack
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

from .log_groups import log_group
from .nag import acknowledge
from .page_config import PAGE_CONFIG_NAME

BOOTSTRAP_QUALIFIER_KEY = "@aws-cdk/core:bootstrapQualifier"
MAX_REGION_CHARS = 16
ROOT_OBJECT = "chat.html"
CHAT_PATH = "/chat"
# The streamed answers' routes under /chat (answers_api.py): the same API, the same treatment.
CHAT_SUBPATHS = "/chat/*"
ACCESS_LOG_PREFIX = "cloudfront/"
# Regions (of those regions.py supports) whose buckets CloudFront's standard logging (legacy) does not
# deliver to: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging-legacy-s3.html
NO_CLOUDFRONT_LOG_DELIVERY_REGIONS = ("af-south-1",)
# The page loads its script, style and data only from its own origin and is never framed.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def account_unique_name(scope: Construct, purpose: str, *, max_length: int) -> str:
    """A name for a CloudFront resource (account-wide, not regional): construct path, purpose, region.

    Two stacks in one account differ in stack name or in region, so they never share a name.
    """
    room = max_length - len(purpose) - MAX_REGION_CHARS - 2
    base = Names.unique_resource_name(scope, max_length=room, separator="-")
    return Fn.join("-", [base, purpose, Aws.REGION])


class Web(Construct):
    """Bucket, distribution and page deployment; `url` is the page's address."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        site_dir: Path,
        page_config: Mapping[str, Any],
        chat_api: apigw.RestApi,
        log_retention_days: int,
        chat_origin_headers: Mapping[str, str] | None = None,
        chat_viewer_request: cloudfront.IFunction | None = None,
    ) -> None:
        """`page_config` becomes the deployed `config.json` (the checked-in one is left out).
        `chat_origin_headers` go with every /chat request to the API; `chat_viewer_request` runs on
        each /chat request before it (see limits.py)."""
        super().__init__(scope, id)
        bucket = s3.Bucket(
            self,
            "Bucket",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            encryption=s3.BucketEncryption.S3_MANAGED,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            removal_policy=RemovalPolicy.DESTROY,
        )
        acknowledge(
            bucket,
            "AwsSolutions-S1",
            "Holds only the static page, readable solely by CloudFront; server access logs add nothing.",
        )

        headers = cloudfront.ResponseHeadersPolicy(
            self,
            "SecurityHeaders",
            response_headers_policy_name=account_unique_name(self, "headers", max_length=128),
            comment="Chatbot page: strict CSP, HSTS, nosniff, no framing, no referrer",
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                    content_security_policy=CONTENT_SECURITY_POLICY, override=True
                ),
                strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                    access_control_max_age=Duration.days(365), include_subdomains=True, override=True
                ),
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                frame_options=cloudfront.ResponseHeadersFrameOptions(
                    frame_option=cloudfront.HeadersFrameOption.DENY, override=True
                ),
                referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                    referrer_policy=cloudfront.HeadersReferrerPolicy.NO_REFERRER, override=True
                ),
            ),
        )

        # /chat and /chat/* go to the one API origin, uncached, with every viewer header but Host (the
        # answer and conversation token headers, Last-Event-ID) and query string (`after`), through
        # the viewer-ip function the per-client rate rule counts on.
        api_origin = origins.RestApiOrigin(chat_api, custom_headers=dict(chat_origin_headers or {}))
        api_behaviour = cloudfront.BehaviorOptions(
            origin=api_origin,
            viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
            allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
            cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
            origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
            response_headers_policy=headers,
            function_associations=[
                cloudfront.FunctionAssociation(
                    function=chat_viewer_request,
                    event_type=cloudfront.FunctionEventType.VIEWER_REQUEST,
                )
            ]
            if chat_viewer_request is not None
            else None,
        )

        access_logs = _access_log_bucket(self, log_retention_days)
        distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment="Lex + LLM chatbot",
            # Standard logging (legacy) to a bucket of the stack's region. Standard logging v2 (to
            # CloudWatch Logs) needs its delivery source in us-east-1, which a stack elsewhere cannot make.
            enable_logging=True,
            log_bucket=access_logs,
            log_file_prefix=ACCESS_LOG_PREFIX,
            default_root_object=ROOT_OBJECT,
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(
                    bucket,
                    origin_access_control=cloudfront.S3OriginAccessControl(
                        self,
                        "OriginAccessControl",
                        description="CloudFront reads the chatbot page from its private bucket",
                        origin_access_control_name=account_unique_name(self, "oac", max_length=64),
                    ),
                ),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                response_headers_policy=headers,
            ),
            additional_behaviors={CHAT_PATH: api_behaviour, CHAT_SUBPATHS: api_behaviour},
        )
        for rule, reason in (
            ("AwsSolutions-CFR1", "A public chatbot with no country restriction by design."),
            (
                "AwsSolutions-CFR2",
                "The page is static files; /chat's origin, the API, has its own regional web ACL "
                "(CloudFront-only secret header, per-client rate rule; see limits.py).",
            ),
            ("AwsSolutions-CFR4", "The default CloudFront certificate ignores the minimum TLS setting."),
        ):
            acknowledge(distribution, rule, reason)

        _no_access_logs_where_cloudfront_cannot_deliver(self, distribution, access_logs)

        deployment = s3deploy.BucketDeployment(
            self,
            "Deploy",
            sources=[
                s3deploy.Source.asset(str(site_dir), exclude=[PAGE_CONFIG_NAME]),
                s3deploy.Source.json_data(PAGE_CONFIG_NAME, dict(page_config)),
            ],
            destination_bucket=bucket,
            distribution=distribution,
            distribution_paths=["/*"],
            retain_on_delete=False,
            log_group=log_group(self, "DeployLogs", retention_days=log_retention_days),
        )
        self._acknowledge_deployment_handler(deployment, bucket)

        self.distribution = distribution
        self.url: str = f"https://{distribution.distribution_domain_name}/{ROOT_OBJECT}"

    def _acknowledge_deployment_handler(
        self, deployment: s3deploy.BucketDeployment, bucket: s3.Bucket
    ) -> None:
        """Findings on the Lambda that aws-cdk-lib ships to copy the page (its code, not ours)."""
        handler = deployment.handler_role.node.scope
        if handler is None:
            raise RuntimeError("aws-cdk-lib's BucketDeployment handler role has no scope")
        bucket_id = Stack.of(self).get_logical_id(cast(s3.CfnBucket, bucket.node.default_child))
        qualifier = (
            self.node.try_get_context(BOOTSTRAP_QUALIFIER_KEY) or DefaultStackSynthesizer.DEFAULT_QUALIFIER
        )
        copy_reason = (
            "aws-cdk-lib's BucketDeployment copies the page from the CDK asset bucket into the web bucket."
        )
        for rule, reason in (
            (
                "AwsSolutions-L1",
                "aws-cdk-lib's BucketDeployment handler; its runtime is chosen by aws-cdk-lib.",
            ),
            (
                "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
                "aws-cdk-lib's BucketDeployment handler role; the managed policy only writes its logs.",
            ),
            ("AwsSolutions-IAM5[Action::s3:GetBucket*]", copy_reason),
            ("AwsSolutions-IAM5[Action::s3:GetObject*]", copy_reason),
            ("AwsSolutions-IAM5[Action::s3:List*]", copy_reason),
            ("AwsSolutions-IAM5[Action::s3:Abort*]", copy_reason),
            ("AwsSolutions-IAM5[Action::s3:DeleteObject*]", copy_reason),
            (
                f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-{qualifier}-assets-"
                "<AWS::AccountId>-<AWS::Region>/*]",
                "Reads the page's asset zip from the CDK bootstrap asset bucket (object names are hashes).",
            ),
            (
                f"AwsSolutions-IAM5[Resource::<{bucket_id}.Arn>/*]",
                "Writes the page's files into the web bucket.",
            ),
            (
                "AwsSolutions-IAM5[Resource::*]",
                "Invalidates CloudFront after a page update; aws-cdk-lib grants invalidation calls on *.",
            ),
        ):
            acknowledge(handler, rule, reason)


def _access_log_bucket(scope: Construct, retention_days: int) -> s3.Bucket:
    """The bucket CloudFront writes its access logs to: ACLs on (CloudFront's log delivery writes with an
    ACL grant, so Object Ownership must be BucketOwnerPreferred), private, TLS only, logs expire.

    It is kept when the stack is deleted (access logs are audit records); its lifecycle empties it."""
    bucket = s3.Bucket(
        scope,
        "AccessLogBucket",
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        enforce_ssl=True,
        encryption=s3.BucketEncryption.S3_MANAGED,
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
        lifecycle_rules=[s3.LifecycleRule(expiration=Duration.days(retention_days))],
        removal_policy=RemovalPolicy.RETAIN,
    )
    acknowledge(
        bucket,
        "AwsSolutions-S1",
        "This bucket holds CloudFront's access logs; logging access to the log bucket would log itself.",
    )
    return bucket


def _no_access_logs_where_cloudfront_cannot_deliver(
    scope: Construct, distribution: cloudfront.Distribution, bucket: s3.Bucket
) -> None:
    """Drop the distribution's Logging in regions CloudFront delivers no standard logs to (decided at
    deploy time: the template is region-agnostic)."""
    regions = NO_CLOUDFRONT_LOG_DELIVERY_REGIONS
    # What Distribution(enable_logging=True) writes, kept where CloudFront can deliver.
    logging = {
        "Bucket": bucket.bucket_regional_domain_name,
        "Prefix": ACCESS_LOG_PREFIX,
        "IncludeCookies": False,
    }
    no_delivery = CfnCondition(
        scope,
        "NoCloudFrontLogDelivery",
        expression=Fn.condition_equals(Aws.REGION, regions[0])
        if len(regions) == 1
        else Fn.condition_or(*(Fn.condition_equals(Aws.REGION, region) for region in regions)),
    )
    cfn = cast(cloudfront.CfnDistribution, distribution.node.default_child)
    cfn.add_property_override(
        "DistributionConfig.Logging", Fn.condition_if(no_delivery.logical_id, Aws.NO_VALUE, logging)
    )
