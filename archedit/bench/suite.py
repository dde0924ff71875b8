"""Loading a bench suite from disk: one folder per task."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

TASK_TEXT = "task.md"
ACCEPTANCE = "acceptance"
REFERENCE = "reference"


class SuiteError(ValueError):
    """A suite folder that cannot be benched as it is."""


@dataclass(frozen=True)
class BenchTask:
    """One task of a suite.

    Attributes:
        name: The task's folder name, unique in its suite.
        text: What the architect is asked to build.
        acceptance: Relative path to text of every acceptance test file.
        reference: Relative path to text of every file of the reference
            solution (empty when the task ships none).
        test_count: Number of acceptance tests, counted from the source so a
            package that cannot even be imported still scores against it.
    """

    name: str
    text: str
    acceptance: dict[str, str]
    reference: dict[str, str]
    test_count: int


def load_suite(root: str | Path, only: list[str] | None = None) -> list[BenchTask]:
    """Every task under ``root``, sorted by name.

    Args:
        root: The suite folder.
        only: Names of the tasks to keep; all when None.

    Raises:
        SuiteError: if the folder holds no task, a task lacks its text or
            acceptance tests, or ``only`` names a task that is not there.
    """
    root = Path(root)
    if not root.is_dir():
        raise SuiteError(f"suite {root} is not a directory")
    folders = sorted(p for p in root.iterdir() if (p / TASK_TEXT).is_file())
    if not folders:
        raise SuiteError(f"suite {root} has no task: no */{TASK_TEXT} in it")
    if only:
        missing = sorted(set(only) - {p.name for p in folders})
        if missing:
            raise SuiteError(
                f"no task {', '.join(missing)} in {root}; tasks are: "
                + ", ".join(p.name for p in folders)
            )
        folders = [p for p in folders if p.name in only]
    return [load_task(folder) for folder in folders]


def load_task(folder: Path) -> BenchTask:
    """The task kept in ``folder``."""
    acceptance = _read_tree(folder / ACCEPTANCE)
    tests = {path: text for path, text in acceptance.items() if path.endswith(".py")}
    count = sum(count_tests(text) for text in tests.values())
    if count == 0:
        raise SuiteError(
            f"task {folder.name} has no acceptance tests: add test_*.py files "
            f"with test functions under {folder / ACCEPTANCE}"
        )
    return BenchTask(
        name=folder.name,
        text=(folder / TASK_TEXT).read_text(encoding="utf-8").strip(),
        acceptance=acceptance,
        reference=_read_tree(folder / REFERENCE),
        test_count=count,
    )


def count_tests(source: str) -> int:
    """Test functions pytest would collect from one file, by its syntax.

    Counts module-level ``test*`` functions and ``test*`` methods of
    ``Test*`` classes; parametrized tests count once, so acceptance tests
    do not use ``parametrize``.
    """
    tree = ast.parse(source)
    count = 0
    for node in tree.body:
        if _is_test(node):
            count += 1
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            count += sum(_is_test(item) for item in node.body)
    return count


def _is_test(node: ast.AST) -> bool:
    return isinstance(
        node, ast.FunctionDef | ast.AsyncFunctionDef
    ) and node.name.startswith("test")


def _read_tree(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    return {
        path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }
