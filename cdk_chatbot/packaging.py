"""Lambda code assets built on this machine, without Docker.

Each Lambda folder is shipped as a package (`lambda_lex/` -> `lambda_lex.handler.handler`), next to
the other parts its asset needs (`AssetPart`: more packages, such as `lexhook/`, a folder shipped
under another package name, such as the user's handlers as `intent_handlers/`, or a generated
file, such as the bot definition) and its third-party dependencies, which `pip install --target`
installs as wheels for the Lambda's platform (Linux arm64, the runtime's CPython) from the asset's
hashed lock (locks.py: `--require-hashes --no-deps`, the lock's bytes in the fingerprint). With `bundle` off
only the packages and parts are copied: no pip, no network. That mode is for tests and offline
synths; such an asset lacks its dependencies.
"""

from __future__ import annotations

import fnmatch
import hashlib
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsii
from aws_cdk import AssetHashType, BundlingOptions, ILocalBundling
from aws_cdk import aws_lambda as lambda_

# Never shipped: caches, compiled files and tests.
IGNORED = ("__pycache__", "*.pyc", "*.pyo", "tests", "test_*.py", "*_test.py", ".pytest_cache", ".mypy_cache")
LAMBDA_PLATFORM = "manylinux2014_aarch64"
# Errors raised while CDK bundles arrive wrapped by jsii; app.py finds the message by this prefix.
BUNDLING_ERROR_PREFIX = "pip could not install"


class BundlingError(RuntimeError):
    """pip could not install a Lambda's dependencies; the message carries pip's last lines."""


@dataclass(frozen=True)
class AssetPart:
    """Something more in a Lambda asset, at `name` (a path relative to the asset's root).

    Either `source` (a folder, copied without IGNORED files, or a file) or `content` (bytes). A folder
    with `package=True` gets an empty `__init__.py` when it has none, so it imports as a package.
    """

    name: str
    source: Path | None = None
    content: bytes | None = None
    package: bool = False

    def files(self) -> list[tuple[str, bytes]]:
        """(path in the asset, bytes) of every file this part adds, sorted."""
        if self.content is not None:
            return [(self.name, self.content)]
        if self.source is None:
            raise BundlingError(f"asset part {self.name} has neither a source nor content")
        if self.source.is_file():
            return [(self.name, self.source.read_bytes())]
        if not self.source.is_dir():
            raise BundlingError(f"asset part {self.name}: {self.source} does not exist")
        files = [
            (f"{self.name}/{path.relative_to(self.source).as_posix()}", path.read_bytes())
            for path in package_files(self.source)
        ]
        if self.package and not (self.source / "__init__.py").is_file():
            files.append((f"{self.name}/__init__.py", b""))
        return sorted(files)


def pinned_requirements(names: Sequence[str], requirements_file: Path) -> list[str]:
    """The `name==version` lines for `names` from a requirements file, so versions live in one place."""
    pins: dict[str, str] = {}
    for raw in requirements_file.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        match = re.fullmatch(r"([A-Za-z0-9._-]+)(\[[^\]]*\])?==\S+", line)
        if match:
            pins[_normalise(match.group(1))] = line
    missing = [name for name in names if _normalise(name) not in pins]
    if missing:
        raise BundlingError(
            f"{requirements_file} has no pinned version (name==x.y.z) for {', '.join(missing)}"
        )
    return [pins[_normalise(name)] for name in names]


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def package_files(package_dir: Path) -> list[Path]:
    """The files of a Lambda package that go into its asset, sorted, ignoring IGNORED."""
    return [
        path
        for path in sorted(package_dir.rglob("*"))
        if path.is_file() and not _ignored(path.relative_to(package_dir))
    ]


def _ignored(relative: Path) -> bool:
    return any(fnmatch.fnmatch(part, pattern) for part in relative.parts for pattern in IGNORED)


