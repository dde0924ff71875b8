"""check: syntax, lint, interface and parse checks of the latest draft."""

from __future__ import annotations

from archedit.checks import check_file
from graph.state import Attempt, FileResult, FileState, FileStatus


def check(state: FileState) -> dict:
    """Check the draft and record the attempt and the file's current result."""
    task = state["file"]
    draft = state.get("draft")
    if draft is None:
        failure, problems = "format", [state.get("format_problem") or "no file"]
    else:
        found = check_file(
            task["path"], draft, task["workspace"], planned=task["planned"]
        )
        problems = [f"{p.check}: {p.message}" for p in found]
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
    )
    return {
        "passed": failure is None,
        "attempts": [attempt],
        "results": {task["path"]: result},
    }


def status_of(attempt: Attempt) -> FileStatus:
    """Where a file stands after ``attempt``."""
    if attempt["failure"] is not None:
        return "failed"
    if attempt["role"] == "escalation":
        return "escalated"
    return "passed" if attempt["number"] == 1 else "passed_after_retry"
