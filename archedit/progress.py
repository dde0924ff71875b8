"""Live progress of a run on the terminal, one line per file event."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from archedit.runner import Event
from graph.context import Context

_STYLE = {
    "passed": "green",
    "passed_after_retry": "yellow",
    "escalated": "magenta",
    "failed": "red",
}


class Progress:
    """Turns the graph's update stream into readable lines."""

    def __init__(self, console: Console, thread_id: str):
        self.console = console
        self.thread_id = thread_id
        self._paths: dict[str, str] = {}

    def resume_hint(self, context: Context) -> str:
        """The command that continues this run."""
        return f"archedit resume {self.thread_id} --out {context.out_dir}"

    def update(self, event: Event) -> None:
        """Print what one graph step did."""
        namespace, update = event
        for node, values in update.items():
            if namespace:
                self._file_step(namespace[-1], node, values or {})
            else:
                self._run_step(node, values or {})

    def _run_step(self, node: str, values: dict[str, Any]) -> None:
        if node == "file":
            result = values.get("result") or {}
            if result.get("implicates"):
                self.console.print(
                    f"  [yellow]reopen[/] {result['implicates']}: "
                    f"{result['path']} fails in its code",
                    highlight=False,
                )
        elif node == "plan":
            blueprint = values.get("blueprint")
            if blueprint is None:
                return
            paths = ", ".join(spec["path"] for spec in blueprint["files"])
            self.console.print(
                f"[bold]planned[/] {len(blueprint['files'])} files: {paths}",
                highlight=False,
            )

    def _file_step(self, branch: str, node: str, values: dict[str, Any]) -> None:
        for call in values.get("ledger") or []:
            self._paths[branch] = call["file"]
        path = self._paths.get(branch, "?")
        if node == "edit":
            attempt = values["ledger"][0]["attempt"]
            self.console.print(f"  [dim]edit[/] {path} (attempt {attempt})")
        elif node == "check":
            result = (values.get("results") or {}).get(path)
            if result is None:
                return
            attempt = result["attempts"][-1]
            if attempt["failure"] is None:
                self.console.print(f"  [green]ok[/] {path}", highlight=False)
            else:
                first = next(iter("\n".join(attempt["problems"]).splitlines()), "")
                self.console.print(
                    f"  [red]{attempt['failure']} failure[/] {path}: {first[:100]}",
                    highlight=False,
                )
        elif node == "retry" and branch in self._paths:
            self.console.print(f"  [yellow]retry[/] {path} ({values.get('retries')})")
        elif node == "escalate":
            self.console.print(f"  [magenta]escalate[/] {path} to the architect")

    def finish(self, state: dict[str, Any]) -> None:
        """Print the outcome of every file and where the report is."""
        if state.get("error"):
            self.console.print(f"[bold red]error:[/] {state['error']}", highlight=False)
        table = Table(title=f"run {self.thread_id}")
        for column in ("file", "status", "attempts", "written by"):
            table.add_column(column)
        for path, result in (state.get("results") or {}).items():
            style = _STYLE.get(result["status"], "")
            table.add_row(
                path,
                f"[{style}]{result['status']}[/]",
                str(len(result["attempts"])),
                f"{result['role']} {result['model']}",
            )
        if table.row_count:
            self.console.print(table)
        ledger = state.get("ledger") or []
        tokens = sum(c["input_tokens"] + c["output_tokens"] for c in ledger)
        self.console.print(f"{len(ledger)} model calls, {tokens} tokens")
        if state.get("report_path"):
            self.console.print(f"report: {state['report_path']}", highlight=False)
