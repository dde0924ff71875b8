"""``archedit run --approve-plan`` and ``archedit resume`` answer from stdin."""

from __future__ import annotations

import dataclasses
import functools
import json
import sys

import pytest
from typer.testing import CliRunner

from archedit import cli, runner
from graph.context import Context
from tests.support.pipeline import BLUEPRINT, GOOD, plan_reply
from tests.support.scripted import PLAN, ScriptedChatModel, fenced

ONLY_CALC = {**BLUEPRINT, "files": BLUEPRINT["files"][:1]}


@pytest.fixture
def editor(monkeypatch):
    """Scripted models in place of the CLI's model specs, for run and resume."""
    architect = ScriptedChatModel(scripts={PLAN: [plan_reply()]})
    editor = ScriptedChatModel(
        scripts={path: [fenced(code)] for path, code in GOOD.items()}
    )
    models = {"architect": architect, "editor": editor}
    monkeypatch.setattr(cli, "Context", functools.partial(Context, **models))
    saved = runner.load_settings
    monkeypatch.setattr(
        runner,
        "load_settings",
        lambda *args: dataclasses.replace(saved(*args), **models),
    )
    return editor


def archedit(*args: str, answers: str = "", env: dict | None = None):
    result = CliRunner().invoke(cli.app, list(args), input=answers, env=env)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def run_id(output: str) -> str:
    return output.split("run ", 1)[1].split()[0]


def test_accept(tmp_path, editor):
    done = archedit(
        "run", "calc", "--approve-plan", "--out", str(tmp_path), answers="accept\n"
    )
    assert done.exit_code == 0, done.output
    assert "test_calc.py" in done.output and "accept, edit or reject" in done.output
    assert sorted(editor.keys_called()) == sorted(GOOD)
    assert (tmp_path / "fmt.py").exists()


def test_edit_from_a_path_after_a_refused_one(tmp_path, editor):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"files": [{"path": "/etc/x", "purpose": "no"}]}))
    good = tmp_path / "good.json"
    good.write_text(json.dumps(ONLY_CALC))
    answers = f"edit\n{tmp_path / 'missing.json'}\nedit\n{bad}\nedit\n{good}\n"
    done = archedit(
        "run", "calc", "--approve-plan", "--out", str(tmp_path / "o"), answers=answers
    )
    assert done.exit_code == 0, done.output
    assert "cannot read" in done.output
    assert "answer refused" in done.output and "is absolute" in done.output
    assert editor.keys_called() == ["calc.py"]
    assert sorted(p.name for p in (tmp_path / "o").glob("*.py")) == ["calc.py"]


def test_edit_in_the_editor(tmp_path, editor):
    # $EDITOR is run with the blueprint file as its argument.
    script = tmp_path / "drop_files.py"
    script.write_text(
        "import json, sys\n"
        "path = sys.argv[1]\n"
        "plan = json.load(open(path))\n"
        "plan['files'] = plan['files'][:1]\n"
        "json.dump(plan, open(path, 'w'))\n"
    )
    done = archedit(
        "run",
        "calc",
        "--approve-plan",
        "--out",
        str(tmp_path / "o"),
        answers="edit\n\n",
        env={"EDITOR": f"{sys.executable} {script}", "VISUAL": ""},
    )
    assert done.exit_code == 0, done.output
    assert editor.keys_called() == ["calc.py"]


def test_reject(tmp_path, editor):
    done = archedit(
        "run",
        "calc",
        "--approve-plan",
        "--out",
        str(tmp_path),
        answers="reject\ntoo many files\n",
    )
    assert done.exit_code == 1
    assert "rejected at plan approval: too many files" in done.output
    assert editor.keys_called() == []
    assert "rejected" in json.loads((tmp_path / "report.json").read_text())["error"]


def test_resume_of_a_run_paused_at_approval(tmp_path, editor):
    first = archedit("run", "calc", "--approve-plan", "--out", str(tmp_path))
    assert first.exit_code == 1
    assert "no answer to plan approval" in first.output
    assert "resume with: archedit resume" in first.output
    assert editor.keys_called() == []

    thread = run_id(first.output)
    done = archedit("resume", thread, "--out", str(tmp_path), answers="accept\n")
    assert done.exit_code == 0, done.output
    assert sorted(editor.keys_called()) == sorted(GOOD)
    assert (tmp_path / "report.json").exists()
