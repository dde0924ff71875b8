"""The bench: running, resuming, scoring and summarising a suite.

Scripted chat models drive the fast tests; the test marked ``embedded`` runs
a real suite task with the embedded model through the ``archedit bench``
command.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from archedit.bench.configs import (
    ConfigError,
    load_config_file,
    make_config,
    parse_config,
)
from archedit.bench.plot import plot_cost_quality
from archedit.bench.running import run_bench
from archedit.bench.suite import load_suite
from archedit.bench.summary import summarise
from archedit.bench.table import bench_table, compare_table
from archedit.cli import app
from tests.support.pipeline import GOOD, UNDEFINED_NAME, plan_reply
from tests.support.scripted import CRASH, PLAN, ScriptedChatModel, fenced

SUITE = Path(__file__).parent.parent / "suites" / "python-packages"
ACCEPTANCE = """\
def test_add():
    from calc import add

    assert add(2, 3) == 5


def test_show():
    from fmt import show

    assert show(1, 2) == "1 + 2 = 3"
"""


@pytest.fixture(name="suite")
def fixture_suite(tmp_path: Path) -> Path:
    """A suite of one task: the calculator the scripted models know."""
    task = tmp_path / "suite" / "calc"
    (task / "acceptance").mkdir(parents=True)
    (task / "task.md").write_text("calc.py with add(a, b); fmt.py with show(a, b).")
    (task / "acceptance" / "test_calc.py").write_text(ACCEPTANCE)
    return task.parent


def _editor(**overrides: list[str]) -> ScriptedChatModel:
    scripts = {path: [fenced(code)] for path, code in GOOD.items()}
    scripts.update(overrides)
    return ScriptedChatModel(scripts=scripts)


def _architect() -> ScriptedChatModel:
    return ScriptedChatModel(scripts={PLAN: [plan_reply()]})


def test_bench_scores_each_configuration_and_matches_the_ledger(suite, tmp_path):
    configs = [
        make_config("good", _architect(), _editor(), {}),
        make_config(
            "broken",
            _architect(),
            _editor(**{"fmt.py": [fenced(UNDEFINED_NAME)]}),
            {"max_retries": 0, "max_escalations": 0},
        ),
    ]
    out = tmp_path / "out"
    data = run_bench(load_suite(suite), configs, out, suite="calc-suite")

    assert json.loads((out / "bench.json").read_text()) == data
    good, broken = data["runs"]
    assert good["acceptance"]["score"] == 1.0
    # fmt.py fails its own checks and is kept as written: show() breaks.
    assert broken["acceptance"]["score"] == 0.5
    assert broken["acceptance"]["failed"] == ["_acceptance/test_calc.py::test_show"]
    for run in data["runs"]:
        assert run["calls"] == len(run["ledger"])
        assert run["input_tokens"] == sum(c["input_tokens"] for c in run["ledger"])
        assert run["output_tokens"] == sum(c["output_tokens"] for c in run["ledger"])
        assert run["report_total"]["calls"] == run["calls"]
    assert {row["path"]: row["status"] for row in broken["files"]}["fmt.py"] == (
        "failed"
    )

    rows = summarise(data)
    assert [row["config"] for row in rows] == ["good", "broken"]
    assert rows[0]["own_checks_share"] == 1.0
    assert rows[1]["own_checks_share"] == pytest.approx(2 / 3)
    assert rows[1]["quality"] == 0.5
    # Scripted models are neither local nor priced: nothing on local compute.
    assert rows[0]["local_share"] == 0.0
    assert rows[0]["escalation_rate"] == 0.0
    assert rows[0]["tokens_per_task"] == good["input_tokens"] + good["output_tokens"]
    assert bench_table(rows).row_count == 2
    assert compare_table(rows, rows[:1], ("a", "b")).row_count == 14
    plot = plot_cost_quality(rows, tmp_path / "plot.png")
    assert plot.read_bytes().startswith(b"\x89PNG")


def test_an_interrupted_bench_resumes_where_it_stopped(suite, tmp_path):
    out = tmp_path / "out"
    crashing = _editor(**{"fmt.py": [CRASH]})
    config = make_config("cfg", _architect(), crashing, {})
    with pytest.raises(RuntimeError, match="scripted crash"):
        run_bench(load_suite(suite), [config], out)
    assert not (out / "bench.json").exists()
    first_session = float((out / "runs/cfg/calc/.bench-wall-s").read_text())

    # The same pair again: only the interrupted file is written.
    editor = ScriptedChatModel(scripts={"fmt.py": [fenced(GOOD["fmt.py"])]})
    again = make_config("cfg", _architect(), editor, {})
    data = run_bench(load_suite(suite), [again], out)
    assert editor.keys_called() == ["fmt.py"]
    (run,) = data["runs"]
    assert run["resumed"] is True
    assert run["wall_s"] >= round(first_session, 2)
    assert run["acceptance"]["score"] == 1.0

    # Finished pairs are skipped: no model is called a third time.
    silent = make_config("cfg", _architect(), ScriptedChatModel(scripts={}), {})
    assert run_bench(load_suite(suite), [silent], out)["runs"] == data["runs"]


class _Unreachable(ScriptedChatModel):
    """Answers from its scripts, but its provider is down when fmt.py is due."""

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        if "File: fmt.py" in str(messages[-1].content):
            raise ConnectionError("connection refused")
        return super()._generate(messages, stop, run_manager, **kwargs)


def test_a_run_ended_by_its_provider_is_recorded_with_its_calls(suite, tmp_path):
    scripts = {path: [fenced(code)] for path, code in GOOD.items()}
    settings = {"call_retries": 0, "retry_backoff_s": 0}
    config = make_config("down", _architect(), _Unreachable(scripts=scripts), settings)
    data = run_bench(load_suite(suite), [config], tmp_path / "out")

    (run,) = data["runs"]
    assert run["error"].startswith("ModelCallError")
    assert run["calls"] == len(run["ledger"]) >= 2
    assert run["ledger"][-1]["outcome"] == "error"
    statuses = {row["path"]: row["status"] for row in run["files"]}
    assert statuses["calc.py"] == "passed"
    assert statuses["fmt.py"] == "not_run"
    # calc.py was finished before the provider went down: add() is scored.
    assert run["acceptance"]["passed"] == 1


def test_configurations_are_parsed_and_checked():
    config = parse_config("hybrid=openai:gpt-4.1,local")
    assert (config.name, config.architect, config.editor) == (
        "hybrid",
        "openai:gpt-4.1",
        "local",
    )
    with pytest.raises(ConfigError, match="NAME=ARCHITECT,EDITOR"):
        parse_config("hybrid=local")
    with pytest.raises(ConfigError, match="unknown settings retries"):
        make_config("x", "local", "local", {"retries": 1})
    with pytest.raises(ConfigError, match="unknown settings approve_plan"):
        make_config("x", "local", "local", {"approve_plan": True})
    example = load_config_file(SUITE.parent / "configs.example.yaml")
    assert [c.name for c in example][:2] == ["frontier-only", "hybrid"]
    assert example[2].settings == {"editor_base_url": "http://127.0.0.1:11434"}


def test_config_file_and_missing_suite_say_what_is_wrong(tmp_path):
    configs = tmp_path / "configs.yaml"
    configs.write_text("tiny:\n  architect: local\n  editor: local\n  temp: 1\n")
    runner = CliRunner()
    result = runner.invoke(
        app, ["bench", str(SUITE), "--config-file", str(configs), "--out", "x"]
    )
    assert result.exit_code == 1
    assert "unknown settings temp" in result.output
    result = runner.invoke(app, ["bench", str(tmp_path), "-c", "a=local,local"])
    assert result.exit_code == 1
    assert "has no task" in result.output


def test_compare_shows_two_result_sets(suite, tmp_path):
    config = make_config("good", _architect(), _editor(), {})
    run_bench(load_suite(suite), [config], tmp_path / "a")
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    result = CliRunner().invoke(
        app,
        [
            "bench",
            "compare",
            str(tmp_path / "a/bench.json"),
            str(tmp_path / "b/bench.json"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "quality score" in result.output
    assert result.output.count("1.00 (2/2)") == 2
    shown = CliRunner().invoke(app, ["bench", "show", str(tmp_path / "a/bench.json")])
    assert shown.exit_code == 0, shown.output
    assert "own checks passed" in shown.output
    assert (tmp_path / "a" / "bench.png").exists()


# A slow request is retried once at most: the bench must stay a few minutes.
CONFIGS = """\
once:
  architect: local
  editor: local
  max_retries: 0
  max_escalations: 0
  plan_attempts: 1
  call_retries: 1
