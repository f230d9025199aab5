"""Hashed locks of the Lambda assets (cdk_chatbot/locks.py): they pin exactly the packages each Lambda
needs, every one with a hash, bundling installs them with --require-hashes --no-deps, and the lock is
part of the asset's fingerprint. Regenerating needs the registry (`make lock`), so these checks read
the committed locks and the installed packages' metadata, offline."""

from __future__ import annotations

import importlib.metadata
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App
from packaging.markers import default_environment
from packaging.requirements import Requirement

from cdk_chatbot.app_factory import PROJECT_ROOT, add_chatbot
from cdk_chatbot.bot_definition import BotDefinition
from cdk_chatbot.code_hook import ROUTER_PACKAGE
from cdk_chatbot.locks import (
    HANDLERS_LOCK,
    check_lock,
    lock_pins,
    lock_top_level,
    normalise,
    project_lock,
)
from cdk_chatbot.packaging import BundlingError, _PackageBundler, pinned_requirements
from cdk_chatbot.python_function import RUNTIME
from cdk_chatbot.stack import CHAT_REQUIREMENTS, CODE_HOOK_REQUIREMENTS
from tests.infra.conftest import cdk_context

LAMBDAS = {"lambda_lex": CHAT_REQUIREMENTS, ROUTER_PACKAGE: CODE_HOOK_REQUIREMENTS}
HASH = "--hash=sha256:" + "ab" * 32


def _lambda_environment() -> dict[str, str]:
    """Environment markers as the Lambda runtime evaluates them (CPython, Linux, arm64)."""
    python = RUNTIME.name.removeprefix("python")
    return {
        **{key: str(value) for key, value in default_environment().items()},
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "python_version": python,
        "python_full_version": f"{python}.0",
        "sys_platform": "linux",
        "platform_system": "Linux",
        "platform_machine": "aarch64",
        "os_name": "posix",
    }


def _dependencies(name: str) -> set[str]:
    """Names a package requires on the Lambda (from its installed metadata; extras not asked for)."""
    requires = importlib.metadata.distribution(name).requires or []
    environment = _lambda_environment()
    found = set()
    for line in requires:
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate({**environment, "extra": ""}):
            found.add(normalise(requirement.name))
    return found


def _pins(package: str) -> list[str]:
    return pinned_requirements(LAMBDAS[package], PROJECT_ROOT / "requirements.txt")


@pytest.mark.parametrize("package", sorted(LAMBDAS))
def test_the_lock_pins_the_requirements_at_their_versions_with_hashes(package: str) -> None:
    check_lock(project_lock(PROJECT_ROOT, package), _pins(package))


@pytest.mark.parametrize("package", sorted(LAMBDAS))
def test_the_lock_holds_exactly_the_dependency_tree_of_the_requirements(package: str) -> None:
    lock = project_lock(PROJECT_ROOT, package)
    locked = set(lock_pins(lock))
    wanted = {normalise(name) for name in LAMBDAS[package]}
    assert lock_top_level(lock) == wanted
    # The closure of the requirements under their dependencies, on the Lambda's platform.
    closure: set[str] = set()
    todo = list(wanted)
    while todo:
        name = todo.pop()
        if name not in closure:
            closure.add(name)
            todo.extend(_dependencies(name) - closure)
    assert locked == closure, f"missing {sorted(closure - locked)}, extra {sorted(locked - closure)}"


@pytest.mark.parametrize("package", sorted(LAMBDAS))
def test_every_locked_package_has_a_hash(package: str) -> None:
    text = project_lock(PROJECT_ROOT, package).read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])  # one entry per pinned package
    assert len(entries) == len(lock_pins(project_lock(PROJECT_ROOT, package)))
    for entry in entries:
        assert re.search(r"--hash=sha256:[0-9a-f]{64}", entry), entry


def test_a_stale_missing_or_hashless_lock_is_refused(tmp_path: Path) -> None:
    lock = tmp_path / "lock.txt"
    with pytest.raises(BundlingError, match="is missing: run make lock"):
        check_lock(lock, ["requests==2.34.2"])
    lock.write_text(f"requests==2.33.0 \\\n    {HASH}\n")
    with pytest.raises(BundlingError, match=r"requests==2\.34\.2 \(the lock has 2\.33\.0\); run make lock"):
        check_lock(lock, ["requests==2.34.2"])
    lock.write_text(f"requests==2.34.2 \\\n    {HASH}\nidna==3.0\n    # via requests\n")
    with pytest.raises(BundlingError, match="without a hash"):
        check_lock(lock, ["requests==2.34.2"])


def test_bundling_installs_the_lock_with_hashes_and_no_resolution(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "lambda_demo"
    package.mkdir()
    (package / "__init__.py").write_text("")
    lock = tmp_path / "lock.txt"
    lock.write_text(f"requests==2.34.2 \\\n    {HASH}\n")
    commands: list[list[str]] = []

    def run(command: list[str], **_: Any) -> subprocess.CompletedProcess[str]:
        commands.append(command)
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(subprocess, "run", run)  # packaging.py calls subprocess.run
    bundler = _PackageBundler(
        package_dir=package, requirements=("requests==2.34.2",), python_version="3.14", lock_file=lock
    )
    out = tmp_path / "out"
    out.mkdir()
    assert bundler.try_bundle(str(out))
    (command,) = commands
    assert {"--require-hashes", "--no-deps", "--only-binary=:all:"} <= set(command)
    assert command[command.index("-r") + 1] == str(lock)
    assert "requests==2.34.2" not in command  # only the lock decides what is installed


def test_the_lock_is_in_the_fingerprint(tmp_path: Path) -> None:
    package = tmp_path / "lambda_demo"
    package.mkdir()
    (package / "__init__.py").write_text("")
    lock = tmp_path / "lock.txt"
    lock.write_text(f"requests==2.34.2 \\\n    {HASH}\nidna==3.0 \\\n    {HASH}\n    # via requests\n")

    def fingerprint() -> str:
        return _PackageBundler(
            package_dir=package, requirements=("requests==2.34.2",), python_version="3.14", lock_file=lock
        ).fingerprint()

    before = fingerprint()
    assert fingerprint() == before
    lock.write_text(lock.read_text().replace("idna==3.0", "idna==3.1"))  # a transitive package moved
    assert fingerprint() != before


def test_handlers_with_packages_need_their_own_lock(tmp_path: Path) -> None:
    """A bot whose handlers list packages is locked beside them (make lock BOT=...)."""
    bot_dir = tmp_path / "bot"
    shutil.copytree(PROJECT_ROOT / "examples" / "coffee_shop" / "handlers", bot_dir / "handlers")
    (bot_dir / "handlers" / "requirements.txt").write_text("babel==2.17.0\n")
    definition = BotDefinition.from_file(PROJECT_ROOT / "examples" / "coffee_shop" / "bot.json")
    context = {**cdk_context(), "bundle": True, "defaultLocale": definition.locale_ids[0]}
    app = App(context=context, builtin_cloud_formation_validation=False)
    with pytest.raises(BundlingError, match=rf"{HANDLERS_LOCK} is missing: run make lock"):
        add_chatbot(app, bot_definition=definition, handlers_dir=bot_dir / "handlers")


def test_make_lock_regenerates_the_locks() -> None:
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    assert "\nlock:" in makefile
    assert "cdk_chatbot.locks" in makefile
    dev = (PROJECT_ROOT / "requirements-dev.txt").read_text()
    assert any(line.startswith("uv==") for line in dev.splitlines())
    assert json.loads((PROJECT_ROOT / "cdk.json").read_text())["context"]["bundle"] is True
