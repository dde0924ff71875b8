"""How a file's work order reads to the model that writes it."""

from __future__ import annotations

from graph.state import FileTask
from prompts.editor import DEPENDENCY, NO_DEPENDENCIES


def render_dependencies(task: FileTask) -> str:
    """What the file may use from the files it depends on."""
    if not task["dependencies"]:
        return NO_DEPENDENCIES
    return "\n".join(DEPENDENCY.format(**dep) for dep in task["dependencies"])


def render_fields(task: FileTask) -> dict[str, str]:
    """The placeholders every file prompt shares."""
    return {
        "path": task["path"],
        "kind": task["kind"],
        "purpose": task["purpose"],
        "interface": task["interface"] or "(none declared)",
        "dependencies": render_dependencies(task),
    }


def bullet(problems: list[str]) -> str:
    """Problems as a bulleted list a prompt can quote."""
    return "\n".join(f"- {problem}" for problem in problems)
