"""Read a running program's output under a cap and a deadline, then reap it.

Output is read as it arrives so a flood never fills the parent's memory: each
stream keeps only its first and last bytes. On timeout or flood the whole
process group is killed. The program is killed before it is reaped, so the
group id cannot have been reused by an unrelated process.
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import time
from dataclasses import dataclass, field

from archedit.sandbox.limits import Limits

_CHUNK = 1 << 16


class Stream:
    """The first and last bytes of an output stream, and its full size."""

    def __init__(self, cap: int) -> None:
        """Keep at most ``cap`` bytes: half from the start, half from the end."""
        self.half = max(cap // 2, 1)
        self.head = bytearray()
        self.tail = bytearray()
        self.total = 0

    def feed(self, chunk: bytes) -> None:
        """Take the next bytes read from the stream."""
        self.total += len(chunk)
        room = self.half - len(self.head)
        if room > 0:
            self.head += chunk[:room]
            chunk = chunk[room:]
        self.tail += chunk
        if len(self.tail) > self.half:
            del self.tail[: len(self.tail) - self.half]

    def text(self, name: str) -> str:
        """The kept bytes as text, with a note where bytes were left out."""
        omitted = self.total - len(self.head) - len(self.tail)
        head = self.head.decode(errors="replace")
        tail = self.tail.decode(errors="replace")
        if omitted <= 0:
            return head + tail
        return f"{head}\n[... {omitted} bytes of {name} left out ...]\n{tail}"


@dataclass
class Collected:
    """The output of a finished run and how it ended."""

    stdout: Stream
    stderr: Stream
    timed_out: bool = False
    flooded: str | None = field(default=None)


def collect(proc: subprocess.Popen, limits: Limits, deadline: float) -> Collected:
    """Read ``proc``'s output until it exits, floods or passes ``deadline``.

    The process group is killed afterwards in every case, even when reading
    is interrupted, so nothing the program started in its group outlives the
    call.
    """
    out = Collected(Stream(limits.output_cap_bytes), Stream(limits.output_cap_bytes))
    try:
        _read(proc, out, limits.output_kill_bytes, deadline)
        if not (out.timed_out or out.flooded):
            out.timed_out = not _exited(proc.pid, deadline)
    finally:
        _kill_group(proc.pid)
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    return out


def _read(
    proc: subprocess.Popen, out: Collected, kill_at: int, deadline: float
) -> None:
    names = {proc.stdout: ("stdout", out.stdout), proc.stderr: ("stderr", out.stderr)}
    with selectors.DefaultSelector() as selector:
        for pipe in names:
            selector.register(pipe, selectors.EVENT_READ)
        while selector.get_map() and not out.flooded:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                out.timed_out = True
                return
            for key, _ in selector.select(remaining):
                chunk = os.read(key.fd, _CHUNK)
                if not chunk:
                    selector.unregister(key.fileobj)
                    continue
                name, stream = names[key.fileobj]
                stream.feed(chunk)
                if stream.total > kill_at:
                    out.flooded = name


def describe_exit(
    collected: Collected, returncode: int, stderr: str, limits: Limits
) -> str | None:
    """Say why a run was stopped or died, or None if it exited by itself."""
    if collected.flooded:
        return (
            f"{collected.flooded} passed {limits.output_kill_bytes} bytes; "
            "killed as an output flood"
        )
    if collected.timed_out:
        return (
            f"still running after the {limits.timeout_seconds:g} s wall-clock "
            "timeout; killed"
        )
    if returncode < 0:
        return _signal_reason(-returncode, limits)
    if returncode != 0 and "MemoryError" in stderr[-4000:]:
        return (
            f"ran out of memory under the {limits.memory_bytes >> 20} MiB "
            "limit (MemoryError)"
        )
    return None


def _signal_reason(number: int, limits: Limits) -> str:
    if number == signal.SIGXCPU:
        return f"used more than the {limits.cpu_seconds} s CPU time limit (SIGXCPU)"
    if number == signal.SIGXFSZ:
        return f"wrote past the {limits.file_size_bytes}-byte file size limit (SIGXFSZ)"
    if number == signal.SIGKILL:
        return "killed by SIGKILL (CPU hard limit or out of memory)"
    try:
        return f"killed by {signal.Signals(number).name}"
    except ValueError:
        return f"killed by signal {number}"


def _exited(pid: int, deadline: float) -> bool:
    """Wait for ``pid`` to exit without reaping it; False past ``deadline``."""
    delay = 0.001
    while os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        time.sleep(min(delay, remaining))
        delay = min(delay * 2, 0.05)
    return True


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass
