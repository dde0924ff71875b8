"""The ``archedit`` command: run a task, resume a run."""

from __future__ import annotations

import dataclasses
import logging
import uuid
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from archedit import runner
from archedit.bench.cli import app as bench_app
from archedit.budget import BudgetExceeded
from archedit.calls import ModelCallError
from archedit.embedded import EmbeddedModelError
from archedit.locks import RunBusy
from archedit.progress import Progress
from archedit.providers import ProviderError
from archedit.review import reviewer
from archedit.sandbox import SandboxUnavailable
from archedit.workspace import WorkspaceError
from graph.context import Context

# Failures with a message written for the user: shown as they are.
EXPECTED = (
    ProviderError,
    ModelCallError,
    EmbeddedModelError,
    WorkspaceError,
    SandboxUnavailable,
    runner.RunNotFound,
    RunBusy,
)

app = typer.Typer(
    help="Plan with a frontier model, write each file with a small one.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(bench_app, name="bench")
console = Console(stderr=True, soft_wrap=True)

Out = Annotated[Path, typer.Option("--out", help="Output directory.")]
Postgres = Annotated[
    str | None,
    typer.Option(
        "--postgres",
        envvar="ARCHEDIT_POSTGRES_URL",
        help="PostgreSQL URL for checkpoints (default: SQLite under --out).",
    ),
]
MaxUsd = Annotated[
    float | None,
    typer.Option(min=0, help="Stop (resumably) before spending more USD than this."),
]
MaxTokens = Annotated[
    int | None,
    typer.Option(min=0, help="Stop (resumably) before using more tokens than this."),
]
MaxMinutes = Annotated[
    float | None,
    typer.Option(min=0, help="Stop (resumably) after working this many minutes."),
]


@app.command()
def run(
    task: Annotated[str, typer.Argument(help="What to build, in plain words.")],
    out: Out = Path("archedit-out"),
    architect: Annotated[
        str | None, typer.Option(help="Architect model: local, openai:M, ollama:M.")
    ] = None,
    editor: Annotated[
        str | None, typer.Option(help="Editor model: local, openai:M, ollama:M.")
    ] = None,
    architect_base_url: Annotated[
        str | None, typer.Option(help="Base URL of the architect's API.")
    ] = None,
    editor_base_url: Annotated[
        str | None, typer.Option(help="Base URL of the editor's API.")
    ] = None,
    max_retries: Annotated[int, typer.Option(min=0, max=10)] = 2,
    max_escalations: Annotated[int, typer.Option(min=0, max=5)] = 1,
    concurrency: Annotated[
        int,
        typer.Option(
            min=0, max=64, help="Files written at once; 0 sizes it to the editor."
        ),
    ] = 0,
    unsandboxed: Annotated[
        bool, typer.Option(help="Run generated tests without the sandbox (unsafe).")
    ] = False,
    approve_plan: Annotated[
        bool,
        typer.Option(
            help="Show the blueprint and ask to accept, edit or reject it "
            "(answers are read from stdin) before any file is written."
        ),
    ] = False,
    max_usd: MaxUsd = None,
    max_tokens: MaxTokens = None,
    max_minutes: MaxMinutes = None,
    postgres: Postgres = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Run TASK through the pipeline and write the files under --out."""
    _logging(verbose)
    if not task.strip():
        _fail(
            "the task is empty; describe what to build, e.g. "
            'archedit run "a greet.py module with a test"'
        )
    given = {
        "architect": architect,
        "editor": editor,
        "architect_base_url": architect_base_url,
        "editor_base_url": editor_base_url,
    }
    context = Context(
        **{key: value for key, value in given.items() if value is not None},
        out_dir=str(out),
        max_retries=max_retries,
        max_escalations=max_escalations,
        concurrency=concurrency,
        unsandboxed=unsandboxed,
        approve_plan=approve_plan,
        max_usd=max_usd,
        max_tokens=max_tokens,
        max_minutes=max_minutes,
    )
    _execute(task, context, None, postgres)


@app.command()
def resume(
    thread_id: Annotated[str, typer.Argument(help="The run's id, as run printed.")],
    out: Out = Path("archedit-out"),
    max_usd: MaxUsd = None,
    max_tokens: MaxTokens = None,
    max_minutes: MaxMinutes = None,
    postgres: Postgres = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Continue a run that crashed or was stopped; finished files are kept.

    Budgets given here replace the run's own, e.g. to finish a run that
    stopped at its budget.
    """
    _logging(verbose)
    try:
        context = runner.load_settings(out.absolute(), thread_id, postgres)
    except runner.RunNotFound as err:
        _fail(str(err))
    budgets = {"max_usd": max_usd, "max_tokens": max_tokens, "max_minutes": max_minutes}
    context = dataclasses.replace(
        context, **{key: value for key, value in budgets.items() if value is not None}
    )
    _execute(None, context, thread_id, postgres)


def _execute(
    task: str | None, context: Context, thread_id: str | None, postgres: str | None
) -> None:
    from archedit import embedded

    thread_id = thread_id or uuid.uuid4().hex[:12]
    progress = Progress(console, thread_id)
    console.print(f"run {thread_id}", highlight=False)
    try:
        state = runner.execute(
            task,
            context,
            thread_id=thread_id,
            postgres_url=postgres,
            on_event=progress.update,
            on_approval=reviewer(
                console,
                runner.settings_path(Path(context.out_dir), thread_id)
                .with_suffix(".blueprint.json")
                .absolute(),
            ),
        )
    except typer.Abort:
        # Input ended at the approval prompt; the pause is saved.
        _fail(f"no answer to plan approval; {_resume(progress, context)}")
    except KeyboardInterrupt:
        _fail(f"stopped; {_resume(progress, context)}", code=130)
    except BudgetExceeded as err:
        # A distinct code: the run is fine and only needs a larger budget.
        if err.raisable:
            hint = "resume with a larger budget: "
            hint += f"{progress.resume_hint(context)} {err.flag} {err.suggestion()}"
        else:
            hint = f"then resume with: {progress.resume_hint(context)}"
        _fail(f"{_describe(err)}; nothing finished is lost, {hint}", code=3)
    except EXPECTED as err:
        _fail(f"{_describe(err)}{_resume(progress, context, '; ')}")
    except Exception as err:  # the CLI owns the terminal: no traceback
        logging.getLogger(__name__).info("run failed", exc_info=True)
        _fail(
            f"unexpected {type(err).__name__}: {_describe(err)} (run with -v "
            f"for details){_resume(progress, context, '; ')}"
        )
    finally:
        embedded.stop_shared_server()
    progress.finish(state)
    if state.get("error"):
        raise typer.Exit(1)


def _resume(progress: Progress, context: Context, lead: str = "") -> str:
    out_dir = Path(context.out_dir).absolute()
    if not runner.settings_path(out_dir, progress.thread_id).exists():
        return ""
    return f"{lead}the run is saved, resume with: {progress.resume_hint(context)}"


def _describe(err: BaseException) -> str:
    text = str(err).strip() or type(err).__name__
    return text.splitlines()[0]


def _fail(message: str, code: int = 1) -> Any:
    console.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def _logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("httpx", "httpcore", "openai"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


if __name__ == "__main__":  # pragma: no cover
    app()
