"""Hostile programs against the sandbox: each is contained and reported.

Every test runs a program written to escape or exhaust the sandbox, then
checks three things: the program failed, the ``Outcome`` says why, and the
host is as it was (no file written, no connection made, no process left).
"""

from __future__ import annotations

import os
import resource
import signal
import socket
import tempfile
import textwrap
import threading
import time
import uuid
from pathlib import Path

import pytest

import archedit.sandbox
from archedit.sandbox import (
    Limits,
    Sandbox,
    SandboxUnavailable,
    command,
    python_executable,
)

QUICK = Limits(timeout_seconds=10, cpu_seconds=5)


@pytest.fixture(autouse=True)
def workspaces(tmp_path, monkeypatch):
    """Workspace copies go to this test's own directory and must be removed."""
    place = tmp_path / "workspaces"
    place.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(place))
    yield place
    assert list(place.iterdir()) == []


@pytest.fixture
def marker():
    """A unique word in a program's command line, to find its processes."""
    word = f"hostile-{uuid.uuid4().hex}"
    yield word
    for pid in processes_with(word):
        os.kill(pid, signal.SIGKILL)


def processes_with(word: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and word in (entry / "cmdline").read_text():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def run_python(sandbox, code, limits=QUICK, files=None, marker=""):
    source = textwrap.dedent(code) + f"\n# {marker}\n"
    return sandbox.run([python_executable(), "-c", source], files or {}, limits=limits)


def test_a_plain_program_runs(sandbox):
    outcome = run_python(
        sandbox,
        "import os; print(open('a.txt').read(), os.getcwd())",
        files={"a.txt": "hello"},
    )
    assert outcome.ok
    assert outcome.stdout.split() == ["hello", "/workspace"]


def test_missing_bubblewrap_says_how_to_install(monkeypatch):
    monkeypatch.setattr(command.shutil, "which", lambda name, path=None: None)
    command.tool.cache_clear()
    command.probe_bwrap.cache_clear()
    try:
        with pytest.raises(SandboxUnavailable, match="apt-get install bubblewrap"):
            Sandbox()
        assert Sandbox(unsandboxed=True).unsandboxed
    finally:
        command.tool.cache_clear()
        command.probe_bwrap.cache_clear()


def test_unsandboxed_runs_warn_every_time(caplog):
    unsandboxed = Sandbox(unsandboxed=True)
    for _ in range(2):
        outcome = unsandboxed.run([python_executable(), "-c", "print(2)"], {})
        assert outcome.ok
        assert outcome.stdout == "2\n"
    warnings = [r for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 2
    assert "without a sandbox" in warnings[0].getMessage()


def test_loopback_server_is_unreachable(sandbox):
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.5)
    port = server.getsockname()[1]
    accepted = []

    def accept():
        try:
            accepted.append(server.accept())
        except OSError:
            pass

    thread = threading.Thread(target=accept)
    thread.start()
    outcome = run_python(
        sandbox,
        f"""
        import socket, sys
        try:
            socket.create_connection(("127.0.0.1", {port}), timeout=2)
        except OSError as err:
            sys.exit(f"no network: {{err}}")
        print("connected")
        """,
    )
    thread.join()
    server.close()
    assert accepted == []
    assert outcome.returncode == 1
    assert "no network" in outcome.stderr
    assert "connected" not in outcome.stdout


def test_parent_environment_is_hidden(sandbox, monkeypatch):
    secret = f"canary-{uuid.uuid4().hex}"
    monkeypatch.setenv("ARCHEDIT_CANARY", secret)
    outcome = run_python(
        sandbox,
        """
        import glob, os
        print(dict(os.environ))
        for path in glob.glob("/proc/*/environ"):
            try:
                print(path, open(path, "rb").read())
            except OSError as err:
                print(path, err)
        """,
    )
    assert outcome.ok
    assert secret not in outcome.stdout + outcome.stderr
    assert "ARCHEDIT_CANARY" not in outcome.stdout


@pytest.mark.parametrize(
    "write",
    [
        "open(TARGET, 'w').write('owned')",
        "open('../' * 8 + TARGET.lstrip('/'), 'w').write('owned')",
        "open('../' + NAME, 'w').write('owned')",
        "os.symlink(TARGET, 'link'); open('link', 'w').write('owned')",
        "os.symlink('..', 'up'); open('up/' + NAME, 'w').write('owned')",
    ],
    ids=["absolute", "dotdot-to-target", "dotdot-beside", "symlink", "symlink-dir"],
)
def test_writes_outside_the_workspace_fail(sandbox, tmp_path, write):
    target = tmp_path / "owned.txt"
    target.write_text("original")
    name = f"escape-{uuid.uuid4().hex}"
    outcome = run_python(
        sandbox,
        f"""
        import os, sys
        TARGET, NAME = {str(target)!r}, {name!r}
        try:
            {write}
        except OSError as err:
            sys.exit(f"write refused: {{err}}")
        """,
    )
    assert outcome.returncode == 1
    assert "write refused" in outcome.stderr
    assert target.read_text() == "original"
    # The host workspace's parent, the real /tmp and / stay free of it.
    for place in (tempfile.gettempdir(), "/tmp", "/"):
        assert not Path(place, name).exists()


@pytest.mark.parametrize("path", ["../x.py", "/etc/x", "a/../../x", "./a", "a//b", ""])
def test_files_must_stay_inside_the_workspace(sandbox, path):
    with pytest.raises(ValueError, match="inside the workspace"):
        sandbox.run(["true"], {path: "x"})


def test_fork_bomb_is_contained(sandbox, marker):
    limits = Limits(timeout_seconds=3, cpu_seconds=5, processes=32)
    outcome = run_python(
        sandbox,
        """
        import os, sys, time
        first = os.getpid()
        while True:
            try:
                os.fork()
            except OSError as err:
                if os.getpid() == first:
                    print("fork refused:", err, flush=True)
                    first = None
                time.sleep(0.05)
        """,
        limits=limits,
        marker=marker,
    )
    assert "fork refused" in outcome.stdout
    assert outcome.timed_out
    assert "timeout" in outcome.killed_reason
    assert processes_with(marker) == []


def test_memory_bomb_hits_the_limit(sandbox):
    limits = Limits(timeout_seconds=10, memory_bytes=512 << 20)
    outcome = run_python(
        sandbox,
        """
        hoard = []
        while True:
            hoard.append(bytearray(64 << 20))
        """,
        limits=limits,
    )
    assert outcome.returncode != 0
    assert "MemoryError" in outcome.stderr
    assert "memory" in outcome.killed_reason


def test_infinite_loop_hits_the_cpu_limit(sandbox):
    limits = Limits(timeout_seconds=10, cpu_seconds=1)
    outcome = run_python(sandbox, "while True:\n    pass", limits=limits)
    assert outcome.returncode == -signal.SIGXCPU
    assert "CPU time limit" in outcome.killed_reason
    assert outcome.duration < 5


def test_sleep_past_the_timeout_is_killed(sandbox):
    limits = Limits(timeout_seconds=1)
    outcome = run_python(sandbox, "import time; time.sleep(60)", limits=limits)
    assert outcome.timed_out
    assert "wall-clock timeout" in outcome.killed_reason
    assert outcome.duration < 5


def test_output_flood_is_capped_and_killed(sandbox):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    outcome = run_python(
        sandbox,
        """
        import sys
        block = b"x" * (1 << 20)
        while True:
            sys.stdout.buffer.write(block)
        """,
    )
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert "output flood" in outcome.killed_reason
    assert len(outcome.stdout) < QUICK.output_cap_bytes + 200
    assert "bytes of stdout left out" in outcome.stdout
    assert grown_kib < 64 << 10


def test_gigabyte_of_output_keeps_parent_memory_bounded(sandbox):
    limits = Limits(timeout_seconds=20, output_kill_bytes=4 << 30)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    outcome = run_python(
        sandbox,
        """
        import sys
        block = b"y" * (1 << 20)
        for _ in range(1024):
            sys.stdout.buffer.write(block)
        print("the end")
        """,
        limits=limits,
    )
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert outcome.ok
    assert outcome.stdout.endswith("the end\n")
    assert f"[... {(1 << 30) + 8 - limits.output_cap_bytes} bytes" in outcome.stdout
    assert grown_kib < 64 << 10


def test_daemon_does_not_outlive_the_run(sandbox, marker):
    outcome = run_python(
        sandbox,
        """
        import os, time
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                os.close(1)
                os.close(2)
                time.sleep(30)
            os._exit(0)
        time.sleep(0.2)
        print("left a daemon behind")
        """,
        marker=marker,
    )
    assert outcome.ok
    assert "left a daemon behind" in outcome.stdout
    assert processes_with(marker) == []
    time.sleep(0.5)
    assert processes_with(marker) == []


def test_killing_its_parent_does_not_reach_the_checker(sandbox):
    outcome = run_python(
        sandbox,
        f"""
        import os, signal
        for pid in (os.getppid(), 1, {os.getpid()}):
            try:
                os.kill(pid, signal.SIGKILL)
                print(pid, "signalled")
            except OSError as err:
                print(pid, "refused:", err)
        print("still running")
        """,
    )
    assert outcome.ok
    assert f"{os.getpid()} refused" in outcome.stdout
    assert "still running" in outcome.stdout


def test_checker_files_are_unreadable(sandbox):
    repo = Path(__file__).resolve().parents[1]
    secrets = [
        Path(__file__).resolve(),
        Path(archedit.sandbox.__file__).resolve(),
        Path.home() / ".bash_history",
    ]
    outcome = run_python(
        sandbox,
        f"""
        import os
        for path in {[str(p) for p in secrets]!r}:
            try:
                print(path, "READ", open(path).read()[:40])
            except OSError as err:
                print(path, "refused:", type(err).__name__)
        print("repo visible:", os.path.exists({str(repo / "tests")!r}))
        print("home lists:", os.listdir(os.path.expanduser("~root")))
        """,
    )
    assert outcome.ok
    assert "READ" not in outcome.stdout
    assert outcome.stdout.count("refused: FileNotFoundError") == len(secrets)
    assert "repo visible: False" in outcome.stdout
