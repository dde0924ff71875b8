"""edit: the editor model writes exactly one file."""

from __future__ import annotations

from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from langgraph.runtime import Runtime

from archedit.briefing import bullet, render_fields
from archedit.calls import call, context_of, model_for
from graph.context import Context
from graph.state import FileState
from prompts.editor import EDIT_SYSTEM, EDIT_TASK, RETRY


def edit(state: FileState, runtime: Runtime[Context]) -> dict:
    """One editor attempt; a retry carries the last draft and its problems."""
    task = state["file"]
    handle = model_for(context_of(runtime), "editor")
    messages = [
        SystemMessage(EDIT_SYSTEM),
        HumanMessage(EDIT_TASK.format(**render_fields(task))),
    ]
    feedback = state.get("feedback")
    if feedback:
        previous = state.get("draft")
        messages += [
            AIMessage(content=f"```\n{previous}```" if previous else "(no file)"),
            HumanMessage(RETRY.format(path=task["path"], problems=bullet(feedback))),
        ]
    attempt = len(state.get("attempts") or []) + 1
    reply, entry = call(
        handle, messages, role="editor", file=task["path"], attempt=attempt
    )
    return {
        "reply": reply,
        "writer": {"role": "editor", "model": handle.name},
        "ledger": [entry],
    }
