"""The blueprint: the architect's plan of files, and its validation.

The architect's output is untrusted. ``validate_blueprint`` normalises what is
safe to normalise (path spelling, a file depending on itself, duplicate
entries, code depending on tests, a test depending on no code) and
reports everything else as problems the architect can be asked to fix.
"""

from __future__ import annotations

import posixpath
import re
from graphlib import CycleError, TopologicalSorter
from typing import Literal

from pydantic import BaseModel, Field

FileKind = Literal["module", "test", "config", "doc"]

_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")
_SAFE_PART = re.compile(r"^[A-Za-z0-9_.-]+$")
RESERVED = frozenset({"report.json", "report.md"})
# A file name as a task would spell one: "greet.py", "shop/db.py".
_NAMED_FILE = re.compile(
    r"(?<![\w./-])((?:[\w-]+/)*[\w-]+\.(?:py|toml|json|ya?ml|cfg|ini|md|txt))\b"
)


class FileSpec(BaseModel):
    """One file the architect wants written."""

    path: str = Field(
        description="Relative path inside the project, e.g. 'shop/db.py'."
    )
    kind: FileKind = Field(
        default="module",
        description="module (source code), test (pytest file), config or doc.",
    )
    purpose: str = Field(
        description="What the file must contain: behaviour, names, signatures."
    )
    interface: str = Field(
        default="",
        description="Public names other files may use, e.g. 'def add(a, b) -> int'.",
    )
    depends_on: list[str] = Field(
        default_factory=list,
        description="Paths of blueprint files this file imports or tests.",
    )


class Blueprint(BaseModel):
    """The architect's plan: every file of the project and how they relate."""

    summary: str = Field(default="", description="One paragraph on the design.")
    files: list[FileSpec] = Field(description="Every file to write.")


