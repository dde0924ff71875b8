"""Knowing when every process of a sandbox has ended.

bubblewrap exits as soon as the sandboxed program does, a moment before its
PID 1 has taken the program's leftover processes down with it. The checker
learns that PID 1 from bwrap's ``--info-fd`` report and waits on a pidfd for
it, so a daemon the program left never outlives the run.
"""

from __future__ import annotations

import json
import os
import select
import time


def open_sandbox_init(info_fd: int, deadline: float) -> int | None:
    """Read bwrap's report from ``info_fd`` and open a pidfd on its PID 1.

    Closes ``info_fd``. Returns None when bwrap stopped before reporting (its
    stderr says why) or PID 1 is already gone.
    """
    data = b""
    report = None
    try:
        while report is None and (remaining := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([info_fd], [], [], remaining)
            chunk = os.read(info_fd, 4096) if ready else b""
            if not chunk:
                break
            data += chunk
            try:
                report = json.loads(data)
            except ValueError:
                continue
    finally:
        os.close(info_fd)
    try:
        return os.pidfd_open(report["child-pid"])
    except (TypeError, KeyError, ProcessLookupError):
        return None


def await_exit(pidfd: int, seconds: float) -> None:
    """Wait up to ``seconds`` for the process behind ``pidfd``, then close it."""
    try:
        poller = select.poll()
        poller.register(pidfd, select.POLLIN)
        poller.poll(seconds * 1000)
    finally:
        os.close(pidfd)
