"""The archedit pipeline as a LangGraph graph.

``from graph import graph`` gives the compiled graph without a checkpointer
(what ``langgraph.json`` serves); ``build_graph(checkpointer)`` compiles one
with a checkpointer for resumable runs from Python.
"""

from typing import Any

__all__ = ["build_graph", "graph"]


def __getattr__(name: str) -> Any:
    # Imported lazily so that the state and context modules can be used
    # without importing every node.
    if name in __all__:
        from graph import builder

        return getattr(builder, name)
    raise AttributeError(f"module 'graph' has no attribute {name!r}")
