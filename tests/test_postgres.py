"""Runs shared through Postgres: killed on one machine, resumed on another.

A real PostgreSQL server; the run is driven by separate processes, as it would
be on separate machines.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest

from tests.support.pipeline import GOOD
from tests.support.postgres import fixture_postgres_url  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]


def worker(out: Path, thread: str, log: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.worker", str(out), thread, str(log)]
        + list(extra),
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for(condition, process: subprocess.Popen, what: str, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if process.poll() is not None:
            pytest.fail(f"the worker exited before {what}:\n{process.stdout.read()}")
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def lines(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


def saved_results(url: str, thread: str) -> int:
    """Files whose branches finished and were saved as task returns."""
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM checkpoint_writes WHERE thread_id = %s "
            "AND checkpoint_ns = '' AND channel = '__return__'",
            (thread,),
        ).fetchone()
    return row[0]


def kill(process: subprocess.Popen) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait(10)


def test_killed_run_resumes_in_another_process(tmp_path, postgres_url):
    thread = f"pg-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "calls.log"
    first = worker(
        tmp_path / "a",
        thread,
        log,
        "--postgres",
        postgres_url,
        "--slow",
        "test_calc.py",
    )
    # calc.py is done; fmt.py and test_calc.py run side by side, and fmt.py's
    # result is saved while test_calc.py's editor call hangs.
    wait_for(lambda: "start test_calc.py" in lines(log), first, "test_calc.py")
    wait_for(lambda: saved_results(postgres_url, thread) >= 2, first, "fmt.py's result")
    kill(first)
    assert sorted(lines(log)) == sorted(
        ["start calc.py", "done calc.py", "start fmt.py", "done fmt.py"]
        + ["start test_calc.py"]
    )

    # Another machine: a fresh output directory, only the database in common.
    log.write_text("")
    second = worker(tmp_path / "b", thread, log, "--postgres", postgres_url, "--resume")
    assert second.wait(120) == 0, second.stdout.read()
    assert lines(log)[:2] == ["start test_calc.py", "done test_calc.py"]
    assert lines(log)[2].startswith("finished")
    for path, code in GOOD.items():
        assert (tmp_path / "b" / path).read_text() == code
    report = json.loads((tmp_path / "b" / "report.json").read_text())
    assert {f["path"]: f["status"] for f in report["files"]} == {
        "calc.py": "passed",
        "fmt.py": "passed",
        "test_calc.py": "passed",
    }


@pytest.mark.parametrize("backend", ["postgres", "sqlite"])
def test_second_driver_of_a_running_thread_is_refused(tmp_path, postgres_url, backend):
    thread = f"busy-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "calls.log"
    store = ["--postgres", postgres_url] if backend == "postgres" else []
    first = worker(tmp_path / "a", thread, log, *store, "--slow", "calc.py")
    try:
        wait_for(lambda: "start calc.py" in lines(log), first, "the editor phase")
        env = {**os.environ, "ARCHEDIT_POSTGRES_URL": ""}
        refused = subprocess.run(
            [sys.executable, "-m", "archedit.cli", "resume", thread]
            + ["--out", str(tmp_path / "a"), *store],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert refused.returncode == 1
        assert f"run '{thread}' is being driven by another process" in refused.stderr
        assert "Traceback" not in refused.stderr
        assert first.poll() is None
    finally:
        kill(first)

    # The lock died with its process: resuming now works.
    second = worker(tmp_path / "a", thread, log, *store, "--resume")
    assert second.wait(120) == 0, second.stdout.read()
    assert lines(log)[-1].startswith("finished")
