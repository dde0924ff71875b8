"""Which file may start: a board of finished files that waiting files watch.

``dispatch`` starts every file at once; each waits on the board until the
files it depends on are finished, so a slow file holds back only the files
that need it. A failure anywhere stops the files that have not started.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping

from archedit.blueprint import FileSpec
from graph.state import FileResult


class Stopped(RuntimeError):
    """A file did not start because another one stopped the run."""


class Board:
    """Finished files of one dispatch, shared by the threads that write files.

    Each file has an event of its own, so a finish wakes only the files
    waiting on it.
    """

    def __init__(self, finished: Mapping[str, FileResult]) -> None:
        self._finished: dict[str, FileResult] = dict(finished)
        self._events: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        self._stopped: BaseException | None = None

    def finish(self, path: str, result: FileResult) -> None:
        """Record a finished file and wake the files waiting on it."""
        with self._lock:
            self._finished[path] = result
            event = self._event(path)
        event.set()

    def stop(self, reason: BaseException) -> None:
        """Let no waiting file start; the first reason is kept."""
        with self._lock:
            if self._stopped is None:
                self._stopped = reason
            events = list(self._events.values())
        for event in events:
            event.set()

    @property
    def stopped(self) -> bool:
        """Whether the run was stopped."""
        return self._stopped is not None

    def check(self) -> None:
        """Raise ``Stopped`` if the run was stopped."""
        if self._stopped is not None:
            raise Stopped(f"not started: {self._stopped}") from self._stopped

    def wait_for(self, paths: Iterable[str]) -> dict[str, FileResult]:
        """Block until every file in ``paths`` is finished; their results.

        Raises:
            Stopped: if the run was stopped first.
        """
        paths = list(paths)
        for path in paths:
            with self._lock:
                event = self._event(path)
            event.wait()
            self.check()
        with self._lock:
            return {path: self._finished[path] for path in paths}

    def _event(self, path: str) -> threading.Event:
        # Called with the lock held. A finished file's event, or any event
        # once the run is stopped, is set from the start.
        event = self._events.get(path)
        if event is None:
            event = self._events[path] = threading.Event()
            if path in self._finished or self._stopped is not None:
                event.set()
        return event


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
