"""The CLI on bad input: one line saying what to do, non-zero exit, no trace."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from rich.console import Console

from archedit import runner
from archedit.progress import Progress
from graph.context import Context
from tests.support.pipeline import GOOD, UNDEFINED_NAME, plan_reply
from tests.support.scripted import PLAN, ScriptedChatModel, fenced

CLI = [sys.executable, "-m", "archedit.cli"]


def archedit(*args: str, cwd: Path, **env_vars: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "OPENAI_API_KEY": "", "ARCHEDIT_API_KEY": "", **env_vars}
    return subprocess.run(
        [*CLI, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_empty_task(tmp_path):
    done = archedit("run", "   ", "--out", str(tmp_path / "o"), cwd=tmp_path)
    assert done.returncode == 1
    assert "the task is empty" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_unknown_provider(tmp_path):
    done = archedit(
        "run", "x", "--architect", "acme:big", "--out", str(tmp_path), cwd=tmp_path
    )
    assert done.returncode == 1
    assert "unknown provider 'acme'" in done.stderr
    assert "Traceback" not in done.stderr


def test_missing_key(tmp_path):
    done = archedit(
        "run",
        "x",
        "--architect",
        "openai:gpt-4o",
        "--out",
        str(tmp_path),
        cwd=tmp_path,
    )
    assert done.returncode == 1
    assert "OPENAI_API_KEY" in done.stderr


def test_unreachable_model_server(tmp_path):
    url = f"http://127.0.0.1:{closed_port()}/v1"
    done = archedit(
        "run",
        "x",
        "--architect",
        "openai:m",
        "--architect-base-url",
        url,
        "--editor",
        "openai:m",
        "--editor-base-url",
        url,
        "--out",
        str(tmp_path / "o"),
        cwd=tmp_path,
        # Five tries still, without half a minute of backoff.
        ARCHEDIT_RETRY_BACKOFF="0.05",
    )
    assert done.returncode == 1
    assert "the architect model openai:m at" in done.stderr
    assert "resume with: archedit resume" in done.stderr
    assert "Traceback" not in done.stderr


def test_out_dir_is_a_file(tmp_path):
    (tmp_path / "taken").write_text("keep me")
    done = archedit("run", "x", "--out", str(tmp_path / "taken"), cwd=tmp_path)
    assert done.returncode == 1
    assert "is a file; choose a directory with --out" in done.stderr
    assert (tmp_path / "taken").read_text() == "keep me"


def test_resume_of_unknown_run(tmp_path):
    done = archedit("resume", "nope", "--out", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 1
    assert "no run 'nope'" in done.stderr


@pytest.mark.parametrize("width", [60, 200])
def test_progress_names_every_step(tmp_path, width):
    architect = ScriptedChatModel(
        scripts={PLAN: [plan_reply()], "fmt.py": [fenced(GOOD["fmt.py"])]}
    )
    editor = ScriptedChatModel(
        scripts={
            **{path: [fenced(code)] for path, code in GOOD.items()},
            "fmt.py": [fenced(UNDEFINED_NAME)] * 3,
        }
    )
    screen = io.StringIO()
    progress = Progress(Console(file=screen, width=width), "t1")
    state = runner.execute(
        "calc",
        Context(architect=architect, editor=editor, out_dir=str(tmp_path)),
        thread_id="t1",
        on_event=progress.update,
    )
    progress.finish(state)
    text = screen.getvalue()
    assert "planned 3 files" in text
    assert text.count("retry") >= 2
    assert "escalate fmt.py" in text
    assert "escalated" in text and "report:" in text
    # The run's settings were saved, so it could be resumed.
    assert runner.settings_path(tmp_path, "t1").exists()


def test_concurrency_one_runs_to_the_end(tmp_path):
    architect = ScriptedChatModel(scripts={PLAN: [plan_reply()]})
    editor = ScriptedChatModel(
        scripts={path: [fenced(code)] for path, code in GOOD.items()}
    )
    context = Context(
        architect=architect, editor=editor, out_dir=str(tmp_path), concurrency=1
    )
    finished: list[dict] = []
    worker = threading.Thread(
        target=lambda: finished.append(runner.execute("calc", context, thread_id="c1")),
        daemon=True,
    )
    worker.start()
    worker.join(timeout=120)
    assert finished, "a run with concurrency 1 did not finish"
    assert {r["status"] for r in finished[0]["results"].values()} == {"passed"}


def test_progress_shows_a_reopened_file(tmp_path):
    broken = "def add(a: int, b: int) -> int:\n    return (a + b) // (a - a)\n"
    architect = ScriptedChatModel(scripts={PLAN: [plan_reply()]})
    editor = ScriptedChatModel(
        scripts={
            **{path: [fenced(code)] for path, code in GOOD.items()},
            "calc.py": [fenced(broken), fenced(GOOD["calc.py"])],
        }
    )
    screen = io.StringIO()
    progress = Progress(Console(file=screen, width=200), "t2")
    state = runner.execute(
        "calc",
        Context(architect=architect, editor=editor, out_dir=str(tmp_path)),
        thread_id="t2",
        on_event=progress.update,
    )
    text = screen.getvalue()
    assert "reopen calc.py: test_calc.py fails in its code" in text
    assert "edit calc.py (attempt 3)" in text
    assert "?" not in text
    assert state["results"]["calc.py"]["status"] == "passed_after_retry"
