"""Starting ``langgraph dev`` on a free loopback port for tests.

The server runs in a working directory of the test's choosing, where it keeps
its state (``.langgraph_api/``), so that state stays out of the repository
and a second server started in the same directory finds it again.
"""

from __future__ import annotations

import json
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


def served_config(workdir: Path) -> Path:
    """Write this project's langgraph.json into ``workdir``, runnable from there.

    Graph files become module paths (``./graph/builder.py:graph`` ->
    ``graph.builder:graph``), importable because the project is installed.
    """
    config = json.loads((ROOT / "langgraph.json").read_text())
    config["dependencies"] = [str(ROOT)]
    config["graphs"] = {
        name: _module_path(spec) for name, spec in config["graphs"].items()
    }
    path = workdir / "langgraph.json"
    path.write_text(json.dumps(config, indent=2))
    return path


def _module_path(spec: str) -> str:
    file, variable = spec.rsplit(":", 1)
    module = file.removeprefix("./").removesuffix(".py").replace("/", ".")
    return f"{module}:{variable}"


@contextmanager
def langgraph_dev(
    workdir: Path, timeout: float = 90.0, jobs: int = 1, env: dict | None = None
) -> Iterator[str]:
    """Serve this project's graph from ``workdir``; the log goes there too.

    Args:
        workdir: The server's working directory; its state persists there.
        timeout: Seconds to wait for the server to answer.
        jobs: Runs the server works on at once.
        env: Extra environment variables for the server.

    Yields the base URL; the server (its whole process group) is stopped
    afterwards.
    """
    config = served_config(workdir)
    port = free_port()
    cli = Path(sys.executable).with_name("langgraph")
    env = {
        **os.environ,
        "LANGGRAPH_CLI_NO_ANALYTICS": "1",
        "LANGGRAPH_NO_VERSION_CHECK": "1",
        "LANGSMITH_TRACING": "false",
        "PYTHONPATH": str(ROOT),
        **(env or {}),
    }
    # One log per start: a restarted server must not be found by its old URL.
    log = workdir / f"server-{port}.log"
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
                "--n-jobs-per-worker",
                str(jobs),
                "--config",
                str(config),
            ],
            cwd=workdir,
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
