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


def route_after_check(
    state: FileState,
) -> Literal["retry", "escalate", "__end__"]:
    """Pass ends the branch; a failure retries, then escalates, then gives up."""
    if state.get("passed"):
        return END
    context = context_of(get_runtime(Context))
    escalations = state.get("escalations") or 0
    if escalations:
        return "escalate" if escalations < context.max_escalations else END
    if (state.get("retries") or 0) < context.max_retries:
        return "retry"
    return "escalate" if context.max_escalations > 0 else END
