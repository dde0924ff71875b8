"""Blueprints the benchmarks run: independent files, a chain, a package.

The package is a small command-line to-do application with the dependencies
such a project has (tests depend on what they test, the CLI on the service,
the service on the repository, and so on). ``as_docs`` turns any blueprint
into Markdown files with the same paths' stems and dependencies: those pass
coercion and checks at no cost, so timings measure scheduling, not ruff or
pytest.
"""

from __future__ import annotations

import json
import posixpath
from typing import Any

Spec = dict[str, Any]

PACKAGE: list[Spec] = [
    {
        "path": "todo/__init__.py",
        "purpose": "Package marker exporting Task and TodoService.",
        "interface": "from todo.models import Task",
        "depends_on": [],
    },
    {
        "path": "todo/models.py",
        "purpose": "Task dataclass: id, title, done flag, optional due date.",
        "interface": "@dataclass class Task(id: int, title: str, done: bool = "
        "False, due: date | None = None)",
        "depends_on": [],
    },
    {
        "path": "todo/config.py",
        "purpose": "Settings read from environment variables with defaults.",
        "interface": "@dataclass class Settings(data_file: Path, date_format: "
        "str); def load_settings() -> Settings",
        "depends_on": [],
    },
    {
        "path": "todo/storage.py",
        "purpose": "Load and save a list of Task as JSON in the data file.",
        "interface": "def load_tasks(path: Path) -> list[Task]; def "
        "save_tasks(path: Path, tasks: list[Task]) -> None",
        "depends_on": ["todo/models.py", "todo/config.py"],
    },
    {
        "path": "todo/repository.py",
        "purpose": "TaskRepository: add, get, update, delete and list tasks, "
        "persisted through storage.",
        "interface": "class TaskRepository(path: Path): add(title: str, due: "
        "date | None) -> Task; get(id: int) -> Task; update(task: Task) -> "
        "None; delete(id: int) -> None; all() -> list[Task]",
        "depends_on": ["todo/storage.py", "todo/models.py"],
    },
    {
        "path": "todo/service.py",
        "purpose": "TodoService: business rules over the repository (no empty "
        "titles, completing, overdue tasks).",
        "interface": "class TodoService(repo: TaskRepository): create(title: "
        "str, due: date | None = None) -> Task; complete(id: int) -> Task; "
        "overdue(today: date) -> list[Task]",
        "depends_on": ["todo/repository.py", "todo/models.py"],
    },
    {
        "path": "todo/formatting.py",
        "purpose": "Render tasks as aligned text lines for the terminal.",
        "interface": "def format_task(task: Task, date_format: str) -> str; def "
        "format_tasks(tasks: list[Task], date_format: str) -> str",
        "depends_on": ["todo/models.py"],
    },
    {
        "path": "todo/cli.py",
        "purpose": "argparse CLI with add, done, list and overdue commands.",
        "interface": "def main(argv: list[str] | None = None) -> int",
        "depends_on": ["todo/service.py", "todo/formatting.py", "todo/config.py"],
    },
    {
        "path": "tests/test_models.py",
        "kind": "test",
        "purpose": "pytest tests of Task defaults and equality.",
        "depends_on": ["todo/models.py"],
    },
    {
        "path": "tests/test_repository.py",
        "kind": "test",
        "purpose": "pytest tests of TaskRepository against a temporary file.",
        "depends_on": ["todo/repository.py", "todo/storage.py"],
    },
    {
        "path": "tests/test_service.py",
        "kind": "test",
        "purpose": "pytest tests of TodoService rules.",
        "depends_on": ["todo/service.py"],
    },
    {
        "path": "tests/test_cli.py",
        "kind": "test",
        "purpose": "pytest tests of the CLI commands' output and exit codes.",
        "depends_on": ["todo/cli.py"],
    },
]


def independent(n: int) -> list[Spec]:
    """``n`` files that depend on nothing."""
    return [
        {"path": f"notes/n{i:04d}.md", "kind": "doc", "purpose": f"Note {i}."}
        for i in range(n)
    ]


def chain(n: int) -> list[Spec]:
    """``n`` files, each depending on the one before it."""
    files = independent(n)
    for before, spec in zip(files, files[1:], strict=False):
        spec["depends_on"] = [before["path"]]
    return files


def package(n: int = 12) -> list[Spec]:
    """``n`` files: copies of the 12-file package, the last one cut short.

    Each copy lives in its own directory and depends only on itself, so the
    dependency structure of a larger project is many such packages.
    """
    files: list[Spec] = []
    copy = 0
    while len(files) < n:
        prefix = "" if n <= len(PACKAGE) else f"p{copy:03d}/"
        for spec in PACKAGE[: n - len(files)]:
            files.append(
                {
                    **spec,
                    "path": prefix + spec["path"],
                    "depends_on": [prefix + dep for dep in spec["depends_on"]],
                }
            )
        copy += 1
    return files


def as_docs(files: list[Spec]) -> list[Spec]:
    """The same blueprint with every file a Markdown document."""

    def doc(path: str) -> str:
        return posixpath.splitext(path)[0] + ".md"

    return [
        {
            **spec,
            "path": doc(spec["path"]),
            "kind": "doc",
            "depends_on": [doc(dep) for dep in spec.get("depends_on", [])],
        }
        for spec in files
    ]


def plan_reply(files: list[Spec]) -> str:
    """The architect's reply planning ``files``."""
    return json.dumps({"summary": "Benchmark project.", "files": files})


def critical_path(files: list[Spec], cost: dict[str, float]) -> float:
    """Longest sum of ``cost`` along any dependency chain of ``files``."""
    finish: dict[str, float] = {}
    for spec in files:  # blueprints here list dependencies first
        deps = spec.get("depends_on", [])
        finish[spec["path"]] = cost[spec["path"]] + max(
            (finish[d] for d in deps), default=0.0
        )
    return max(finish.values())


def superstep_path(files: list[Spec], cost: dict[str, float]) -> float:
    """Time of a schedule that starts files in waves, each wave all at once.

    A wave holds every file whose dependencies finished in earlier waves and
    ends when its slowest file does: LangGraph's ``Send`` branches run that
    way, one superstep per wave.
    """
    done: set[str] = set()
    total = 0.0
    while len(done) < len(files):
        wave = [
            spec["path"]
            for spec in files
            if spec["path"] not in done
            and all(dep in done for dep in spec.get("depends_on", []))
        ]
        total += max(cost[path] for path in wave)
        done.update(wave)
    return total
