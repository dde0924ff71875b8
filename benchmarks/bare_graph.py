"""Bare LangGraph graphs of archedit's shape, doing no work in their nodes.

    START -> plan -> dispatch -> report -> END
    dispatch: one task per file, at most ``slots`` at work, each running
    file: START -> edit -> coerce -> check -> END

That is archedit's shape: ``build_bare_graph``. ``build_bare_send_graph`` is
the other way LangGraph fans out, a ``Send`` per file to a subgraph node and
back to dispatch, for comparison. Nodes pass along the least state that
keeps the same flow: the plan is a list of paths, a file's result is its
path and text. What they cost to run is LangGraph's own cost for the shape,
with the same checkpointer.
"""

from __future__ import annotations

import operator
import threading
from typing import Annotated, Literal, NotRequired, TypedDict

from langgraph.func import task
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


def _file_graph() -> CompiledStateGraph:
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
    return file.compile(name="file")


def build_bare_graph(
    files: list[str], checkpointer: Checkpointer = None, slots: int = 4
) -> CompiledStateGraph:
    """Compile the task-shaped bare graph for a plan of independent ``files``."""
    file_graph = _file_graph()
    free = threading.BoundedSemaphore(slots)

    @task(name="file")
    def write(path: str) -> dict:
        with free:
            return file_graph.invoke({"file": path})

    def plan(state: BareState) -> dict:
        return {"files": files}

    def dispatch(state: BareState) -> dict:
        results: dict[str, str] = {}
        ledger: list[str] = []
        for future in [write(path) for path in state["files"]]:
            final = future.result()
            results.update(final["results"])
            ledger += final["ledger"]
        return {"results": results, "ledger": ledger}

    def report(state: BareState) -> dict:
        return {}

    builder = StateGraph(BareState)
    builder.add_node(plan)
    builder.add_node(dispatch)
    builder.add_node(report)
    builder.add_edge(START, "plan")
    builder.add_edge("plan", "dispatch")
    builder.add_edge("dispatch", "report")
    builder.add_edge("report", END)
    return builder.compile(checkpointer=checkpointer, name="bare")


def build_bare_send_graph(
    files: list[str], checkpointer: Checkpointer = None
) -> CompiledStateGraph:
    """Compile the Send-shaped bare graph for a plan of independent ``files``."""

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

    builder = StateGraph(BareState)
    builder.add_node(plan)
    builder.add_node(dispatch)
    builder.add_node("file", _file_graph())
    builder.add_node(report)
    builder.add_edge(START, "plan")
    builder.add_edge("plan", "dispatch")
    builder.add_conditional_edges("dispatch", route, ["file", "report"])
    builder.add_edge("file", "dispatch")
    builder.add_edge("report", END)
    return builder.compile(checkpointer=checkpointer, name="bare-send")
