"""Checkpointers: SQLite under the output directory, or Postgres by URL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from langgraph.checkpoint.base import BaseCheckpointSaver

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
