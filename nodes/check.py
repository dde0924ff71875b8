"""check: static checks of the latest draft, and generated tests in the sandbox."""

from __future__ import annotations

from functools import cache

from langgraph.runtime import Runtime

from archedit.calls import context_of
from archedit.checks import check_file, is_test_file, run_tests
from archedit.sandbox import Sandbox
from graph.context import Context
from graph.state import Attempt, FileResult, FileState, FileStatus, TestOutcome


def check(state: FileState, runtime: Runtime[Context]) -> dict:
    """Check the draft and record the attempt and the file's current result."""
    task = state["file"]
    draft = state.get("draft")
    tests: TestOutcome | None = None
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
                failed = ", ".join(run.failed) or "the run"
                problems = [f"test: {failed} failed\n{run.output}"]
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
    )
    return {
        "passed": failure is None,
        "attempts": [attempt],
        "results": {task["path"]: result},
    }


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
