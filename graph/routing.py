"""Routers: typed functions that decide where the pipeline goes next."""

from __future__ import annotations

from typing import Literal

from langgraph.graph import END
from langgraph.runtime import get_runtime

from archedit.calls import context_of
from graph.context import Context
from graph.state import FileState, PipelineState


def route_after_plan(
    state: PipelineState,
) -> Literal["approve", "dispatch", "report"]:
    """Dispatch a valid blueprint, after approval when the run asks for it.

    Planning failures go straight to the report.
    """
    if not state.get("blueprint"):
        return "report"
    return "approve" if context_of(get_runtime(Context)).approve_plan else "dispatch"


def route_after_approve(state: PipelineState) -> Literal["dispatch", "report"]:
    """Dispatch an accepted or edited blueprint; report a rejected one."""
    return "report" if state.get("approval") == "rejected" else "dispatch"


def route_start(state: FileState) -> Literal["edit", "check", "retry", "escalate"]:
    """A new file is edited; a file dispatch brings back resumes its policy.

    A finished test file whose dependency was rewritten is checked again; a
    finished file reopened with a test failure in its code is retried or
    escalated, as after any failed check.
    """
    if state.get("recheck"):
        return "check"
    if not state.get("attempts"):
        return "edit"
    after = _after_failure(state)
    # dispatch reopens only files with an attempt left.
    return "escalate" if after == END else after


def route_after_check(
    state: FileState,
) -> Literal["retry", "escalate", "__end__"]:
    """Pass ends the branch; a failure retries, then escalates, then gives up.

    A test failure in the code of a file the test depends on ends the branch
    too: dispatch reopens that file with the failure.
    """
    if state.get("passed") or state.get("implicates"):
        return END
    return _after_failure(state)


def _after_failure(state: FileState) -> Literal["retry", "escalate", "__end__"]:
    context = context_of(get_runtime(Context))
    escalations = state.get("escalations") or 0
    if escalations:
        return "escalate" if escalations < context.max_escalations else END
    if (state.get("retries") or 0) < context.max_retries:
        return "retry"
    return "escalate" if context.max_escalations > 0 else END