class BlueprintError(ValueError):
    """A blueprint that cannot be used, with every problem found."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def normalise_path(raw: str) -> str:
    """Return ``raw`` as a clean relative POSIX path inside the workspace.

    Raises:
        ValueError: if the path is empty, absolute, leaves the workspace or
            holds characters that are unsafe in a file name.
    """
    path = raw.strip().replace("\\", "/")
    if not path:
        raise ValueError("a file path is empty; give every file a relative path")
    if path.startswith("/") or _WINDOWS_DRIVE.match(path):
        raise ValueError(
            f"blueprint path {raw!r} is absolute; paths must be relative "
            "and inside the workspace"
        )
    clean = posixpath.normpath(path)
    parts = clean.split("/")
    if clean in (".", "") or ".." in parts:
        raise ValueError(
            f"blueprint path {raw!r} leaves the workspace; paths must be "
            "relative and inside it"
        )
    for part in parts:
        if not _SAFE_PART.match(part) or part.startswith("."):
            raise ValueError(
                f"blueprint path {raw!r} has an unsafe part {part!r}; use "
                "letters, digits, '_', '-' and '.' (not leading)"
            )
    return clean


def validate_blueprint(blueprint: Blueprint, max_files: int = 40) -> Blueprint:
    """Check and normalise a blueprint.

    Safe repairs are made silently: paths are normalised; self-dependencies,
    repeated dependencies and files repeated word for word are dropped; test
    dependencies are pointed the right way (see ``_point_tests_at_code``).
    Everything else is collected.

    Args:
        blueprint: The plan to check.
        max_files: The most files a plan may hold.

    Returns:
        A normalised copy of the blueprint.

    Raises:
        BlueprintError: listing every problem that needs the architect.
    """
    problems: list[str] = []
    if not blueprint.files:
        raise BlueprintError(["the blueprint lists no files; plan at least one"])
    if len(blueprint.files) > max_files:
        problems.append(
            f"the blueprint lists {len(blueprint.files)} files; plan at most "
            f"{max_files}"
        )

    files: list[FileSpec] = []
    seen: set[str] = set()
    for spec in blueprint.files:
        try:
            path = normalise_path(spec.path)
        except ValueError as err:
            problems.append(str(err))
            continue
        if path in RESERVED:
            problems.append(f"path {path!r} is reserved for the run report")
            continue
        normal = spec.model_copy(update={"path": path})
        if path in seen:
            if normal not in files:
                problems.append(f"path {path!r} is listed twice; list each file once")
            # An entry repeated word for word is dropped.
            continue
        seen.add(path)
        files.append(normal)

    for index, spec in enumerate(files):
        deps: list[str] = []
        for raw in spec.depends_on:
            try:
                dep = normalise_path(raw)
            except ValueError as err:
                problems.append(f"{spec.path} depends on a bad path: {err}")
                continue
            if dep == spec.path or dep in deps:
                continue
            if dep not in seen:
                problems.append(
                    f"{spec.path} depends on {dep!r}, which is not in the "
                    "blueprint; add that file or drop the dependency"
                )
                continue
            deps.append(dep)
        files[index] = spec.model_copy(update={"depends_on": deps})

    if not problems:
        files = _point_tests_at_code(files)
        problems.extend(_cycle_problems(files))
    if problems:
        raise BlueprintError(problems)
    return Blueprint(summary=blueprint.summary, files=files)


def unplanned_names(task: str, blueprint: Blueprint) -> list[str]:
    """Files the task names that the blueprint does not plan.

    A name matches a planned path that is the same or ends with it
    (``test_greet.py`` is planned as ``tests/test_greet.py``). A task may
    also name files its program reads, so this is a question for the
    architect, not a verdict.
    """
    planned = [spec.path for spec in blueprint.files]
    missing: list[str] = []
    for name in dict.fromkeys(_NAMED_FILE.findall(task)):
        if name not in RESERVED and not any(
            path == name or path.endswith(f"/{name}") for path in planned
        ):
            missing.append(name)
    return missing


def _point_tests_at_code(files: list[FileSpec]) -> list[FileSpec]:
    """Repair test dependencies, which small architects often get backwards.

    Code never imports a test file, so such a dependency is dropped. A Python
    test file that depends on no code could import nothing it tests, so it
    gets the module it is named for (``test_calc.py``: ``calc.py``), or the
    only module of the blueprint if there is exactly one.
    """
    tests = {spec.path for spec in files if _is_test(spec)}
    code = [s.path for s in files if s.path.endswith(".py") and s.path not in tests]
    repaired: list[FileSpec] = []
    for spec in files:
        deps = spec.depends_on
        if spec.path in code:
            deps = [dep for dep in deps if dep not in tests]
        elif spec.path.endswith(".py") and not set(deps) & set(code):
            deps = [*deps, *_tested_by(spec.path, code)]
        repaired.append(spec.model_copy(update={"depends_on": deps}))
    return repaired


def _is_test(spec: FileSpec) -> bool:
    name = posixpath.basename(spec.path)
    return (
        spec.kind == "test"
        or name.startswith("test_")
        or name.endswith("_test.py")
        or name == "conftest.py"
    )


def _tested_by(test_path: str, code: list[str]) -> list[str]:
    """The module a test file is named for, or the only module there is."""
    stem = posixpath.basename(test_path).removesuffix(".py")
    name = stem.removeprefix("test_").removesuffix("_test")
    named = [path for path in code if posixpath.basename(path) == f"{name}.py"]
    if len(named) == 1:
        return named
    return code if len(code) == 1 else []


def _cycle_problems(files: list[FileSpec]) -> list[str]:
    graph = {spec.path: set(spec.depends_on) for spec in files}
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as err:
        cycle = " -> ".join(err.args[1])
        return [f"dependency cycle {cycle}; files must not depend on each other"]
    return []


def dependency_depths(blueprint: Blueprint) -> dict[str, int]:
    """Length of the longest dependency chain below each file (0 for leaves)."""
    deps = {spec.path: spec.depends_on for spec in blueprint.files}
    depth: dict[str, int] = {}
    for path in TopologicalSorter(deps).static_order():
        depth[path] = 1 + max((depth[d] for d in deps[path]), default=-1)
    return depth
