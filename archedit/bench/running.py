"""Running every task of a suite in every configuration, resumably.

Each task x configuration pair is one pipeline run with its own output
directory and thread id. Finished pairs are in bench.json, which is rewritten
after every run; a pair whose run was cut short is resumed from its
checkpoints by thread id, so an interrupted bench continues where it stopped.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

from archedit import runner, workspace
from archedit.bench import records
from archedit.bench.acceptance import score
from archedit.bench.configs import BenchConfig
from archedit.bench.suite import BenchTask
from archedit.budget import BudgetExceeded
from archedit.calls import ModelCallError
from archedit.checkpoints import saved_work
from archedit.providers import ProviderError
from archedit.reporting import build_report
from archedit.sandbox import Sandbox

logger = logging.getLogger(__name__)

# A failing model or a spent budget ends its run, not the bench: the run is
# recorded with its error and scored on whatever files it left.
_RUN_ERRORS = (ModelCallError, ProviderError, BudgetExceeded)
_SPENT = ".bench-wall-s"


class BenchListener:
    """What a bench reports while it goes; the default ignores all of it."""

    def started(
        self, index: int, total: int, config: str, task: str, resumed: bool
    ) -> None:
        """A run is about to start (or to resume)."""

    def event(self, event: runner.Event) -> None:
        """One update of the pipeline's stream for the current run."""

    def skipped(self, index: int, total: int, config: str, task: str) -> None:
        """A pair already in bench.json is not run again."""

    def finished(self, record: dict[str, Any]) -> None:
        """A run is recorded."""


def run_bench(
    tasks: list[BenchTask],
    configs: list[BenchConfig],
    out_dir: str | Path,
    *,
    suite: str = "",
    unsandboxed: bool = False,
    listener: BenchListener | None = None,
) -> dict[str, Any]:
    """Run every task in every configuration; return the bench results.

    Args:
        tasks: The tasks to run.
        configs: The configurations to run them in.
        out_dir: Where bench.json and every run's files go.
        suite: The suite's name or path, recorded in bench.json.
        unsandboxed: Run generated and acceptance tests without bubblewrap.
        listener: Told about progress.

    Raises:
        ValueError: if bench.json in ``out_dir`` was made with a different
            setup under a configuration name used again.
    """
    out = Path(out_dir).absolute()
    listener = listener or BenchListener()
    results_path = out / records.RESULTS
    data = records.start(records.load(results_path), tasks, configs, suite)
    sandbox = Sandbox(unsandboxed=unsandboxed)
    done = {(run["config"], run["task"]) for run in data["runs"]}
    pairs = [(config, task) for config in configs for task in tasks]
    for index, (config, task) in enumerate(pairs, 1):
        if (config.name, task.name) in done:
            listener.skipped(index, len(pairs), config.name, task.name)
            continue
        run_dir = out / "runs" / config.name / task.name
        thread_id = f"{config.name}.{task.name}"
        resumed = runner.settings_path(run_dir, thread_id).exists()
        listener.started(index, len(pairs), config.name, task.name, resumed)
        record = _run_one(
            task, config, run_dir, thread_id, resumed, sandbox, unsandboxed, listener
        )
        data["runs"].append(record)
        records.save(results_path, data)
        listener.finished(record)
    data["finished"] = records.now()
    records.save(results_path, data)
    return data


def _run_one(
    task: BenchTask,
    config: BenchConfig,
    run_dir: Path,
    thread_id: str,
    resumed: bool,
    sandbox: Sandbox,
    unsandboxed: bool,
    listener: BenchListener,
) -> dict[str, Any]:
    context = config.context(run_dir, unsandboxed=unsandboxed)
    # Time spent before an interruption counts too: a resumed run's wall
    # time is the sum of its sittings.
    spent = run_dir / _SPENT
    before = float(spent.read_text()) if spent.exists() else 0.0
    started = time.monotonic()
    error = None
    try:
        state = _execute(task, context, thread_id, resumed, listener)
        report = _report(state)
    except _RUN_ERRORS as err:
        logger.warning("run %s failed: %s", thread_id, err)
        error = f"{type(err).__name__}: {err}"
        state, report = _salvage(task, run_dir, thread_id, err, error)
    finally:
        wall = before + time.monotonic() - started
        workspace.atomic_write(spent, f"{wall:.2f}\n")
    files = {
        path: result["content"]
        for path, result in (state.get("results") or {}).items()
        if result.get("content") is not None
    }
    acceptance = score(task, files, sandbox)
    return records.run_record(
        config=config.name,
        task=task.name,
        thread_id=thread_id,
        out_dir=str(run_dir),
        wall_s=wall,
        resumed=resumed,
        report=report,
        acceptance=acceptance.as_dict(),
        error=error,
    )


def _execute(
    task: BenchTask,
    context: Any,
    thread_id: str,
    resumed: bool,
    listener: BenchListener,
) -> dict[str, Any]:
    if resumed:
        try:
            return runner.execute(
                None, context, thread_id=thread_id, on_event=listener.event
            )
        except runner.RunNotFound:
            # Stopped after its settings were saved but before the first
            # checkpoint: nothing to resume, so it starts again.
            logger.info("run %s had no checkpoint; starting it again", thread_id)
    return runner.execute(
        task.text, context, thread_id=thread_id, on_event=listener.event
    )


def _report(state: dict[str, Any]) -> dict[str, Any] | None:
    path = state.get("report_path")
    if not path or not Path(path).exists():
        return None
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _salvage(
    task: BenchTask, run_dir: Path, thread_id: str, err: Exception, error: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The saved state of a run that stopped on an error, and its report.

    The pipeline wrote no report, so one is built from the last checkpoint:
    the files finished so far and every call made, the failed one included.
    """
    config = {"configurable": {"thread_id": thread_id}}
    with runner.pipeline(run_dir) as graph:
        state = dict(graph.get_state(config).values)
        results, ledger = saved_work(graph, config)
    state["results"] = results
    failed_call = getattr(err, "record", None)
    if failed_call is not None:
        ledger.append(failed_call)
    blueprint = state.get("blueprint")
    order = [spec["path"] for spec in blueprint["files"]] if blueprint else []
    report = build_report(task.text, results, ledger, order=order, error=error)
    return state, report
