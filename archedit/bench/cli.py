"""``archedit bench``: run a suite, show a saved result, compare two."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from typer.core import TyperGroup

from archedit.bench import records
from archedit.bench.configs import (
    BenchConfig,
    ConfigError,
    load_config_file,
    parse_config,
    unique,
)
from archedit.bench.plot import plot_cost_quality
from archedit.bench.running import BenchListener, run_bench
from archedit.bench.suite import SuiteError, load_suite
from archedit.bench.summary import summarise
from archedit.bench.table import bench_table, compare_table
from archedit.embedded import EmbeddedModelError
from archedit.locks import RunBusy
from archedit.progress import Progress
from archedit.sandbox import SandboxUnavailable
from archedit.workspace import WorkspaceError

PLOT = "bench.png"
_EXPECTED = (
    SuiteError,
    ConfigError,
    EmbeddedModelError,
    SandboxUnavailable,
    WorkspaceError,
    RunBusy,
)


class _RunByDefault(TyperGroup):
    """Treats ``archedit bench SUITE ...`` as ``archedit bench run SUITE ...``."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_RunByDefault,
    help="Run a task suite in several model configurations and compare them.",
    no_args_is_help=True,
)
console = Console(stderr=True, soft_wrap=True)
# Piped output has no width of its own; the table needs about 130 columns.
out_console = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 160)


class _Listener(BenchListener):
    """Prints one line per run and the pipeline's progress inside it."""

    def __init__(self) -> None:
        self._progress: Progress | None = None

    def started(
        self, index: int, total: int, config: str, task: str, resumed: bool
    ) -> None:
        how = "resuming" if resumed else "running"
        console.print(
            f"[bold][{index}/{total}][/] {how} {task} in {config}", highlight=False
        )
        self._progress = Progress(console, f"{config}.{task}")

    def event(self, event: Any) -> None:
        if self._progress is not None:
            self._progress.update(event)

    def skipped(self, index: int, total: int, config: str, task: str) -> None:
        console.print(
            f"[dim][{index}/{total}] {task} in {config}: already in bench.json[/]",
            highlight=False,
        )

    def finished(self, record: dict[str, Any]) -> None:
        acceptance = record["acceptance"]
        error = f", error: {record['error'][:120]}" if record["error"] else ""
        console.print(
            f"  quality {acceptance['passed']}/{acceptance['total']}, "
            f"{record['calls']} calls, "
            f"{record['input_tokens'] + record['output_tokens']} tokens, "
            f"${record['cost_usd']:.4f}, {record['wall_s']:.0f} s{error}",
            highlight=False,
        )


@app.command()
def run(
    suite: Annotated[Path, typer.Argument(help="Suite folder: one task a folder.")],
    config: Annotated[
        list[str] | None,
        typer.Option(
            "--config", "-c", help="NAME=ARCHITECT,EDITOR, e.g. hybrid=openai:M,local."
        ),
    ] = None,
    config_file: Annotated[
        Path | None,
        typer.Option(help="YAML/JSON file mapping names to architect, editor, ..."),
    ] = None,
    task: Annotated[
        list[str] | None, typer.Option("--task", "-t", help="Run only this task.")
    ] = None,
    out: Annotated[Path, typer.Option(help="Output directory.")] = Path("bench-out"),
    unsandboxed: Annotated[
        bool, typer.Option(help="Run tests without the sandbox (unsafe).")
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Run every task of SUITE in every configuration; resume if stopped."""
    from archedit import embedded
    from archedit.cli import _logging

    _logging(verbose)
    try:
        configs = _configs(config or [], config_file)
        tasks = load_suite(suite, task)
        data = run_bench(
            tasks,
            configs,
            out,
            suite=str(suite),
            unsandboxed=unsandboxed,
            listener=_Listener(),
        )
    except KeyboardInterrupt:
        _fail("stopped; run the same command again to resume", code=130)
    except (*_EXPECTED, ValueError) as err:
        _fail(str(err))
    finally:
        embedded.stop_shared_server()
    rows = summarise(data)
    out_console.print(bench_table(rows, title=f"archedit bench: {suite.name}"))
    for row in rows:
        if row["failed_runs"]:
            console.print(
                f"{row['config']}: {row['failed_runs']} of {row['tasks']} runs "
                "ended with an error (see their 'error' in bench.json)",
                highlight=False,
            )
    plot = plot_cost_quality(rows, out.absolute() / PLOT)
    console.print(
        f"results: {out.absolute() / records.RESULTS}\nplot: {plot}", highlight=False
    )


@app.command()
def show(
    results: Annotated[Path, typer.Argument(help="A bench.json.")],
) -> None:
    """Print the table of a bench.json and redraw its plot beside it."""
    rows = summarise(_load(results))
    out_console.print(bench_table(rows, title=f"archedit bench: {results}"))
    plot = plot_cost_quality(rows, results.absolute().parent / PLOT)
    console.print(f"plot: {plot}", highlight=False)


@app.command()
def compare(
    first: Annotated[Path, typer.Argument(help="A bench.json.")],
    second: Annotated[Path, typer.Argument(help="Another bench.json.")],
) -> None:
    """Show two bench result sets side by side."""
    sides = [summarise(_load(path)) for path in (first, second)]
    names = (_label(first), _label(second))
    out_console.print(compare_table(sides[0], sides[1], names))


def _load(path: Path) -> dict[str, Any]:
    try:
        data = records.load(path)
    except (ValueError, json.JSONDecodeError) as err:
        _fail(f"cannot read {path}: {err}")
    if data is None:
        _fail(f"no bench results at {path}; pass the bench.json a bench wrote")
    return data


def _configs(specs: list[str], path: Path | None) -> list[BenchConfig]:
    configs = [parse_config(spec) for spec in specs]
    if path is not None:
        configs += load_config_file(path)
    return unique(configs)


def _label(path: Path) -> str:
    # bench.json files usually differ by their folder, not their name.
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


def _fail(message: str, code: int = 1) -> Any:
    console.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)
