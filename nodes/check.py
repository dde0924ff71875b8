"""check: static checks of the latest draft, and generated tests in the sandbox."""

from __future__ import annotations

from functools import cache

from langgraph.runtime import Runtime

from archedit.calls import context_of
from archedit.checks import TestReport, check_file, is_test_file, run_tests
from archedit.sandbox import Sandbox
from graph.context import Context
from graph.state import (
    Attempt,
    FileResult,
    FileState,
    FileStatus,
    FileTask,
    TestOutcome,
)

NO_TESTS_COLLECTED = 5
"""pytest's exit status when a file holds no tests."""


def check(state: FileState, runtime: Runtime[Context]) -> dict:
    """Check the draft and record the attempt and the file's current result."""
    task = state["file"]
    draft = state.get("draft")
    tests: TestOutcome | None = None
    implicates: str | None = None
    if draft is None:
        failure, problems = "format", [state.get("format_problem") or "no file"]
    else:
        box = sandbox(context_of(runtime).unsandboxed)
        found = check_file(
            task["path"],
            draft,
            task["workspace"],
            planned=task["planned"],
            sandbox=box,
        )
        problems = [f"{p.check}: {p.message}" for p in found]
        if not problems and is_test_file(task["path"]) and task["path"].endswith(".py"):
            run = run_tests(
                task["path"], {**task["workspace"], task["path"]: draft}, box
            )
            tests = TestOutcome(passed=list(run.passed), failed=list(run.failed))
            if not run.ok:
                implicates = blamed(run.traced, task)
                problems = [f"test: {what_failed(run, implicates)}\n{run.output}"]
        failure = "check" if problems else None
    writer = state["writer"]
    attempts = state.get("attempts") or []
    attempt = Attempt(
        number=len(attempts) + 1,
        role=writer["role"],
        model=writer["model"],
        failure=failure,
        problems=problems,
        repairs=state.get("repairs") or [],
    )
    result = FileResult(
        path=task["path"],
        status=status_of(attempt),
        content=draft,
        model=writer["model"],
        role=writer["role"],
        attempts=[*attempts, attempt],
        tests=tests,
        retries=state.get("retries") or 0,
        escalations=state.get("escalations") or 0,
        implicates=implicates,
    )
    return {
        "passed": failure is None,
        "attempts": [attempt],
        "results": {task["path"]: result},
        "implicates": implicates,
        "recheck": False,
    }


def blamed(traced: tuple[str, ...], task: FileTask) -> str | None:
    """The file a failing test implicates, if dispatch can reopen it.

    That is the last file under test the tracebacks pass through: the code
    that raised. A failure with no such frame (an assertion in the test
    itself) implicates the test file, which retries as any other file.
    """
    under_test = [path for path in traced if not is_test_file(path)]
    if under_test and under_test[-1] in (task.get("reopenable") or []):
        return under_test[-1]
    return None


def what_failed(run: TestReport, implicates: str | None) -> str:
    """The first line of a failed test run's problem."""
    if run.failed:
        where = f" in {implicates}" if implicates else ""
        return f"{', '.join(run.failed)} failed{where}"
    if run.killed_reason:
        return f"the run was stopped: {run.killed_reason}"
    if run.returncode == NO_TESTS_COLLECTED:
        return "pytest collected no tests; write test functions named test_*"
    return f"pytest failed with exit status {run.returncode}"


@cache
def sandbox(unsandboxed: bool) -> Sandbox:
    """One sandbox per process; building it probes bubblewrap once."""
    return Sandbox(unsandboxed=unsandboxed)


def status_of(attempt: Attempt) -> FileStatus:
    """Where a file stands after ``attempt``."""
    if attempt["failure"] is not None:
        return "failed"
    if attempt["role"] == "escalation":
        return "escalated"
    return "passed" if attempt["number"] == 1 else "passed_after_retry"
