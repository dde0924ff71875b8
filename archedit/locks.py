"""One driver per run: a lock held for as long as a process drives a thread.

Two processes resuming the same thread would both write its checkpoints and
its output files. With Postgres the lock is a session advisory lock, so it
guards processes on any machine sharing the database; with SQLite it is an
``flock`` on a file beside the checkpoints. Either is released by the
operating system or the database when its process dies, so a killed run can
be resumed at once.
"""

from __future__ import annotations

import fcntl
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from archedit.checkpoints import STATE_DIR


class RunBusy(RuntimeError):
    """Another process is driving the run right now."""


def advisory_key(thread_id: str) -> int:
    """The signed 64-bit advisory lock key of a thread."""
    digest = hashlib.blake2b(f"archedit:{thread_id}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big", signed=True)


@contextmanager
def hold_run(
    out_dir: Path, thread_id: str, postgres_url: str | None = None
) -> Iterator[None]:
    """Hold the run's lock for the duration of the block.

    Raises:
        RunBusy: if another process holds it.
    """
    if postgres_url:
        with _advisory_lock(postgres_url, thread_id):
            yield
        return
    path = out_dir / STATE_DIR / "runs" / f"{thread_id}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise _busy(thread_id, f"its lock file {path} is held") from None
        yield


@contextmanager
def _advisory_lock(postgres_url: str, thread_id: str) -> Iterator[None]:
    import psycopg

    key = advisory_key(thread_id)
    # A connection of its own: the lock lives as long as this session, and
    # the checkpointer's connection is free to commit as it goes.
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        row = conn.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()
        if not row or not row[0]:
            raise _busy(thread_id, "its advisory lock in Postgres is held")
        try:
            yield
        finally:
            # Closing the session releases the lock too; this only makes it
            # prompt, so a broken connection must not hide the run's outcome.
            with suppress(psycopg.Error):
                conn.execute("SELECT pg_advisory_unlock(%s)", (key,))


def _busy(thread_id: str, why: str) -> RunBusy:
    return RunBusy(
        f"run {thread_id!r} is being driven by another process ({why}); wait "
        "for it to finish or stop it, then resume"
    )
