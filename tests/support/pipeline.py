"""Running the real compiled graph in tests and recording what it visited."""

from __future__ import annotations

import json
from typing import Any

from langgraph.checkpoint.memory import InMemorySaver

from graph.builder import build_graph
from graph.context import Context

BLUEPRINT = {
    "summary": "A calculator module, a formatter using it, and a test.",
    "files": [
        {
            "path": "calc.py",
            "kind": "module",
            "purpose": "add(a, b) returns a + b.",
            "interface": "def add(a: int, b: int) -> int",
            "depends_on": [],
        },
        {
            "path": "fmt.py",
            "kind": "module",
            "purpose": "show(a, b) returns 'a + b = sum' using calc.add.",
            "interface": "def show(a: int, b: int) -> str",
            "depends_on": ["calc.py"],
        },
        {
            "path": "test_calc.py",
            "kind": "test",
            "purpose": "pytest tests of calc.add.",
            "depends_on": ["calc.py"],
        },
    ],
}

GOOD = {
    "calc.py": "def add(a: int, b: int) -> int:\n    return a + b\n",
    "fmt.py": (
        "from calc import add\n\n\ndef show(a: int, b: int) -> str:\n"
        '    return f"{a} + {b} = {add(a, b)}"\n'
    ),
    "test_calc.py": (
        "from calc import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n"
    ),
}
UNDEFINED_NAME = "def show(a, b):\n    return totl\n"
PROSE_ONLY = "Sorry, I am not able to write that file."


def plan_reply(blueprint: dict[str, Any] | None = None) -> str:
    return json.dumps(blueprint or BLUEPRINT)


def run_pipeline(
    architect: Any, editor: Any, out_dir: str, task: str = "a calculator", **extra: Any
) -> tuple[dict[str, Any], list[tuple[str | None, str]]]:
    """Run the graph to the end; return the final state and the visits.

    A visit is (file path or None for the pipeline's own nodes, node name).
    """
    graph = build_graph(checkpointer=InMemorySaver())
    context = Context(architect=architect, editor=editor, out_dir=out_dir, **extra)
    config = {"configurable": {"thread_id": "t"}}
    visits = visits_of(
        graph.stream(
            {"task": task},
            config,
            context=context,
            stream_mode="updates",
            subgraphs=True,
        )
    )
    return dict(graph.get_state(config).values), visits


def visits_of(stream: Any) -> list[tuple[str | None, str]]:
    """Name the file of each subgraph step from the updates that carry it.

    A branch's first steps may carry no file (a reopened file starts with
    retry), so names are given once the whole stream is read.
    """
    branches: dict[str, str] = {}
    steps: list[tuple[str | None, str]] = []
    for namespace, update in stream:
        for node, values in update.items():
            branch = namespace[-1] if namespace else None
            steps.append((branch, node))
            if branch is None:
                continue
            values = values or {}
            for call in values.get("ledger") or []:
                branches[branch] = call["file"]
            for path in values.get("results") or {}:
                branches[branch] = path
    return [
        (None if branch is None else branches.get(branch, "?"), node)
        for branch, node in steps
    ]


def steps_of(visits: list[tuple[str | None, str]], path: str) -> list[str]:
    return [node for file, node in visits if file == path]
