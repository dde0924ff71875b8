"""Checkpointers: SQLite under the output directory, or Postgres by URL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver

# Channel names LangGraph gives a task's return value and namespace levels.
RETURN = "__return__"
NS_SEP = "|"

STATE_DIR = ".archedit"


def sqlite_path(out_dir: Path) -> Path:
    """Where a run's SQLite checkpoints live."""
    return out_dir / STATE_DIR / "checkpoints.sqlite"


@contextmanager
def open_checkpointer(
    out_dir: Path, postgres_url: str | None = None
) -> Iterator[BaseCheckpointSaver]:
    """Open the checkpointer for runs writing to ``out_dir``.

    Args:
        out_dir: The run's output directory; the SQLite file goes below it.
        postgres_url: A PostgreSQL connection URL; when given, checkpoints go
            there instead, so another machine can resume the run.
    """
    if postgres_url:
        from langgraph.checkpoint.postgres import PostgresSaver

        with PostgresSaver.from_conn_string(postgres_url) as saver:
            saver.setup()
            yield saver
        return
    from langgraph.checkpoint.sqlite import SqliteSaver

    path = sqlite_path(out_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    with SqliteSaver.from_conn_string(str(path)) as saver:
        yield saver


def saved_work(graph: Any, config: dict[str, Any]) -> tuple[dict[str, Any], list[Any]]:
    """Every file result and model call a run has saved, finished or not.

    A run stopped inside plan or dispatch holds its work in three places:
    the state (files of earlier sittings), what the node's tasks returned
    (architect calls, finished file branches), and the checkpoints of file
    branches under way. Returns the file results by path and the ledger.
    """
    snapshot = graph.get_state(config)
    results = dict(snapshot.values.get("results") or {})
    ledger = list(snapshot.values.get("ledger") or [])
    saved = graph.checkpointer.get_tuple(config)
    if saved is None:
        return results, ledger
    # What the tasks of the node under way returned: file branches and
    # architect calls.
    returned = {
        task_id: value
        for task_id, channel, value in saved.pending_writes or []
        if channel == RETURN and isinstance(value, dict) and "ledger" in value
    }
    for written in returned.values():
        if "result" in written:
            results[written["result"]["path"]] = written["result"]
        ledger += written["ledger"]
    branches = tuple(f"{task.name}:{task.id}{NS_SEP}file:" for task in snapshot.tasks)
    thread = {"configurable": {"thread_id": config["configurable"]["thread_id"]}}
    seen: set[str] = set()
    for branch in graph.checkpointer.list(thread):
        namespace = branch.config["configurable"].get("checkpoint_ns", "")
        if namespace in seen or not namespace.startswith(branches):
            continue
        seen.add(namespace)
        if namespace.rpartition(":")[2] in returned:
            continue
        # The newest checkpoint of a branch under way, and the steps it
        # finished since.
        ledger += branch.checkpoint["channel_values"].get("ledger") or []
        ledger += [
            record
            for _, channel, records in branch.pending_writes or []
            if channel == "ledger"
            for record in records
        ]
    return results, ledger
