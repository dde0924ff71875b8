"""Run untrusted generated code under bubblewrap with resource limits.

Each run gets a fresh copy of its files in a temporary workspace, the only
writable place it can see. The program sees the system's ``/usr``, the Python
installation running archedit and its virtualenv, all read-only; it has no
network, no view of the host's processes, files or environment, and runs as an
unprivileged user with rlimits on CPU, memory, processes, file size and open
files. A wall-clock timeout and an output cap end runaway programs, and every
process of the run dies with it: the sandbox has its own PID namespace.

Typical use::

    sandbox = Sandbox()
    outcome = sandbox.run([python_executable(), "-c", "print(1)"], files={})
"""

from __future__ import annotations

import logging
import os
import random
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from archedit.sandbox import command
from archedit.sandbox.capture import collect, describe_exit
from archedit.sandbox.files import make_workspace, remove_workspace
from archedit.sandbox.lifetime import await_exit, open_sandbox_init
from archedit.sandbox.limits import Limits, Outcome, SandboxUnavailable

__all__ = [
    "Limits",
    "Outcome",
    "Sandbox",
    "SandboxUnavailable",
    "WORKSPACE",
    "python_executable",
]

logger = logging.getLogger(__name__)

WORKSPACE = command.WORKSPACE

# Root ignores RLIMIT_NPROC, so as root programs run as a throwaway uid with
# no account; one per run keeps a fork bomb in one check from using up the
# process budget of checks running beside it.
_UID_BASE = 3_000_000_000
_UID_SPAN = 100_000_000
_TEARDOWN_SECONDS = 2.0


def python_executable() -> str:
    """The interpreter to run inside the sandbox: the one running archedit."""
    return sys.executable


@dataclass
class Sandbox:
    """Runs programs on a copy of some files, isolated by bubblewrap.

    Args:
        unsandboxed: Run without bubblewrap, with rlimits only and a warning on
            every run. Generated code then sees the machine as the caller
            does: its files, network and processes.
        limits: Default limits for runs that do not pass their own.

    Raises:
        SandboxUnavailable: if bubblewrap is missing or unusable and
            ``unsandboxed`` is False.
    """

    unsandboxed: bool = False
    limits: Limits = field(default_factory=Limits)

    def __post_init__(self) -> None:
        if not self.unsandboxed:
            command.probe_bwrap()

    def run(
        self,
        argv: list[str],
        files: Mapping[str, str],
        *,
        limits: Limits | None = None,
        env: Mapping[str, str] | None = None,
    ) -> Outcome:
        """Run ``argv`` in a fresh workspace holding ``files``.

        Args:
            argv: The command. Its working directory is the workspace, which
                with its ``src`` directory is ``PYTHONPATH``; ``HOME`` and
                ``TMPDIR`` are ``/tmp``.
            files: Relative path to text of every file to copy in.
            limits: Limits for this run instead of the sandbox's defaults.
            env: Extra environment variables for the program.

        Returns:
            The program's exit status, capped output and why it was stopped.

        Raises:
            ValueError: if a path in ``files`` is absolute, not normalised or
                leaves the workspace.
        """
        limits = limits or self.limits
        as_root = os.geteuid() == 0 and not self.unsandboxed
        uid = _UID_BASE + random.randrange(_UID_SPAN) if as_root else None
        host_dir = make_workspace(files, owner=uid)
        try:
            if self.unsandboxed:
                logger.warning(
                    "running %s without a sandbox: generated code can reach "
                    "the network, the host's files and its processes",
                    argv[0],
                )
                program = command.limited(argv, limits, None)
                program_env = _program_env(host_dir, env)
                return _execute(program, program_env, host_dir, limits)
            program = command.limited(argv, limits, uid)
            program_env = _program_env(WORKSPACE, env)
            return _execute_sandboxed(host_dir, program, program_env, limits, as_root)
        finally:
            remove_workspace(host_dir)


def _execute_sandboxed(
    host_dir: str,
    program: list[str],
    env: Mapping[str, str],
    limits: Limits,
    as_root: bool,
) -> Outcome:
    info_read, info_write = os.pipe()
    try:
        wrapper = command.bwrap(
            host_dir, env, limits, own_userns=not as_root, info_fd=info_write
        )
        proc = _start([*wrapper, "--", *program], {}, None, (info_write,))
    except BaseException:
        os.close(info_read)
        raise
    finally:
        os.close(info_write)
    start = time.monotonic()
    init = open_sandbox_init(info_read, start + limits.timeout_seconds)
    try:
        return _finish(proc, start, limits, sandboxed=True)
    finally:
        if init is not None:
            await_exit(init, _TEARDOWN_SECONDS)


def _execute(
    argv: list[str], env: Mapping[str, str], cwd: str, limits: Limits
) -> Outcome:
    proc = _start(argv, env, cwd, ())
    return _finish(proc, time.monotonic(), limits, sandboxed=False)


def _start(
    argv: list[str], env: Mapping[str, str], cwd: str | None, fds: tuple[int, ...]
) -> subprocess.Popen:
    return subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(env),
        cwd=cwd,
        start_new_session=True,
        pass_fds=fds,
    )


def _finish(
    proc: subprocess.Popen, start: float, limits: Limits, *, sandboxed: bool
) -> Outcome:
    collected = collect(proc, limits, start + limits.timeout_seconds)
    returncode = proc.returncode
    # bwrap reports a program killed by signal N as exit status 128 + N.
    if sandboxed and returncode > 128:
        returncode = 128 - returncode
    stderr = collected.stderr.text("stderr")
    return Outcome(
        returncode=returncode,
        stdout=collected.stdout.text("stdout"),
        stderr=stderr,
        timed_out=collected.timed_out,
        killed_reason=describe_exit(collected, returncode, stderr, limits),
        duration=time.monotonic() - start,
    )


def _program_env(workspace: str, extra: Mapping[str, str] | None) -> dict[str, str]:
    bin_dir = os.path.dirname(python_executable())
    return {
        "PATH": f"{bin_dir}:/usr/local/bin:/usr/bin:/bin",
        "HOME": "/tmp",
        "TMPDIR": "/tmp",
        "LANG": "C.UTF-8",
        # The sandbox's uid has no account; getpass and friends read these.
        "USER": "sandbox",
        "LOGNAME": "sandbox",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONNOUSERSITE": "1",
        "PYTHONPATH": f"{workspace}:{workspace}/src",
        **(extra or {}),
    }
