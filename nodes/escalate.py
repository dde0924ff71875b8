"""escalate: the architect model writes the one file the editor failed."""

from __future__ import annotations

import logging

from langchain_core.messages import HumanMessage, SystemMessage
from langgraph.runtime import Runtime

from archedit.briefing import bullet, render_fields
from archedit.calls import call, context_of, model_for
from graph.context import Context
from graph.state import FileState
from prompts.escalation import ESCALATE_SYSTEM, ESCALATE_TASK

logger = logging.getLogger(__name__)


def escalate(state: FileState, runtime: Runtime[Context]) -> dict:
    """One architect attempt at the file, shown the failed draft and problems."""
    task = state["file"]
    attempts = state["attempts"]
    escalations = (state.get("escalations") or 0) + 1
    logger.warning(
        "%s failed %d attempts; escalation %d to the architect",
        task["path"],
        len(attempts),
        escalations,
    )
    handle = model_for(context_of(runtime), "architect")
    draft = state.get("draft")
    prompt = ESCALATE_TASK.format(
        **render_fields(task),
        draft=f"```\n{draft}```" if draft else "(no usable file)",
        problems=bullet(attempts[-1]["problems"]),
    )
    reply, entry = call(
        handle,
        [SystemMessage(ESCALATE_SYSTEM), HumanMessage(prompt)],
        role="escalation",
        file=task["path"],
        attempt=len(attempts) + 1,
    )
    return {
        "reply": reply,
        "writer": {"role": "escalation", "model": handle.name},
        "escalations": escalations,
        "ledger": [entry],
    }
