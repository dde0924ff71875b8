"""Which file may start: a board of finished files that waiting files watch.

``dispatch`` calls every file's task ahead; each waits on the board until the
files it depends on are finished and a slot is free, so a slow file holds
back only the files that need it. A failure anywhere stops the files that
have not started.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager

from archedit.blueprint import FileSpec
from graph.state import FileResult


class Stopped(RuntimeError):
    """A file did not start because another one stopped the run."""


class Board:
    """Finished files of one dispatch and the run's slots, shared by the
    threads that write files.

    Files are enlisted in start order. A file may start once every file it
    depends on is finished and a slot is free, and takes the slot only if no
    file enlisted before it is ready too: ready files start in start order,
    so a run at one slot writes its files in the same order every time.
    """

    def __init__(self, finished: Mapping[str, FileResult], slots: int) -> None:
        self._finished: dict[str, FileResult] = dict(finished)
        self._free = slots
        # Enlisted files that hold no slot yet, in start order, with the
        # files each one waits for.
        self._waiting: dict[str, frozenset[str]] = {}
        # One condition per waiting file, on one lock: a change wakes only
        # the file whose turn it is, not every thread that waits.
        self._lock = threading.Lock()
        self._turns: dict[str, threading.Condition] = {}
        self._stopped: BaseException | None = None

    def enlist(self, path: str, below: Iterable[str]) -> None:
        """Queue ``path``, which needs every file in ``below`` finished."""
        with self._lock:
            self._waiting[path] = frozenset(below)
            self._turns[path] = threading.Condition(self._lock)

    def finish(self, path: str, result: FileResult) -> None:
        """Record a finished file and wake the file whose turn it is now."""
        with self._lock:
            self._finished[path] = result
            # A file a resumed run got back from its checkpoint never took
            # its turn.
            self._waiting.pop(path, None)
            self._turns.pop(path, None)
            self._wake()

    def stop(self, reason: BaseException) -> None:
        """Let no waiting file start; the first reason is kept."""
        with self._lock:
            if self._stopped is None:
                self._stopped = reason
            for turn in self._turns.values():
                turn.notify()

    @property
    def stopped(self) -> bool:
        """Whether the run was stopped."""
        return self._stopped is not None

    def check(self) -> None:
        """Raise ``Stopped`` if the run was stopped."""
        if self._stopped is not None:
            raise Stopped(f"not started: {self._stopped}") from self._stopped

    @contextmanager
    def turn(self, path: str) -> Iterator[dict[str, FileResult]]:
        """Wait for ``path``'s turn and hold a slot for it meanwhile.

        Yields the results of the files it waits for.

        Raises:
            Stopped: if the run was stopped before its turn came.
        """
        with self._lock:
            self._turns[path].wait_for(lambda: self._stopped or self._may_start(path))
            self.check()
            self._free -= 1
            below = self._waiting.pop(path)
            del self._turns[path]
            done = {dep: self._finished[dep] for dep in below}
            # Another slot may be free for the next ready file.
            self._wake()
        try:
            yield done
        finally:
            with self._lock:
                self._free += 1
                self._wake()

    def _wake(self) -> None:
        # Called with the lock held.
        if (path := self._next()) is not None:
            self._turns[path].notify()

    def _may_start(self, path: str) -> bool:
        # Called with the lock held.
        return self._next() == path

    def _next(self) -> str | None:
        """The file that may take a slot now: the first ready one in the
        queue, if a slot is free. Called with the lock held."""
        if self._free <= 0:
            return None
        for queued, below in self._waiting.items():
            if below <= self._finished.keys():
                return queued
        return None


def start_order(files: Iterable[FileSpec]) -> list[FileSpec]:
    """Files by depth in the dependency graph, then in blueprint order.

    Every file comes after the files it depends on, and files that can start
    now come before files that must wait, so a bounded thread pool never
    fills with waiting files while startable ones queue behind them.
    """
    files = list(files)
    specs = {spec.path: spec for spec in files}
    depth: dict[str, int] = {}
    for spec in files:
        stack = [spec.path]
        while stack:
            path = stack[-1]
            below = [dep for dep in specs[path].depends_on if dep in specs]
            waiting = [dep for dep in below if dep not in depth]
            if waiting:
                stack.extend(waiting)
                continue
            stack.pop()
            depth[path] = 1 + max((depth[dep] for dep in below), default=-1)

    position = {spec.path: index for index, spec in enumerate(files)}
    return sorted(files, key=lambda spec: (depth[spec.path], position[spec.path]))