def lambda_package_code(
    package_dir: Path,
    *,
    requirements: Sequence[str],
    runtime: lambda_.Runtime,
    bundle: bool,
    extra_parts: Sequence[AssetPart] = (),
    lock_file: Path | None = None,
) -> lambda_.Code:
    """An asset holding `package_dir` as a package and `extra_parts`, plus `requirements` installed
    from `lock_file` (which must pin them, with hashes) when `bundle` is on."""
    python_version = runtime.name.removeprefix("python")
    bundler = _PackageBundler(
        package_dir=package_dir,
        requirements=tuple(requirements) if bundle else (),
        python_version=python_version,
        extra_parts=tuple(extra_parts),
        lock_file=lock_file if bundle else None,
    )
    return lambda_.Code.from_asset(
        str(package_dir),
        asset_hash=bundler.fingerprint(),
        asset_hash_type=AssetHashType.CUSTOM,
        bundling=BundlingOptions(image=runtime.bundling_image, local=bundler),
    )


@jsii.implements(ILocalBundling)
class _PackageBundler:
    """Copies the package and pip-installs its requirements into the asset folder."""

    def __init__(
        self,
        *,
        package_dir: Path,
        requirements: tuple[str, ...],
        python_version: str,
        extra_parts: tuple[AssetPart, ...] = (),
        lock_file: Path | None = None,
    ) -> None:
        if requirements:
            from .locks import check_lock  # locks.py imports this module's BundlingError

            if lock_file is None:
                raise BundlingError(
                    f"{package_dir.name}: requirements {', '.join(requirements)} need a hashed lock file"
                )
            check_lock(lock_file, requirements)
        if not (package_dir / "__init__.py").is_file():
            raise BundlingError(f"{package_dir} is not a Python package (it has no __init__.py)")
        names = [package_dir.name, *(part.name for part in extra_parts)]
        if len(set(names)) != len(names):
            raise BundlingError(f"a Lambda asset lists a part twice: {', '.join(names)}")
        self._package_dir = package_dir
        self._requirements = requirements
        self._python_version = python_version
        self._extra_parts = extra_parts
        self._lock_file = lock_file if requirements else None

    def fingerprint(self) -> str:
        """Changes whenever a shipped file of any part, a requirement, the lock or the Python changes."""
        digest = hashlib.sha256()
        header = [self._package_dir.name, self._python_version, LAMBDA_PLATFORM, *self._requirements]
        if self._lock_file is not None:
            header.append("lock:" + hashlib.sha256(self._lock_file.read_bytes()).hexdigest())
        digest.update("|".join(header).encode())
        for path in package_files(self._package_dir):
            digest.update(str(path.relative_to(self._package_dir)).encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        for part in self._extra_parts:
            for name, content in part.files():
                digest.update(f"|{name}|".encode())
                digest.update(hashlib.sha256(content).digest())
        return digest.hexdigest()

    def try_bundle(self, output_dir: str, *_options: Any, **_kw_options: Any) -> bool:
        """Called by CDK before Docker bundling; always bundles here, so Docker is never used."""
        out = Path(output_dir)
        shutil.copytree(
            self._package_dir, out / self._package_dir.name, ignore=shutil.ignore_patterns(*IGNORED)
        )
        for part in self._extra_parts:
            for name, content in part.files():
                target = out / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
        if self._requirements and self._lock_file is not None:
            self._pip_install(out, self._lock_file)
        return True

    def _pip_install(self, out: Path, lock_file: Path) -> None:
        # Exactly the locked packages (--no-deps: the lock already holds the whole tree), each checked
        # against its hash.
        command = [
            sys.executable, "-m", "pip", "install", "--quiet", "--no-compile", "--disable-pip-version-check",
            "--require-hashes", "--no-deps", "--target", str(out), "--platform", LAMBDA_PLATFORM,
            "--implementation", "cp", "--python-version", self._python_version, "--only-binary=:all:",
            "-r", str(lock_file),
        ]  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode != 0:
            lines = [
                ln for ln in (result.stderr or result.stdout).splitlines() if not ln.startswith("WARNING:")
            ]
            tail = "\n".join(lines[-5:])
            raise BundlingError(
                f"{BUNDLING_ERROR_PREFIX} {', '.join(self._requirements)} for the Lambda asset "
                f"(set context bundle=false to synth without dependencies):\n{tail}"
            )
        # Console scripts are of no use in a Lambda.
        shutil.rmtree(out / "bin", ignore_errors=True)
