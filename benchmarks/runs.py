"""Running archedit on a scripted blueprint and timing it, for the benchmarks."""

from __future__ import annotations

import logging
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from shapes import Spec, plan_reply
from timed_model import PLAN, TimedChatModel, fenced

from archedit.checkpoints import open_checkpointer
from archedit.runner import THREADS
from graph.builder import build_graph
from graph.context import Context

# Scripted runs log nothing useful, and the report's cost lookups warn about
# the unknown scripted models.
logging.disable(logging.WARNING)


@dataclass
class Timed:
    """One run: its wall time, final state and the models' call records."""

    seconds: float
    state: dict
    architect: TimedChatModel
    editor: TimedChatModel


def models(
    files: list[Spec],
    latency: dict[str, float] | None = None,
    plan_latency: float = 0.0,
    replies: dict[str, list[str]] | None = None,
) -> tuple[TimedChatModel, TimedChatModel]:
    """An architect that plans ``files`` and an editor that writes each one.

    Args:
        files: The blueprint's files.
        latency: Seconds each editor call for a path takes (0 if absent).
        plan_latency: Seconds the architect's plan call takes.
        replies: Editor replies per path, to script failures; by default every
            file gets a short fenced text that passes.
    """
    scripts = {
        spec["path"]: [fenced(f"# {spec['path']}\n\n{spec['purpose']}\n")]
        for spec in files
    }
    scripts.update(replies or {})
    architect = TimedChatModel(
        replies={PLAN: [plan_reply(files)]}, latency={PLAN: plan_latency}
    )
    editor = TimedChatModel(replies=scripts, latency=latency or {})
    return architect, editor


def run(
    files: list[Spec],
    latency: dict[str, float] | None = None,
    plan_latency: float = 0.0,
    concurrency: int = 4,
    replies: dict[str, list[str]] | None = None,
    out_dir: str | None = None,
) -> Timed:
    """Run the compiled pipeline with SQLite checkpoints and time it.

    The graph is invoked with the configuration ``archedit.runner`` uses,
    without streaming progress.
    """
    architect, editor = models(files, latency, plan_latency, replies)
    with tempfile.TemporaryDirectory() as tmp:
        context = Context(
            architect=architect,
            editor=editor,
            out_dir=out_dir or tmp,
            concurrency=concurrency,
            max_files=max(40, len(files)),
        )
        config = {
            "configurable": {"thread_id": "benchmark"},
            "max_concurrency": THREADS,
            "recursion_limit": 100_000,
        }
        start = time.perf_counter()
        with open_checkpointer(Path(context.out_dir)) as saver:
            graph = build_graph(checkpointer=saver)
            state = graph.invoke({"task": "benchmark"}, config, context=context)
        seconds = time.perf_counter() - start
    failed = [p for p, r in state["results"].items() if r["status"] == "failed"]
    if failed or len(state["results"]) != len(files):
        raise RuntimeError(f"benchmark run did not pass every file: {failed}")
    return Timed(seconds, state, architect, editor)
