"""A Python Lambda shipped as a package, with its own log group (retention set) and a lean role.

The role may only write to the function's own log group: no AWS-managed policy, no wildcard.
Callers add the few permissions the function needs on top (`add_to_role_policy`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from aws_cdk import Duration
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from .log_groups import log_group
from .packaging import AssetPart, lambda_package_code

RUNTIME = lambda_.Runtime.PYTHON_3_14
ARCHITECTURE = lambda_.Architecture.ARM_64


class PythonPackageFunction(Construct):
    """`<package>.handler.handler` on arm64 with a retained-for-N-days log group."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        package_dir: Path,
        description: str,
        requirements: Sequence[str],
        bundle: bool,
        environment: Mapping[str, str],
        timeout: Duration,
        memory_mb: int,
        log_retention_days: int,
        extra_parts: Sequence[AssetPart] = (),
        lock_file: Path | None = None,
        handler: str | None = None,
        code: lambda_.Code | None = None,
    ) -> None:
        """`handler` defaults to `<package>.handler.handler`; `code` (another function's asset, such
        as the code hook's for the answer worker) replaces the asset built from `package_dir`."""
        super().__init__(scope, id)
        entry = handler or f"{package_dir.name}.handler.handler"
        runs = package_dir.name if handler is None else entry.rsplit(".", 1)[0]
        self.log_group = log_group(self, "LogGroup", retention_days=log_retention_days)
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"Runs {runs}: writes its own logs, plus what the stack grants",
        )
        self.log_group.grant_write(self.role)
        self.function: lambda_.Function = lambda_.Function(
            self,
            "Function",
            description=description,
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
            handler=entry,
            code=code
            or lambda_package_code(
                package_dir,
                requirements=requirements,
                runtime=RUNTIME,
                bundle=bundle,
                extra_parts=extra_parts,
                lock_file=lock_file,
            ),
            environment=dict(environment),
            timeout=timeout,
            memory_size=memory_mb,
            role=self.role,
            log_group=self.log_group,
        )
