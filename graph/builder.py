"""The only place that knows the pipeline's shape.

    START -> plan -> [approve] -> dispatch -> file* -> dispatch ... -> report -> END

``approve`` pauses for a reviewer when the run context asks for it.

``file`` is a subgraph run once per file through ``Send``:

    START -> edit -> coerce -> check -> END | retry -> edit | escalate -> coerce
"""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Checkpointer

from graph.context import Context
from graph.routing import (
    route_after_approve,
    route_after_check,
    route_after_dispatch,
    route_after_plan,
)
from graph.state import FileState, PipelineInput, PipelineState
from nodes.approve import approve
from nodes.check import check
from nodes.coerce import coerce
from nodes.dispatch import dispatch
from nodes.edit import edit
from nodes.escalate import escalate
from nodes.plan import plan
from nodes.report import report
from nodes.retry import retry


def build_file_graph() -> CompiledStateGraph:
    """One file's attempts: edit, coerce, check, then retry or escalate."""
    builder = StateGraph(FileState, context_schema=Context)
    builder.add_node(edit)
    builder.add_node(coerce)
    builder.add_node(check)
    builder.add_node(retry)
    builder.add_node(escalate)
    builder.add_edge(START, "edit")
    builder.add_edge("edit", "coerce")
    builder.add_edge("coerce", "check")
    builder.add_conditional_edges("check", route_after_check)
    builder.add_edge("retry", "edit")
    builder.add_edge("escalate", "coerce")
    return builder.compile(name="file")


def build_graph(checkpointer: Checkpointer = None) -> CompiledStateGraph:
    """Compile the pipeline.

    Args:
        checkpointer: Saves progress so an interrupted run resumes without
            redoing finished files; see ``archedit.checkpoints``. Leave it
            None for a LangGraph server, which brings its own.
    """
    builder = StateGraph(
        PipelineState, input_schema=PipelineInput, context_schema=Context
    )
    builder.add_node(plan)
    builder.add_node(approve)
    builder.add_node(dispatch)
    builder.add_node("file", build_file_graph())
    builder.add_node(report)
    builder.add_edge(START, "plan")
    builder.add_conditional_edges("plan", route_after_plan)
    builder.add_conditional_edges("approve", route_after_approve)
    builder.add_conditional_edges("dispatch", route_after_dispatch, ["file", "report"])
    builder.add_edge("file", "dispatch")
    builder.add_edge("report", END)
    return builder.compile(checkpointer=checkpointer, name="archedit")


graph = build_graph()
