"""cdk-nag findings we accept, each with the reason a reviewer reads next to it.

cdk-nag 3.x checks through CDK's validation plugins: an unacknowledged error fails the synth.
Acknowledgments sit on the construct the finding is about, next to the code that causes it.
"""

from __future__ import annotations

from aws_cdk import Acknowledgment, Validations
from constructs import IConstruct


def acknowledge(scope: IConstruct, rule: str, reason: str) -> None:
    """Accept the cdk-nag finding `rule` (e.g. "AwsSolutions-CFR4") on `scope` and everything under it."""
    Validations.of(scope).acknowledge(Acknowledgment(id=rule, reason=reason))
