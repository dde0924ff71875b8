"""The command lines that confine a program: bubblewrap, prlimit, setpriv."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from functools import cache

from archedit.sandbox.limits import Limits, SandboxUnavailable

WORKSPACE = "/workspace"
"""Where the workspace copy appears inside the sandbox."""

INSTALL_HINT = (
    "install bubblewrap (`apt-get install bubblewrap`), or pass "
    "unsandboxed=True to run generated code without isolation"
)
_SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
_ETC_FILES = (
    "/etc/ld.so.cache",
    "/etc/alternatives",
    "/etc/localtime",
    "/etc/passwd",
    "/etc/group",
)


@cache
def tool(name: str) -> str:
    """The absolute path of a confinement tool.

    Raises:
        SandboxUnavailable: if the tool is not installed.
    """
    found = shutil.which(name, path=os.defpath + ":/usr/sbin:/sbin")
    if found is None:
        raise SandboxUnavailable(f"{name} not found; {INSTALL_HINT}")
    return found


@cache
def probe_bwrap() -> None:
    """Prove once per process that bubblewrap can make its namespaces here.

    Raises:
        SandboxUnavailable: if bwrap or util-linux's tools are missing, or
            bwrap fails (no user namespaces, no privileges).
    """
    for name in ("prlimit", "setpriv"):
        tool(name)
    probe = subprocess.run(
        [tool("bwrap"), *_namespaces(os.geteuid() != 0), "--ro-bind", "/", "/"]
        + ["true"],
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0:
        raise SandboxUnavailable(
            f"bwrap cannot create a sandbox here ({probe.stderr.strip()}); "
            f"{INSTALL_HINT}"
        )


def limited(argv: list[str], limits: Limits, uid: int | None) -> list[str]:
    """``argv`` prefixed with its rlimits and, given ``uid``, a drop to it."""
    cpu = limits.cpu_seconds
    command = [
        tool("prlimit"),
        f"--cpu={cpu}:{cpu + 1}",
        f"--as={limits.memory_bytes}",
        f"--nproc={limits.processes}",
        f"--fsize={limits.file_size_bytes}",
        f"--nofile={limits.open_files}",
        "--core=0",
        "--",
    ]
    if uid is not None:
        command += [
            tool("setpriv"),
            f"--reuid={uid}",
            f"--regid={uid}",
            "--clear-groups",
            "--inh-caps=-all",
            "--bounding-set=-all",
            "--no-new-privs",
            "--",
        ]
    return [*command, *argv]


def bwrap(
    workspace: str,
    env: Mapping[str, str],
    limits: Limits,
    *,
    own_userns: bool,
    info_fd: int,
) -> list[str]:
    """The bubblewrap command line up to, not including, ``--``.

    Args:
        workspace: Host directory bound read-write at :data:`WORKSPACE`.
        env: The program's whole environment.
        limits: Supplies the size of the private ``/tmp``.
        own_userns: Give the sandbox its own user namespace; only a caller
            that is not root wants this (see :func:`_namespaces`).
        info_fd: Where bwrap reports the host PID of the sandbox's PID 1.
    """
    argv = [tool("bwrap"), "--die-with-parent", "--new-session", "--clearenv"]
    argv += ["--info-fd", str(info_fd)]
    argv += _namespaces(own_userns)
    # Mounts first: a Python installed under /tmp is bound on top of them.
    argv += ["--proc", "/proc", "--dev", "/dev"]
    argv += ["--perms", "1777", "--size", str(limits.tmp_bytes), "--tmpfs", "/tmp"]
    for path in _SYSTEM_DIRS:
        if os.path.islink(path):
            argv += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            argv += ["--ro-bind", path, path]
    roots = python_roots()
    binds = [p for p in _ETC_FILES if os.path.exists(p)] + roots
    # bwrap creates the parents of a bind target private to root; the
    # unprivileged program must be able to walk through them.
    for parent in sorted({a for path in binds for a in _ancestors(path)}):
        argv += ["--perms", "0755", "--dir", parent]
    for path in binds:
        argv += ["--ro-bind", path, path]
    for hidden in _own_source(roots):
        argv += ["--tmpfs", hidden]
    argv += ["--bind", workspace, WORKSPACE, "--chdir", WORKSPACE]
    for key, value in env.items():
        argv += ["--setenv", key, value]
    return argv


def python_roots() -> list[str]:
    """Directories of the running Python and its virtualenv outside /usr."""
    exe = os.path.realpath(sys.executable)
    found = {sys.prefix, sys.base_prefix, os.path.dirname(os.path.dirname(exe))}
    found |= {os.path.realpath(p) for p in found}
    kept = sorted(p for p in found if p != "/usr" and not p.startswith("/usr/"))
    return [p for p in kept if not any(p.startswith(o + "/") for o in kept)]


def _own_source(roots: list[str]) -> list[str]:
    """archedit's own package directory, when a bound directory holds it."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return [package] if any(package.startswith(r + "/") for r in roots) else []


def _namespaces(own_userns: bool) -> list[str]:
    if own_userns:
        return ["--unshare-all", "--unshare-user", "--disable-userns"]
    # A user namespace made by root maps only uid 0 (which the kernel still
    # exempts from RLIMIT_NPROC), and the program must drop to another uid,
    # so as root the sandbox shares the host's user namespace.
    return [
        "--unshare-ipc",
        "--unshare-pid",
        "--unshare-net",
        "--unshare-uts",
        "--unshare-cgroup-try",
    ]


def _ancestors(path: str) -> list[str]:
    parts = path.strip("/").split("/")[:-1]
    return ["/" + "/".join(parts[: i + 1]) for i in range(len(parts))]
