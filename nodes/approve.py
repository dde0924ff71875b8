"""approve: pause with the blueprint until a reviewer accepts, edits or rejects it."""

from __future__ import annotations

import logging

from langgraph.runtime import Runtime
from langgraph.types import interrupt

from archedit.approval import HOW_TO_ANSWER, ApprovalError, read_decision
from archedit.calls import context_of
from graph.context import Context
from graph.state import PipelineState

logger = logging.getLogger(__name__)


def approve(state: PipelineState, runtime: Runtime[Context]) -> dict:
    """Ask for a decision on the blueprint; ask again after an unusable answer."""
    context = context_of(runtime)
    request = {"blueprint": state["blueprint"], "error": None, "how": HOW_TO_ANSWER}
    while True:
        # On resume LangGraph replays earlier answers to earlier interrupt()
        # calls in order, so each unusable answer leads to one more pause.
        answer = interrupt(request)
        try:
            decision = read_decision(answer, context.max_files)
        except ApprovalError as err:
            logger.warning("plan approval answer refused: %s", err)
            request = {**request, "error": str(err)}
            continue
        break
    if decision.action == "accept":
        return {"approval": "accepted"}
    if decision.action == "edit":
        return {"approval": "edited", "blueprint": decision.blueprint.model_dump()}
    reason = f": {decision.reason}" if decision.reason else ""
    return {
        "approval": "rejected",
        "error": f"the blueprint was rejected at plan approval{reason}; "
        "no file was written",
    }
