"""One file's attempts, as a graph of its own.

    START -> edit -> coerce -> check -> END | retry -> edit | escalate -> coerce

A file dispatch brings back starts elsewhere: a test file whose dependency
was rewritten goes straight to check; a file reopened with a test failure in
its code goes to retry or escalate, as after a failed check.

``dispatch`` runs it once per file. It is also served on its own, so one
file's work order can be run and watched by itself.
"""

from __future__ import annotations

from langgraph.graph import START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from graph.context import Context
from graph.routing import route_after_check, route_start
from graph.state import FileState
from nodes.check import check
from nodes.coerce import coerce
from nodes.edit import edit
from nodes.escalate import escalate
from nodes.retry import retry


def build_file_graph() -> CompiledStateGraph:
    """One file's attempts: edit, coerce, check, then retry or escalate."""
    builder = StateGraph(FileState, context_schema=Context)
    builder.add_node(edit)
    builder.add_node(coerce)
    builder.add_node(check)
    builder.add_node(retry)
    builder.add_node(escalate)
    builder.add_conditional_edges(START, route_start)
    builder.add_edge("edit", "coerce")
    builder.add_edge("coerce", "check")
    builder.add_conditional_edges("check", route_after_check)
    builder.add_edge("retry", "edit")
    builder.add_edge("escalate", "coerce")
    return builder.compile(name="file")


file_graph = build_file_graph()
