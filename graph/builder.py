"""The only place that knows the pipeline's shape.

    START -> plan -> [approve] -> dispatch -> report -> END

``approve`` pauses for a reviewer when the run context asks for it.
``dispatch`` runs the file graph (``graph.files``) once per file, each as
soon as the files it depends on are finished.
"""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Checkpointer

from graph.context import Context
from graph.files import build_file_graph, file_graph
from graph.routing import route_after_approve, route_after_plan
from graph.state import PipelineInput, PipelineState
from nodes.approve import approve
from nodes.dispatch import dispatch
from nodes.plan import plan
from nodes.report import report

__all__ = ["build_file_graph", "build_graph", "file_graph", "graph"]


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
    builder.add_node(report)
    builder.add_edge(START, "plan")
    builder.add_conditional_edges("plan", route_after_plan)
    builder.add_conditional_edges("approve", route_after_approve)
    builder.add_edge("dispatch", "report")
    builder.add_edge("report", END)
    return builder.compile(checkpointer=checkpointer, name="archedit")


graph = build_graph()
