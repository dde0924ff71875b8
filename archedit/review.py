"""Plan approval at the terminal: show the blueprint, read the reviewer's answer.

Answers are read with prompts on stdin, so a script can answer too. An edit
opens ``$EDITOR`` on the blueprint as JSON, or reads a JSON file given by path.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from archedit import workspace


def reviewer(console: Console, edit_path: Path) -> Callable[[dict[str, Any]], Any]:
    """A callback that answers one approval pause.

    Args:
        console: Where the blueprint and refusals are shown.
        edit_path: The JSON file ``$EDITOR`` is opened on for an edit.
    """

    def answer(pause: dict[str, Any]) -> Any:
        if pause.get("error"):
            console.print(f"[bold red]answer refused:[/] {pause['error']}")
        show(console, pause["blueprint"])
        while True:
            action = typer.prompt("accept, edit or reject the blueprint?")
            action = action.strip().lower()
            if action == "accept":
                return "accept"
            if action == "reject":
                reason = typer.prompt("reason", default="", show_default=False)
                return {"action": "reject", "reason": reason}
            if action != "edit":
                console.print(f"unknown answer {action!r}; type accept, edit or reject")
                continue
            edited = _edited(console, pause["blueprint"], edit_path)
            if edited is not None:
                return {"action": "edit", "blueprint": edited}

    return answer


def show(console: Console, blueprint: dict[str, Any]) -> None:
    """Print the blueprint's summary and one row per file."""
    if blueprint.get("summary"):
        console.print(blueprint["summary"], highlight=False)
    table = Table(title="blueprint")
    for column in ("file", "kind", "depends on", "purpose"):
        table.add_column(column)
    for spec in blueprint["files"]:
        table.add_row(
            spec["path"],
            spec.get("kind", ""),
            ", ".join(spec.get("depends_on") or []),
            spec.get("purpose", ""),
        )
    console.print(table)


def _edited(
    console: Console, blueprint: dict[str, Any], edit_path: Path
) -> dict[str, Any] | None:
    """The edited blueprint, or None (after saying why) to ask again."""
    source = typer.prompt(
        "path of the edited blueprint JSON (empty: open $EDITOR)",
        default="",
        show_default=False,
    ).strip()
    if source:
        path = Path(source).expanduser()
    else:
        path = edit_path
        workspace.atomic_write(path, json.dumps(blueprint, indent=2) + "\n")
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        try:
            subprocess.run([*shlex.split(editor), str(path)], check=False)
        except OSError as err:
            console.print(
                f"[bold red]cannot start the editor {editor!r}:[/] {err.strerror}; "
                "set $EDITOR or give a path"
            )
            return None
    try:
        edited = json.loads(path.read_text())
    except OSError as err:
        console.print(f"[bold red]cannot read {path}:[/] {err.strerror}")
        return None
    except json.JSONDecodeError as err:
        console.print(f"[bold red]{path} is not valid JSON:[/] {err}")
        return None
    if not isinstance(edited, dict):
        console.print(f"[bold red]{path} holds no JSON object[/]; give a blueprint")
        return None
    return edited
