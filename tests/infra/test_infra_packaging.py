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


def test_the_import_closure_follows_runtime_imports_only(tmp_path: Path) -> None:
    from cdk_chatbot.imports import import_closure

    def write(path: str, text: str = "") -> None:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)

    write("lambda_demo/__init__.py")
    write("lambda_demo/handler.py", "import json\nfrom .core import run\nfrom shared import texts\n")
    write("lambda_demo/core.py", "import requests\nfrom shared.sub.deep import VALUE\n")
    write("lambda_demo/tests/test_core.py", "import pytest\nimport unused\n")
    write("shared/__init__.py", '"""a big package"""\n')
    write("shared/texts.py", "from . import plain\n")
    write("shared/plain.py", "X = 1\n")
    write("shared/heavy.py", "import numpy\n")  # in the package, never imported
    write("shared/sub/__init__.py")
    write(
        "shared/sub/deep.py",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import typed_only\nfrom ..plain import X\n",
    )
    write("other/__init__.py")

    closure = import_closure(tmp_path, "lambda_demo")

    assert [p.as_posix() for p in closure.files] == [
        "lambda_demo/__init__.py",
        "lambda_demo/core.py",
        "lambda_demo/handler.py",
        "shared/__init__.py",
        "shared/plain.py",
        "shared/sub/__init__.py",
        "shared/sub/deep.py",
        "shared/texts.py",
    ]
    assert closure.packages == {"lambda_demo", "shared"}
    assert closure.third_party == {"requests"}
    # A lazily imported module is followed, unless skipped (with what only it imports).
    write("lambda_demo/lazy.py", "def run():\n    from shared import heavy\n    return heavy\n")
    assert "shared/heavy.py" in {p.as_posix() for p in import_closure(tmp_path, "lambda_demo").files}
    assert import_closure(tmp_path, "lambda_demo").third_party == {"requests", "numpy"}
    skipped = import_closure(tmp_path, "lambda_demo", skip=["shared.heavy"])
    assert "shared/heavy.py" not in {p.as_posix() for p in skipped.files}
    assert skipped.third_party == {"requests"}


def test_the_import_closure_needs_a_package(tmp_path: Path) -> None:
    from cdk_chatbot.imports import import_closure

    with pytest.raises(ValueError, match=r"no __init__\.py"):
        import_closure(tmp_path, "missing")
