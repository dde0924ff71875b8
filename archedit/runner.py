"""Running the compiled pipeline with a checkpointer, from start or resumed.

Used by the CLI; usable from Python. The settings of a run are saved beside
its checkpoints so that ``resume`` continues with the same models and limits.
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from langgraph.types import Command

from archedit import budget, carryover, run_settings, workspace
from archedit.calls import ModelCallError
from archedit.checkpoints import STATE_DIR, open_checkpointer, saved_work
from archedit.locks import hold_run
from archedit.sandbox import Sandbox
from archedit.tracing import settle_tracing
from graph.builder import build_graph
from graph.context import Context
from graph.state import CallRecord

Event = tuple[tuple[str, ...], dict[str, Any]]
# Settings about the machine and network a run is resumed on, not about the
# run: a resume takes them from its own environment, e.g. a longer timeout.
PER_SITTING = ("call_timeout_s", "call_retries", "retry_backoff_s")
THREADS = 4096


class RunNotFound(RuntimeError):
    """A resume asked for a thread that has no saved run."""


def settings_path(out_dir: Path, thread_id: str) -> Path:
    """Where the settings of run ``thread_id`` are saved."""
    return out_dir / STATE_DIR / "runs" / f"{thread_id}.json"


def save_settings(
    out_dir: Path, thread_id: str, context: Context, postgres_url: str | None
) -> None:
    """Save what ``resume`` needs to continue the run as it was started.

    Saved again on every resume, so raised budgets hold for later resumes.
    """
    # Chat model instances given from Python cannot be saved; a resume from
    # the CLI falls back to the saved spec or the default for those roles.
    path = settings_path(out_dir, thread_id)
    fields = json.loads(path.read_text())["context"] if path.exists() else {}
    fields |= {
        field.name: getattr(context, field.name)
        for field in dataclasses.fields(context)
        if isinstance(getattr(context, field.name), str | int | float | bool | None)
        and field.name not in PER_SITTING
    }
    data = {"context": fields, "postgres": bool(postgres_url)}
    workspace.atomic_write(
        settings_path(out_dir, thread_id), json.dumps(data, indent=2)
    )
    if postgres_url:
        # Beside the checkpoints, so another machine can resume the run.
        run_settings.save(postgres_url, thread_id, fields)


def load_settings(
    out_dir: Path, thread_id: str, postgres_url: str | None = None
) -> Context:
    """The context a run was started with.

    Read from the output directory, or from the database when the run's
    checkpoints are in Postgres and this machine never saw the run.
    """
    path = settings_path(out_dir, thread_id)
    if path.exists():
        saved = json.loads(path.read_text())["context"]
    elif postgres_url and (found := run_settings.load(postgres_url, thread_id)):
        saved = {**found, "out_dir": str(out_dir)}
    else:
        where = f"{out_dir} or the database" if postgres_url else str(out_dir)
        raise RunNotFound(
            f"no run {thread_id!r} in {where}; pass the --out directory (and "
            "--postgres URL) the run was started with"
        )
    return Context(**{k: v for k, v in saved.items() if k not in PER_SITTING})


@contextmanager
def pipeline(out_dir: Path, postgres_url: str | None = None) -> Iterator[Any]:
    """The compiled graph with its checkpointer open."""
    with open_checkpointer(out_dir, postgres_url) as saver:
        yield build_graph(checkpointer=saver)


def execute(
    task: str | None,
    context: Context,
    *,
    thread_id: str | None = None,
    postgres_url: str | None = None,
    on_event: Callable[[Event], None] | None = None,
    on_approval: Callable[[dict[str, Any]], Any] | None = None,
) -> dict[str, Any]:
    """Run (task given) or resume (task None) a pipeline run to its end.

    Args:
        on_approval: Answers a pause for plan approval (given the interrupt
            value, returns the resume value). Without it a paused run returns.

    Returns:
        The final state, with ``thread_id`` added, and ``paused`` holding the
        interrupt value when the run waits for plan approval.

    Raises:
        RunBusy: if another process is driving the same thread.
    """
    out_dir = workspace.prepare(context.out_dir)
    # Fail before any model is paid for when generated code could not be
    # checked safely.
    Sandbox(unsandboxed=context.unsandboxed)
    context = dataclasses.replace(context, out_dir=str(out_dir))
    thread_id = thread_id or uuid.uuid4().hex[:12]
    settle_tracing()
    config = {
        "configurable": {"thread_id": thread_id},
        # File branches called ahead wait in threads of their own until the
        # files they depend on are done; the run's concurrency bounds the
        # branches at work (see nodes.dispatch), not the threads, which are
        # started only as needed.
        "max_concurrency": THREADS,
        "recursion_limit": 10_000,
    }
    with (
        hold_run(out_dir, thread_id, postgres_url),
        pipeline(out_dir, postgres_url) as graph,
    ):
        if task is not None:
            payload: Any = {"task": task}
        elif not graph.get_state(config).created_at:
            raise RunNotFound(
                f"no checkpoints for run {thread_id!r}; check the thread id "
                "and --out (or --postgres)"
            )
        else:
            payload = None
        save_settings(out_dir, thread_id, context, postgres_url)
        settings = settings_path(out_dir, thread_id)
        carried = carryover.load(settings)
        budget.begin(
            thread_id,
            [*saved_work(graph, config)[1], *carried["ledger"]],
            carried["worked_s"],
        )
        if carried["ledger"] and payload is None:
            payload = Command(update={"ledger": carried["ledger"]})
        unfinished: list[CallRecord] = []
        try:
            snapshot, paused = _drive(
                graph, payload, config, context, on_event, on_approval
            )
        except (ModelCallError, budget.BudgetExceeded) as err:
            if err.record is not None:
                unfinished.append(err.record)
            raise
        finally:
            carryover.save(settings, budget.finish(thread_id), unfinished)
        state = dict(snapshot.values)
    state["thread_id"] = thread_id
    if paused is not None:
        state["paused"] = paused
    return state


def _drive(
    graph: Any,
    payload: Any,
    config: dict[str, Any],
    context: Context,
    on_event: Callable[[Event], None] | None,
    on_approval: Callable[[dict[str, Any]], Any] | None,
) -> tuple[Any, Any]:
    """Stream the run to its end or to a pause nobody answers."""
    while True:
        for namespace, update in graph.stream(
            payload,
            config,
            context=context,
            stream_mode="updates",
            subgraphs=True,
        ):
            if on_event is not None:
                on_event((namespace, update))
        snapshot = graph.get_state(config)
        paused = snapshot.interrupts[0].value if snapshot.interrupts else None
        if paused is None or on_approval is None:
            break
        payload = Command(resume=on_approval(paused))
    return snapshot, paused
