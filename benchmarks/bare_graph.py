"""A bare LangGraph graph of archedit's shape, doing no work in its nodes.

    START -> plan -> dispatch -> file* -> dispatch ... -> report -> END
    file: START -> edit -> coerce -> check -> END

Nodes pass along the least state that keeps the same flow: the plan is a
list of paths, a file's result is its path and text. What it costs to run is
LangGraph's own cost for this shape, with the same checkpointer.
"""

from __future__ import annotations

import operator
from typing import Annotated, Literal, NotRequired, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Checkpointer, Send


def _merge(left: dict, right: dict) -> dict:
    return {**(left or {}), **(right or {})}


class BareState(TypedDict):
    files: NotRequired[list[str]]
    pending: NotRequired[list[str]]
    results: Annotated[dict[str, str], _merge]
    ledger: Annotated[list[str], operator.add]


class BareFile(TypedDict):
    file: str
    draft: NotRequired[str]
    results: Annotated[dict[str, str], _merge]
    ledger: Annotated[list[str], operator.add]


def build_bare_graph(
    files: list[str], checkpointer: Checkpointer = None
) -> CompiledStateGraph:
    """Compile the bare graph for a plan of independent ``files``."""

    def plan(state: BareState) -> dict:
        return {"files": files}

    def dispatch(state: BareState) -> dict:
        done = state.get("results") or {}
        return {"pending": [path for path in state["files"] if path not in done]}

    def route(state: BareState) -> list[Send] | Literal["report"]:
        pending = state.get("pending") or []
        if not pending:
            return "report"
        return [Send("file", {"file": path}) for path in pending]

    def report(state: BareState) -> dict:
        return {}

    def edit(state: BareFile) -> dict:
        return {"ledger": [state["file"]]}

    def coerce(state: BareFile) -> dict:
        return {"draft": f"# {state['file']}\n"}

    def check(state: BareFile) -> dict:
        return {"results": {state["file"]: state["draft"]}}

    file = StateGraph(BareFile)
    file.add_node(edit)
    file.add_node(coerce)
    file.add_node(check)
    file.add_edge(START, "edit")
    file.add_edge("edit", "coerce")
    file.add_edge("coerce", "check")
    file.add_edge("check", END)

    builder = StateGraph(BareState)
    builder.add_node(plan)
    builder.add_node(dispatch)
    builder.add_node("file", file.compile(name="file"))
    builder.add_node(report)
    builder.add_edge(START, "plan")
    builder.add_edge("plan", "dispatch")
    builder.add_conditional_edges("dispatch", route, ["file", "report"])
    builder.add_edge("file", "dispatch")
    builder.add_edge("report", END)
    return builder.compile(checkpointer=checkpointer, name="bare")
