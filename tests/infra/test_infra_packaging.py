"""Lambda asset packaging: pinned versions from requirements.txt, what is shipped, when the hash moves."""

from __future__ import annotations

from pathlib import Path

import pytest

from cdk_chatbot.app_factory import PROJECT_ROOT
from cdk_chatbot.packaging import BundlingError, _PackageBundler, package_files, pinned_requirements


def _package(root: Path, name: str = "lambda_demo") -> Path:
    package = root / name
    (package / "__pycache__").mkdir(parents=True)
    (package / "tests").mkdir()
    (package / "__init__.py").write_text('"""demo"""\n')
    (package / "handler.py").write_text("def handler(event, context):\n    return event\n")
    (package / "core" / "x").mkdir(parents=True)
    (package / "core" / "x" / "deep.py").write_text("VALUE = 1\n")
    (package / "__pycache__" / "handler.cpython-311.pyc").write_bytes(b"\0")
    (package / "tests" / "test_handler.py").write_text("def test_x():\n    pass\n")
    return package


def test_pins_come_from_requirements_txt() -> None:
    pins = pinned_requirements(["requests", "aws_lambda_powertools"], PROJECT_ROOT / "requirements.txt")
    assert pins[0].startswith("requests==")
    assert pins[1].startswith("aws-lambda-powertools==")


def test_unpinned_requirement_is_a_clear_error(tmp_path: Path) -> None:
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("requests>=2\n# a comment\nboto3==1.0.0  # pinned\n")
    assert pinned_requirements(["boto3"], requirements) == ["boto3==1.0.0"]
    with pytest.raises(BundlingError, match=r"no pinned version .* for requests"):
        pinned_requirements(["requests"], requirements)


def test_only_source_files_are_shipped(tmp_path: Path) -> None:
    package = _package(tmp_path)
    shipped = [p.relative_to(package).as_posix() for p in package_files(package)]
    assert shipped == ["__init__.py", "core/x/deep.py", "handler.py"]


def test_bundling_without_dependencies_copies_the_package_as_a_package(tmp_path: Path) -> None:
    package = _package(tmp_path / "src")
    out = tmp_path / "out"
    out.mkdir()
    bundler = _PackageBundler(package_dir=package, requirements=(), python_version="3.14")
    assert bundler.try_bundle(str(out)) is True
    shipped = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert shipped == ["lambda_demo/__init__.py", "lambda_demo/core/x/deep.py", "lambda_demo/handler.py"]


def test_fingerprint_follows_sources_and_requirements_not_caches(tmp_path: Path) -> None:
    package = _package(tmp_path)
    lock = tmp_path / "lock.txt"
    lock.write_text("requests==2.0.0 \\\n    --hash=sha256:" + "0" * 64 + "\n")

    def fingerprint(requirements: tuple[str, ...] = ()) -> str:
        return _PackageBundler(
            package_dir=package, requirements=requirements, python_version="3.14", lock_file=lock
        ).fingerprint()

    before = fingerprint()
    (package / "__pycache__" / "other.pyc").write_bytes(b"\1")
    assert fingerprint() == before
    assert fingerprint(("requests==2.0.0",)) != before
    (package / "handler.py").write_text("def handler(event, context):\n    return None\n")
    assert fingerprint() != before


def test_same_files_in_another_package_get_another_fingerprint(tmp_path: Path) -> None:
    first = _PackageBundler(
        package_dir=_package(tmp_path, "lambda_a"), requirements=(), python_version="3.14"
    )
    second = _PackageBundler(
        package_dir=_package(tmp_path, "lambda_b"), requirements=(), python_version="3.14"
    )
    assert first.fingerprint() != second.fingerprint()


def test_a_folder_that_is_not_a_package_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BundlingError, match=r"no __init__\.py"):
        _PackageBundler(package_dir=tmp_path, requirements=(), python_version="3.14")
