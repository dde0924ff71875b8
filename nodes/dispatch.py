"""dispatch: every file to its own branch once the files it needs are finished.

Every unfinished file is started at once, as a LangGraph task, in an order
where each file follows the files it depends on. A task waits until its
dependencies are finished, then builds its bounded work order from what they
became and runs the file graph, holding one of the run's ``concurrency``
slots. A slow file thus holds back only the files that depend on it.

Task results are saved as each file finishes. A resumed run calls the tasks
in the same order, so finished files come back from the checkpoint and only
unfinished ones run again, from their last saved step.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from typing import Any, TypedDict

from langgraph.func import task
from langgraph.runtime import Runtime

from archedit.blueprint import Blueprint, FileSpec
from archedit.calls import context_of
from archedit.checks import interface_of
from archedit.scheduling import Board, Stopped, start_order
from graph.context import Context
from graph.files import file_graph
from graph.state import CallRecord, Dependency, FileResult, FileTask, PipelineState


class Written(TypedDict):
    """What one file's branch hands back."""

    result: FileResult
    ledger: list[CallRecord]


def dispatch(state: PipelineState, runtime: Runtime[Context]) -> dict:
    """Write every unfinished file, each as soon as its dependencies are done."""
    blueprint = Blueprint.model_validate(state["blueprint"])
    finished = state.get("results") or {}
    specs = {spec.path: spec for spec in blueprint.files}
    board = Board(finished)
    slots = threading.BoundedSemaphore(context_of(runtime).concurrency)
    futures = []
    for spec in start_order(blueprint.files):
        if spec.path in finished:
            continue
        future = file(spec.path, specs, board, slots, runtime.context)
        future.add_done_callback(_posting(board, spec.path))
        futures.append(future)
    written: list[Written] = []
    failure: BaseException | None = None
    for future in futures:
        try:
            written.append(future.result())
        except Stopped:
            continue
        except BaseException as err:
            failure = failure or err
    if failure is not None:
        # Files finished before the failure are saved with their tasks; a
        # resumed run takes them from there.
        raise failure
    return {
        "results": {one["result"]["path"]: one["result"] for one in written},
        "ledger": [call for one in written for call in one["ledger"]],
    }


@task(name="file")
def file(
    path: str,
    specs: dict[str, FileSpec],
    board: Board,
    slots: threading.BoundedSemaphore,
    context: Any,
) -> Written:
    """One file's branch: wait for its dependencies, then its attempts."""
    done = board.wait_for(_below(path, specs))
    work = file_task(specs[path], specs, done)
    with slots:
        board.check()
        try:
            final = file_graph.invoke({"file": work}, context=context)
        except BaseException as err:
            # Before the slot is free, so that no waiting file takes it.
            board.stop(err)
            raise
    return Written(result=final["results"][path], ledger=final.get("ledger") or [])


def _posting(board: Board, path: str):
    def post(future: Future) -> None:
        if future.cancelled():
            board.stop(Stopped(f"{path} was cancelled"))
        elif (err := future.exception()) is not None:
            board.stop(err)
        else:
            board.finish(path, future.result()["result"])

    return post


def _below(path: str, specs: dict[str, FileSpec]) -> set[str]:
    """Every file ``path`` depends on, directly or not."""
    below: set[str] = set()
    stack = list(specs[path].depends_on)
    while stack:
        dep = stack.pop()
        if dep not in below:
            below.add(dep)
            stack.extend(specs[dep].depends_on)
    return below


def file_task(
    spec: FileSpec,
    specs: dict[str, FileSpec],
    results: dict[str, FileResult],
) -> FileTask:
    """The work order for one file: its spec, its dependencies' interfaces.

    Direct dependencies are described by the interface of the code actually
    written for them (the declared one if nothing usable was written). The
    workspace holds the finished text of every file it depends on, directly or
    not, so checks and tests can import them. The task's planned paths are the
    file itself and those files, written or not: a file can import nothing
    else, and listing the whole blueprint in every task would make the run's
    state grow with the square of the number of files.
    """
    dependencies = [
        Dependency(
            path=dep,
            purpose=specs[dep].purpose,
            interface=_interface(specs[dep], results[dep].get("content")),
        )
        for dep in spec.depends_on
    ]
    workspace: dict[str, str] = {}
    below: set[str] = set()
    stack = list(spec.depends_on)
    while stack:
        dep = stack.pop()
        if dep in below:
            continue
        below.add(dep)
        content = results[dep].get("content")
        if content is not None:
            workspace[dep] = content
        stack.extend(specs[dep].depends_on)
    return FileTask(
        path=spec.path,
        kind=spec.kind,
        purpose=spec.purpose,
        interface=spec.interface,
        dependencies=dependencies,
        workspace=workspace,
        planned=[spec.path, *sorted(below)],
    )


def _interface(spec: FileSpec, content: str | None) -> str:
    if content and spec.path.endswith(".py"):
        found = interface_of(spec.path, content)
        if found.strip():
            return found
    return spec.interface or "(no public interface declared)"
