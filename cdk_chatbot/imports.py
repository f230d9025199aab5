"""Which of the project's modules a Lambda package really imports, so its asset ships just those.

The answers Lambda (`lambda_answers`) uses a few modules of packages that are much larger
(`lambda_chatgpt`'s texts, the worker's invoker): its asset holds the files reached by following
the run-time imports (`import x`, `from x import y`, relative imports; `if TYPE_CHECKING:` blocks
skipped) from every module of the entry package, plus the `__init__.py` of each package on the way,
which Python runs on import. A name that is not a project package (`json`, `boto3`) is not followed;
`third_party` lists those that are not in the standard library, for the asset's requirements.
Imports inside functions are followed too (a lazy import is still an import), except of the modules
named in `skip`: code paths the Lambda never takes in AWS, such as the worker run in a thread in
local mode, which would otherwise drag the whole LLM client in.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ImportClosure:
    """Project files (relative to the project root, sorted) and third-party top-level names."""

    files: tuple[Path, ...]
    third_party: frozenset[str]

    @property
    def packages(self) -> frozenset[str]:
        """Top-level project packages with at least one file in the closure."""
        return frozenset(path.parts[0] for path in self.files)


def import_closure(project_root: Path, package: str, *, skip: Sequence[str] = ()) -> ImportClosure:
    """Every project module `package` imports at run time, transitively (the package itself whole),
    leaving out the modules in `skip` (dotted names) and what only they import."""
    entry = project_root / package
    if not (entry / "__init__.py").is_file():
        raise ValueError(f"{entry} is not a Python package (it has no __init__.py)")
    todo = [path for path in sorted(entry.rglob("*.py")) if "tests" not in path.relative_to(entry).parts]
    seen: set[Path] = set()
    third_party: set[str] = set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for name in runtime_imports(project_root, path):
            if any(name == skipped or name.startswith(f"{skipped}.") for skipped in skip):
                continue
            found = _module_files(project_root, name)
            if found is None:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top != "__future__":
                    third_party.add(top)
                continue
            todo.extend(found)
    return ImportClosure(
        files=tuple(sorted(p.relative_to(project_root) for p in seen)), third_party=frozenset(third_party)
    )


def _module_name(project_root: Path, path: Path) -> str:
    parts = list(path.relative_to(project_root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _module_files(project_root: Path, name: str) -> list[Path] | None:
    """The files importing `name` runs (each package's __init__.py, then the module), or None when
    its top-level package is not part of the project. A name that is not a module (`from pkg import
    function`) resolves to its package."""
    parts = name.split(".")
    if not (project_root / parts[0] / "__init__.py").is_file():
        return None
    files: list[Path] = []
    folder = project_root
    for index, part in enumerate(parts):
        package_init = folder / part / "__init__.py"
        module_file = folder / f"{part}.py"
        if package_init.is_file():
            files.append(package_init)
            folder = folder / part
        elif module_file.is_file():
            files.append(module_file)
            break
        elif index == 0:
            return None
        else:
            break  # an attribute of the package, not a module
    return files


def runtime_imports(project_root: Path, path: Path, *, on_import_only: bool = False) -> set[str]:
    """Absolute names of the modules (or `module.attribute` candidates) a project file imports at
    run time; with `on_import_only`, only those importing the file runs (not in function bodies)."""
    module = _module_name(project_root, path)
    is_package = path.name == "__init__.py"
    visitor = _Imports(module if is_package else module.rpartition(".")[0], on_import_only)
    visitor.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    return visitor.found


class _Imports(ast.NodeVisitor):
    def __init__(self, package: str, on_import_only: bool) -> None:
        self.package = package
        self.on_import_only = on_import_only
        self.found: set[str] = set()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        if not self.on_import_only:
            self.generic_visit(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        if not self.on_import_only:
            self.generic_visit(node)

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        if (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
            isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
        ):
            for child in node.orelse:
                self.visit(child)
            return
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        self.found.update(alias.name for alias in node.names)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            base = self.package.split(".")
            if node.level > 1:
                base = base[: len(base) - (node.level - 1)]
            prefix = ".".join([*base, node.module] if node.module else base)
        else:
            prefix = node.module or ""
        self.found.add(prefix)
        self.found.update(f"{prefix}.{alias.name}" for alias in node.names if alias.name != "*")
