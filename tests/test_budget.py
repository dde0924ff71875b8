"""Budgets: a run stops at a checkpoint before a call could exceed one, and a
resume with a larger budget finishes it without redoing finished work."""

from __future__ import annotations

import json

import pytest

from archedit import budget, runner
from archedit.budget import BudgetExceeded, Estimate, Spend, estimate
from archedit.providers import ModelHandle
from graph.context import Context
from tests.support.pipeline import GOOD, plan_reply
from tests.support.scripted import PLAN, ScriptedChatModel, fenced


def models() -> tuple[ScriptedChatModel, ScriptedChatModel]:
    architect = ScriptedChatModel(scripts={PLAN: [plan_reply()]})
    editor = ScriptedChatModel(
        scripts={path: [fenced(code)] for path, code in GOOD.items()}
    )
    return architect, editor


def run(tmp_path, architect, editor, thread="b1", task="calc", **limits):
    context = Context(
        architect=architect, editor=editor, out_dir=str(tmp_path), **limits
    )
    return runner.execute(task, context, thread_id=thread)


def test_token_budget_stops_mid_run_and_resume_finishes(tmp_path, monkeypatch):
    # Measure what the plan and calc.py use, then allow a budget with room for
    # both but not for a third call; every call is estimated at ESTIMATE.
    free = run(tmp_path / "free", *models(), thread="free")
    used = {c["file"]: c["input_tokens"] + c["output_tokens"] for c in free["ledger"]}
    monkeypatch.setattr(budget, "estimate", lambda handle, messages: Estimate(1000, 0))
    limit = used[None] + used["calc.py"] // 2 + 1000
    architect, editor = models()
    with pytest.raises(BudgetExceeded) as stopped:
        run(tmp_path, architect, editor, max_tokens=limit)
    assert stopped.value.budget == "tokens"
    assert stopped.value.flag == "--max-tokens"
    assert f"{limit} tokens" in str(stopped.value)
    assert architect.keys_called() == [PLAN]
    assert editor.keys_called() == ["calc.py"]
    assert not (tmp_path / "report.json").exists()

    # Resumed with a larger budget by new processes' worth of objects.
    resumed = runner.execute(
        None,
        Context(
            architect=architect,
            editor=editor,
            out_dir=str(tmp_path),
            max_tokens=50_000,
        ),
        thread_id="b1",
    )
    assert architect.keys_called() == [PLAN]
    assert sorted(editor.keys_called()) == ["calc.py", "fmt.py", "test_calc.py"]
    assert {r["status"] for r in resumed["results"].values()} == {"passed"}
    assert [r["file"] for r in resumed["ledger"]].count("calc.py") == 1
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["total"]["calls"] == 4
    assert report["calls_by_run"]["b1"]["calls"] == 4
    # The raised budget was saved for later resumes.
    assert runner.load_settings(tmp_path, "b1").max_tokens == 50_000


def test_usd_budget_with_priced_model(tmp_path, monkeypatch):
    prices = tmp_path / "prices.json"
    prices.write_text(
        json.dumps({"models": {"ScriptedChatModel": {"input": 10.0, "output": 30.0}}})
    )
    monkeypatch.setenv("ARCHEDIT_PRICES", str(prices))
    architect, editor = models()
    out = tmp_path / "out"
    with pytest.raises(BudgetExceeded) as stopped:
        run(out, architect, editor, thread="u1", max_usd=0.001)
    assert stopped.value.budget == "usd"
    assert architect.keys_called() == []
    resumed = runner.execute(
        None,
        Context(architect=architect, editor=editor, out_dir=str(out), max_usd=1.0),
        thread_id="u1",
    )
    assert resumed["report_path"]
    report = json.loads((out / "report.json").read_text())
    assert 0 < report["total"]["cost_usd"] < 1.0
    assert report["total"]["unpriced_calls"] == 0


def test_usd_budget_refuses_an_unpriced_model(tmp_path):
    architect, editor = models()
    with pytest.raises(BudgetExceeded, match="no known price") as stopped:
        run(tmp_path, architect, editor, thread="u2", max_usd=5.0)
    # A larger budget would not help; a price would.
    assert not stopped.value.raisable
    assert architect.keys_called() == []


def test_minutes_budget_counts_every_session(tmp_path):
    architect, editor = models()
    with pytest.raises(BudgetExceeded) as stopped:
        run(tmp_path, architect, editor, thread="m1", max_minutes=0)
    assert stopped.value.budget == "minutes"
    assert architect.keys_called() == []
    resumed = runner.execute(
        None,
        Context(
            architect=architect, editor=editor, out_dir=str(tmp_path), max_minutes=5
        ),
        thread_id="m1",
    )
    assert len(resumed["results"]) == 3
    carried = json.loads(
        runner.settings_path(tmp_path, "m1").with_suffix(".carryover.json").read_text()
    )
    assert carried["worked_s"] > 0 and carried["ledger"] == []


def test_reservations_hold_calls_in_flight():
    context = Context(max_tokens=1000)
    spend = Spend()
    guess = Estimate(tokens=600, usd=0.0)
    spend.reserve(context, guess, "first")
    # A second call in flight at the same time would not fit beside the first.
    with pytest.raises(BudgetExceeded):
        spend.reserve(context, guess, "second")
    spend.settle(context, guess, None)
    spend.reserve(context, guess, "second")


def test_estimate_errs_high():
    from langchain_core.messages import HumanMessage

    architect, _ = models()
    handle = ModelHandle(architect, "custom", "x")
    text = "word " * 400
    guess = estimate(handle, [HumanMessage(text)])
    assert guess.tokens >= len(text) // 4 + 2048
    assert guess.usd is None