one-retry:
  architect: local
  editor: local
  max_retries: 1
  max_escalations: 0
  plan_attempts: 1
  call_retries: 1
"""


def _bench(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "archedit.cli", "bench", *args],
        capture_output=True,
        text=True,
        timeout=1500,
        env={**os.environ, "LANGSMITH_TRACING": "false", "COLUMNS": "200"},
    )


@pytest.mark.embedded
def test_bench_on_the_embedded_model(tmp_path):
    configs = tmp_path / "configs.yaml"
    configs.write_text(CONFIGS)
    out = tmp_path / "bench"
    args = [str(SUITE), "--task", "kv-store", "--config-file", str(configs)]
    done = _bench(*args, "--out", str(out))
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert "[1/2] running kv-store in once" in done.stderr

    data = json.loads((out / "bench.json").read_text())
    assert [(r["config"], r["task"]) for r in data["runs"]] == [
        ("once", "kv-store"),
        ("one-retry", "kv-store"),
    ]
    for run in data["runs"]:
        ledger = run["ledger"]
        assert ledger and all(c["provider"] == "local" for c in ledger)
        assert run["calls"] == len(ledger)
        assert run["input_tokens"] == sum(c["input_tokens"] for c in ledger)
        assert run["output_tokens"] == sum(c["output_tokens"] for c in ledger)
        assert run["cost_usd"] == 0
        assert 0 <= run["acceptance"]["score"] <= 1
        assert run["acceptance"]["total"] == 10
        report = Path(run["out_dir"]) / "report.json"
        if report.exists():  # absent only when a model call failed the run
            assert json.loads(report.read_text())["ledger"] == ledger
        if run["config"] == "once":
            assert all(row.get("attempts", 0) <= 1 for row in run["files"])

    rows = {row["config"]: row for row in summarise(data)}
    for run in data["runs"]:
        row = rows[run["config"]]
        assert row["tokens_per_task"] == run["input_tokens"] + run["output_tokens"]
        assert row["quality"] == run["acceptance"]["score"]
        assert row["cost_per_task_usd"] == 0
        assert row["local_share"] in (None, 1.0)
    for cell in ("configuration", "quality score", "once", "one-retry"):
        assert cell in done.stdout
    assert (out / "bench.png").read_bytes().startswith(b"\x89PNG")

    # Run again: every pair is already done, nothing is asked of the model.
    again = _bench(*args, "--out", str(out))
    assert again.returncode == 0, again.stderr[-2000:]
    assert again.stderr.count("already in bench.json") == 2
    assert json.loads((out / "bench.json").read_text())["runs"] == data["runs"]
