"""What a sandboxed run may use, and what it did."""

from __future__ import annotations

from dataclasses import dataclass


class SandboxUnavailable(RuntimeError):
    """Bubblewrap is missing or cannot create namespaces on this machine."""


@dataclass
class Limits:
    """Resource limits for one sandboxed run.

    CPU time, memory (address space), file size and open files are per
    process; ``processes`` counts every process and thread of the run.
    """

    cpu_seconds: int = 20
    memory_bytes: int = 1 << 30
    processes: int = 64
    file_size_bytes: int = 64 << 20
    open_files: int = 256
    timeout_seconds: float = 30.0
    output_cap_bytes: int = 64 << 10
    """Bytes kept of each output stream: its beginning and its end."""
    output_kill_bytes: int = 16 << 20
    """Bytes on one stream past which the program is killed as a flood."""
    tmp_bytes: int = 64 << 20
    """Size of the program's private ``/tmp``, which lives in memory."""


@dataclass(frozen=True)
class Outcome:
    """What a sandboxed program did.

    Attributes:
        returncode: The exit status; negative when signal N ended the program.
        stdout: Its standard output, decoded; the middle of a stream longer
            than the cap is replaced by a note saying how much was left out.
        stderr: Its standard error, kept the same way.
        timed_out: Whether the wall-clock timeout ended it.
        killed_reason: Why the program was stopped or died (timeout, output
            flood, a resource limit), or None when it exited by itself.
        duration: Wall-clock seconds from start to the last process ending.
    """

    returncode: int
    stdout: str
    stderr: str
    timed_out: bool
    killed_reason: str | None
    duration: float

    @property
    def ok(self) -> bool:
        """Whether the program exited 0 on its own."""
        return self.returncode == 0 and self.killed_reason is None
