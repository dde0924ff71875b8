"""dispatch: every file to its own branch once the files it needs are finished.

Every unfinished file is started as a LangGraph task, up to ``CALLED``
ahead, in an order where each file follows the files it depends on. A task
waits until its dependencies are finished and one of the run's
``concurrency`` slots is free (ready files take them in that order), then
builds its bounded work order from what its dependencies became and runs the
file graph. A slow file thus holds back only the files that depend on it.

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
from archedit.checks import interface_of, is_test_file
from archedit.scheduling import Board, Stopped, start_order
from graph.context import Context
from graph.files import file_graph
from graph.state import (
    Attempt,
    CallRecord,
    Dependency,
    FileResult,
    FileTask,
    PipelineState,
)

CALLED = 64
"""File tasks called ahead of the files at work, waiting for dependencies."""


class Written(TypedDict):
    """What one file's branch hands back."""

    result: FileResult
    ledger: list[CallRecord]


def dispatch(state: PipelineState, runtime: Runtime[Context]) -> dict:
    """Write every unfinished file, each as soon as its dependencies are done.

    Then, while tests failed in the code of a file that has attempts left,
    reopen those files with the failures and check the tests again.
    """
    blueprint = Blueprint.model_validate(state["blueprint"])
    specs = {spec.path: spec for spec in blueprint.files}
    settings = context_of(runtime)
    results = dict(state.get("results") or {})
    ledger: list[CallRecord] = []
    starts: dict[str, dict[str, Any]] = {
        spec.path: {} for spec in blueprint.files if spec.path not in results
    }
    while starts:
        board = Board(
            {p: r for p, r in results.items() if p not in starts},
            settings.concurrency,
        )
        for one in _write(starts, specs, board, runtime.context, settings):
            results[one["result"]["path"]] = one["result"]
            ledger += one["ledger"]
        # Reopened in rounds, after every running file is done, so that a
        # resumed run calls the same tasks in the same order.
        starts = reopenings(results, specs, settings)
    return {"results": results, "ledger": ledger}


def _write(
    starts: dict[str, dict[str, Any]],
    specs: dict[str, FileSpec],
    board: Board,
    context: Any,
    settings: Context,
) -> list[Written]:
    """Run the branches of ``starts`` to their end; what they wrote.

    At most ``CALLED`` branches are called and unfinished at a time: LangGraph
    looks over every unfinished task each time one ends, so thousands at once
    would cost time growing with the square of the number of files. Calls
    follow the start order, so each waits only on files called before it.
    """
    called = threading.BoundedSemaphore(max(CALLED, settings.concurrency))
    futures = []
    for spec in start_order(specs[path] for path in starts):
        called.acquire()
        if board.stopped:
            called.release()
            break
        board.enlist(spec.path, _below(spec.path, specs))
        future = file(spec.path, specs, board, context, settings, starts[spec.path])
        future.add_done_callback(_posting(board, spec.path))
        future.add_done_callback(lambda _: called.release())
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
    return written


@task(name="file")
def file(
    path: str,
    specs: dict[str, FileSpec],
    board: Board,
    context: Any,
    settings: Context,
    start: dict[str, Any],
) -> Written:
    """One file's branch: wait for its turn, then its attempts.

    ``start`` is empty for a new file, or the state of a finished file that
    is reopened or checked again.
    """
    with board.turn(path) as done:
        work = file_task(specs[path], specs, done)
        work["reopenable"] = sorted(
            p for p, r in done.items() if has_attempt_left(r, settings)
        )
        try:
            final = file_graph.invoke({**start, "file": work}, context=context)
        except BaseException as err:
            # Before the slot is free, so that no waiting file takes it.
            board.stop(err)
            raise
    return Written(result=final["results"][path], ledger=final.get("ledger") or [])


def reopenings(
    results: dict[str, FileResult],
    specs: dict[str, FileSpec],
    settings: Context,
) -> dict[str, dict[str, Any]]:
    """Files to reopen with the test failures in their code, and the files to
    check again once they are rewritten.

    A reopened file starts from its finished state plus one failed attempt
    carrying the failures, so the usual policy retries or escalates it. The
    failing tests, and every other written file that depends on a reopened
    one, are checked again against its new text; a check that fails there
    goes on under that file's own policy.
    """
    blamed: dict[str, list[str]] = {}
    for path, result in sorted(results.items()):
        target = result.get("implicates")
        if target and result["status"] == "failed" and target in results:
            blamed.setdefault(target, []).append(path)
    starts: dict[str, dict[str, Any]] = {}
    for target, tests in sorted(blamed.items()):
        for test in tests:
            starts[test] = {**_brought_back(results[test]), "recheck": True}
        prior = results[target]
        if not has_attempt_left(prior, settings):
            # The tests, checked again, retry as any other file.
            continue
        judged = Attempt(
            number=len(prior["attempts"]) + 1,
            role=prior["role"] or "editor",
            model=prior["model"] or "",
            failure="check",
            problems=[
                problem
                for test in tests
                for problem in results[test]["attempts"][-1]["problems"]
            ],
            repairs=[],
        )
        starts[target] = {
            **_brought_back(prior),
            "attempts": [*prior["attempts"], judged],
        }
    reopened = {target for target in blamed if target in starts}
    for path, result in sorted(results.items()):
        if path in starts or result.get("content") is None:
            continue
        if reopened & _below(path, specs):
            starts[path] = {**_brought_back(result), "recheck": True}
    return starts


def has_attempt_left(result: FileResult, settings: Context) -> bool:
    """Whether a finished file under test may be reopened for another try."""
    if result["status"] == "failed" or result.get("content") is None:
        return False
    if not result["path"].endswith(".py") or is_test_file(result["path"]):
        return False
    escalations = result.get("escalations") or 0
    if escalations:
        return escalations < settings.max_escalations
    return (result.get("retries") or 0) < settings.max_retries or (
        settings.max_escalations > 0
    )


def _brought_back(result: FileResult) -> dict[str, Any]:
    """The file graph's state for a finished file, to continue from."""
    return {
        "draft": result["content"],
        "writer": {"role": result["role"], "model": result["model"]},
        "attempts": result["attempts"],
        "retries": result.get("retries") or 0,
        "escalations": result.get("escalations") or 0,
    }


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
