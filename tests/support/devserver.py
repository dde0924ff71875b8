"""Starting ``langgraph dev`` on a free loopback port for tests."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_LISTENING = re.compile(r"(http://127\.0\.0\.1:\d+)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def langgraph_dev(workdir: Path, timeout: float = 90.0) -> Iterator[str]:
    """Serve this project's langgraph.json; the log goes to ``workdir``.

    Yields the base URL; the server (its whole process group) is stopped
    afterwards.
    """
    port = free_port()
    cli = Path(sys.executable).with_name("langgraph")
    env = {
        **os.environ,
        "LANGGRAPH_CLI_NO_ANALYTICS": "1",
        "LANGGRAPH_NO_VERSION_CHECK": "1",
        "LANGSMITH_TRACING": "false",
        "PYTHONPATH": str(ROOT),
    }
    log = workdir / "server.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [
                str(cli),
                "dev",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-browser",
                "--no-reload",
                "--config",
                "langgraph.json",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = _wait_ready(process, log, port, timeout)
        yield url
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    """Stop the server and everything it started."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_ready(process: subprocess.Popen, log: Path, port: int, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    url = f"http://127.0.0.1:{port}"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"langgraph dev exited:\n{log.read_text()[-3000:]}")
        # The server picks another port when the one asked for is taken.
        found = [m for m in _LISTENING.findall(log.read_text()) if "2024" not in m]
        candidates = [url, *found]
        for candidate in candidates:
            try:
                with urllib.request.urlopen(f"{candidate}/ok", timeout=2) as reply:
                    if reply.status == 200:
                        return candidate
            except OSError:
                pass
        time.sleep(0.5)
    raise RuntimeError(f"langgraph dev did not start:\n{log.read_text()[-3000:]}")
