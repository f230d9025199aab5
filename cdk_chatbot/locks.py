"""Hashed dependency locks of the Lambda assets: every package, transitive ones too, pinned with hashes.

Each Lambda's third-party requirements (their top-level versions come from requirements.txt) are
resolved by uv for the Lambda's platform (Linux arm64, the runtime's CPython) into a lock file,
`lambda-locks/<package>.txt`, committed. Bundling installs exactly that file with
`pip install --require-hashes --no-deps` (packaging.py), and the lock's bytes are part of the asset's
fingerprint, so an asset changes when, and only when, what it ships changes.

A bot whose handlers need packages (`handlers/requirements.txt`) has its own code-hook lock beside
them, `handlers/requirements.lock`, covering the code hook's requirements and the handlers' together.

`make lock` (`python -m cdk_chatbot.locks [--bot path/to/bot.json]`) regenerates them; it needs the
package registry. A synth whose lock no longer pins the requirements fails with a message saying so.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from .packaging import BundlingError

LOCK_DIR = "lambda-locks"
HANDLERS_LOCK = "requirements.lock"
# uv's name for the platform packaging.py installs for (manylinux2014_aarch64).
UV_PLATFORM = "aarch64-manylinux2014"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s\\;]+)")


def normalise(name: str) -> str:
    """A package name as PyPI compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def project_lock(project_root: Path, package: str) -> Path:
    """The lock of a Lambda package's asset, e.g. lambda-locks/lambda_lex.txt."""
    return project_root / LOCK_DIR / f"{package}.txt"


def handlers_lock(handlers_dir: Path) -> Path:
    return handlers_dir / HANDLERS_LOCK


def lock_pins(lock_file: Path) -> dict[str, str]:
    """Normalised name -> version of every package the lock pins."""
    pins: dict[str, str] = {}
    for line in lock_file.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            pins[normalise(match.group(1))] = match.group(3)
    return pins


def lock_top_level(lock_file: Path) -> set[str]:
    """Packages the lock has because they were asked for (uv writes `# via <package>` under the others)."""
    top: set[str] = set()
    current: str | None = None
    for line in lock_file.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            if current is not None:
                top.add(current)
            current = normalise(match.group(1))
        elif current is not None and line.strip().startswith("# via"):
            current = None
    if current is not None:
        top.add(current)
    return top


def check_lock(lock_file: Path, requirements: Sequence[str]) -> None:
    """BundlingError unless the lock exists, pins every requirement at its version and every line
    carries a hash (what `pip install --require-hashes` needs)."""
    if not lock_file.is_file():
        raise BundlingError(
            f"{lock_file} is missing: run make lock to create it (it needs the package registry)"
        )
    pins = lock_pins(lock_file)
    stale = []
    for requirement in requirements:
        match = _PIN.match(requirement.strip())
        if match is None:
            raise BundlingError(f"{requirement!r} is not pinned as name==version, so no lock can match it")
        name, version = normalise(match.group(1)), match.group(3)
        if pins.get(name) != version:
            stale.append(f"{requirement} (the lock has {pins.get(name, 'nothing')})")
    if stale:
        raise BundlingError(f"{lock_file} does not match the requirements: {', '.join(stale)}; run make lock")
    text = lock_file.read_text(encoding="utf-8")
    if text.count("--hash=sha256:") < len(pins):
        raise BundlingError(f"{lock_file} has a package without a hash; run make lock")


def compile_lock(requirements: Sequence[str], out: Path, *, python_version: str) -> None:
    """Resolve `requirements` for the Lambda platform with uv and write the hashed lock to `out`."""
    uv = shutil.which("uv") or str(Path(sys.executable).with_name("uv"))
    command = [
        uv, "pip", "compile", "-", "--quiet", "--generate-hashes", "--no-python-downloads",
        "--python-platform", UV_PLATFORM, "--python-version", python_version,
        "--custom-compile-command", "make lock", "--output-file", str(out),
    ]  # fmt: skip
    result = subprocess.run(  # noqa: S603 - uv from this environment, our own arguments
        command, input="\n".join(requirements) + "\n", capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BundlingError(f"uv could not lock {', '.join(requirements)}:\n{result.stderr.strip()[-2000:]}")


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate lambda-locks/*.txt, and the handlers' lock of --bot when its handlers need packages."""
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    from .answers_api import PACKAGE as ANSWERS_PACKAGE
    from .app_factory import PROJECT_ROOT
    from .code_hook import ROUTER_PACKAGE, handler_requirements
    from .packaging import pinned_requirements
    from .python_function import RUNTIME
    from .stack import ANSWERS_REQUIREMENTS, CHAT_REQUIREMENTS, CODE_HOOK_REQUIREMENTS

    parser = argparse.ArgumentParser(prog="python -m cdk_chatbot.locks", description=main.__doc__)
    parser.add_argument("--bot", type=Path, help="a bot file whose handlers/requirements.txt to lock too")
    args = parser.parse_args(argv)
    python_version = RUNTIME.name.removeprefix("python")
    requirements_file = PROJECT_ROOT / "requirements.txt"
    code_hook = pinned_requirements(CODE_HOOK_REQUIREMENTS, requirements_file)
    try:
        for package, requirements in (
            ("lambda_lex", pinned_requirements(CHAT_REQUIREMENTS, requirements_file)),
            (ROUTER_PACKAGE, code_hook),
            (ANSWERS_PACKAGE, pinned_requirements(ANSWERS_REQUIREMENTS, requirements_file)),
        ):
            out = project_lock(PROJECT_ROOT, package)
            out.parent.mkdir(exist_ok=True)
            compile_lock(requirements, out, python_version=python_version)
            print(f"locked {out.relative_to(PROJECT_ROOT)}")
        if args.bot is not None:
            handlers_dir = args.bot.resolve().parent / "handlers"
            extra = handler_requirements(handlers_dir)
            if extra:
                out = handlers_lock(handlers_dir)
                compile_lock([*code_hook, *extra], out, python_version=python_version)
                print(f"locked {out}")
    except BundlingError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
