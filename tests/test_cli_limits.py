"""The CLI at a budget stop and a provider outage: a clear line, a resume that
finishes, no traceback. The models are the real OpenAI client talking to a
loopback server."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from archedit.cli import app
from tests.support.fault_server import PLAN_KEY, FaultPlan, serve
from tests.support.pipeline import GOOD, plan_reply
from tests.support.scripted import fenced


def answer(key: str) -> str:
    return plan_reply() if key == PLAN_KEY else fenced(GOOD[key])


@pytest.fixture(autouse=True)
def fast_retries(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "")
    monkeypatch.setenv("ARCHEDIT_API_KEY", "")
    monkeypatch.setenv("ARCHEDIT_CALL_RETRIES", "2")
    monkeypatch.setenv("ARCHEDIT_RETRY_BACKOFF", "0.01")
    monkeypatch.setenv("ARCHEDIT_CALL_TIMEOUT", "5")


class Done:
    """What a command left: exit code and the terminal's text."""

    def __init__(self, returncode: int, stderr: str) -> None:
        self.returncode = returncode
        self.stderr = stderr


def archedit(*args: str) -> Done:
    # In-process: the same code path as the installed command, without paying
    # for a Python start per invocation.
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return Done(result.exit_code, result.stderr + result.stdout)


def models(url: str) -> list[str]:
    return [
        "--architect",
        "openai:canned",
        "--architect-base-url",
        url,
        "--editor",
        "openai:canned",
        "--editor-base-url",
        url,
    ]


def run_id(stderr: str) -> str:
    return stderr.split("run ", 1)[1].split()[0]


def test_budget_stop_then_resume_with_a_larger_one(tmp_path):
    out = tmp_path / "o"
    with serve(answer) as server:
        done = archedit(
            "run", "calc", *models(server.base_url), "--out", str(out),
            "--max-tokens", "1000",
        )  # fmt: skip
        assert done.returncode == 3, done.stderr
        assert "budget of 1000 tokens" in done.stderr
        assert "--max-tokens 2000" in done.stderr
        assert f"archedit resume {run_id(done.stderr)}" in done.stderr
        assert "Traceback" not in done.stderr
        assert server.log == []

        again = archedit(
            "resume", run_id(done.stderr), "--out", str(out),
            "--max-tokens", "100000",
        )  # fmt: skip
        assert again.returncode == 0, again.stderr
    report = json.loads((out / "report.json").read_text())
    assert report["counts"]["passed"] == 3
    assert report["total"]["calls"] == 4


def test_provider_outage_pauses_then_resume_finishes(tmp_path):
    out = tmp_path / "o"
    plan = FaultPlan(down_for="fmt.py", down_kind="500")
    with serve(answer, plan) as server:
        done = archedit("run", "calc", *models(server.base_url), "--out", str(out))
        assert done.returncode == 1, done.stderr
        assert "failed 3 times" in done.stderr and "HTTP 500" in done.stderr
        assert "resume with: archedit resume" in done.stderr
        assert "Traceback" not in done.stderr

        plan.down_for = None
        again = archedit("resume", run_id(done.stderr), "--out", str(out))
        assert again.returncode == 0, again.stderr
        assert "Traceback" not in again.stderr
    answered = [s.key for s in server.answered()]
    assert sorted(answered) == sorted([PLAN_KEY, *GOOD])
    report = json.loads((out / "report.json").read_text())
    assert report["total"]["failed_calls"] == 1
    assert report["total"]["tries"] == len(server.log)
    fmt = next(f for f in report["files"] if f["path"] == "fmt.py")
    assert fmt["status"] == "passed" and fmt["attempts"] == 1
