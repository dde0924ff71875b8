"""Checks of generated files, worded so a small model can act on them.

``check_file`` runs the static checks that fit a file's kind: for Python,
syntax, ruff's defect rules and the interface check against the project's
other files (and, given a sandbox, an import of the module); for JSON, TOML,
YAML and INI files, a parse. ``run_tests`` runs a generated test file with
pytest inside the sandbox. ``interface_of`` describes what a written file
offers to the files that depend on it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Collection, Mapping

from archedit.checks.config import PARSED_SUFFIXES, parse_problems
from archedit.checks.imports import interface_problems
from archedit.checks.interface import interface_of
from archedit.checks.lint import ruff_problems, syntax_problems
from archedit.checks.modules import ProjectModules, module_name
from archedit.checks.problem import Problem
from archedit.checks.testrun import TestReport, import_error, run_tests
from archedit.sandbox import Sandbox

__all__ = [
    "Problem",
    "TestReport",
    "check_file",
    "interface_of",
    "is_test_file",
    "run_tests",
]

# Modules whose import runs the program rather than defining anything.
_RUN_ON_IMPORT = {"__main__", "setup"}


def check_file(
    path: str,
    content: str,
    workspace: Mapping[str, str] | None = None,
    *,
    planned: Collection[str] = (),
    sandbox: Sandbox | None = None,
) -> list[Problem]:
    """Find what is wrong with ``content``, the text of the file ``path``.

    Args:
        path: The file's relative path; its suffix chooses the checks.
        content: The file's text.
        workspace: Relative path to text of the project files already
            written, whose names and signatures the file's imports and calls
            must match.
        planned: Every path the blueprint plans, written or not; imports of
            project modules must name one of them.
        sandbox: When given, a module (not a test) whose static checks pass
            is also imported inside it, catching errors at import time.

    Returns:
        The problems found, empty when the file passes.
    """
    if path.endswith(".py"):
        return _python_problems(path, content, workspace or {}, planned, sandbox)
    if path.lower().endswith(PARSED_SUFFIXES):
        return parse_problems(path, content)
    return []


def is_test_file(path: str) -> bool:
    """Whether ``path`` holds tests rather than code under test."""
    name = posixpath.basename(path)
    return (
        name.startswith("test_")
        or name.endswith("_test.py")
        or name == "conftest.py"
        or "tests" in path.split("/")[:-1]
    )


def _python_problems(path, content, workspace, planned, sandbox) -> list[Problem]:
    tree, problems = syntax_problems(path, content)
    if tree is None:
        return problems
    problems = ruff_problems(path, content)
    modules = ProjectModules([*planned, path], {**workspace, path: content})
    problems += interface_problems(path, tree, modules)
    module = module_name(path)
    if sandbox is None or problems or module is None or is_test_file(path):
        return problems
    if module.rpartition(".")[2] in _RUN_ON_IMPORT:
        return problems
    failure = import_error(module, {**workspace, path: content}, sandbox)
    return [Problem("import", failure)] if failure else []
