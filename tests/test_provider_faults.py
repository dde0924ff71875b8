"""Provider faults: the real OpenAI client against a loopback fault injector.

Transient faults are retried with backoff (honouring Retry-After); a provider
that stays down stops the run at a checkpoint without using any file's
attempts, and a resume finishes it. The ledger matches the requests the
server saw and the answers it gave.
"""

from __future__ import annotations

import json
import time

import pytest

from archedit import faults, runner
from archedit.budget import BudgetExceeded
from archedit.calls import ModelCallError
from graph.context import Context
from tests.support.fault_server import FAULTS, PLAN_KEY, FaultPlan, serve
from tests.support.pipeline import GOOD, plan_reply
from tests.support.scripted import fenced

# Small waits keep the suite fast; the stall fault outlasts the timeout.
FAST = {"call_timeout_s": 0.5, "call_retries": 6, "retry_backoff_s": 0.01}


def answer(key: str) -> str:
    return plan_reply() if key == PLAN_KEY else fenced(GOOD[key])


def context_for(base_url: str, out_dir, provider="openai", **extra) -> Context:
    return Context(
        architect=f"{provider}:canned-architect",
        editor=f"{provider}:canned-editor",
        architect_base_url=base_url,
        editor_base_url=base_url,
        out_dir=str(out_dir),
        **{**FAST, **extra},
    )


def assert_ledger_matches(ledger, server) -> None:
    ok = [c for c in ledger if c["outcome"] == "ok"]
    answered = server.answered()
    assert len(ok) == len(answered)
    assert sum(c["tries"] for c in ledger) == len(server.log)
    assert sum(c["input_tokens"] for c in ok) == sum(s.input_tokens for s in answered)
    assert sum(c["output_tokens"] for c in ok) == sum(s.output_tokens for s in answered)


@pytest.mark.parametrize(
    ("rate", "seed"), [(0.0, 0), (0.3, 1), (0.5, 2)], ids=["clean", "30%", "50%"]
)
def test_run_finishes_through_transient_faults(tmp_path, rate, seed):
    plan = FaultPlan(rate=rate, seed=seed, stall_s=1.0)
    with serve(answer, plan) as server:
        state = runner.execute(
            "calc", context_for(server.base_url, tmp_path), thread_id=f"f{seed}"
        )
    assert {r["status"] for r in state["results"].values()} == {"passed"}
    assert_ledger_matches(state["ledger"], server)
    # Faults cost tries, never attempts: every file passed at its first.
    assert all(len(r["attempts"]) == 1 for r in state["results"].values())
    if rate:
        assert any(s.fault for s in server.log)


@pytest.mark.parametrize(("rate", "seed"), [(0.3, 3), (0.5, 4)], ids=["30%", "50%"])
def test_ollama_run_finishes_through_transient_faults(tmp_path, rate, seed):
    plan = FaultPlan(rate=rate, seed=seed, stall_s=1.0)
    with serve(answer, plan) as server:
        context = context_for(server.root_url, tmp_path, provider="ollama")
        state = runner.execute("calc", context, thread_id=f"o{seed}")
    assert {r["status"] for r in state["results"].values()} == {"passed"}
    assert all(call["provider"] == "ollama" for call in state["ledger"])
    assert_ledger_matches(state["ledger"], server)
    assert any(s.fault for s in server.log)


def test_every_fault_kind_is_retried(tmp_path):
    plan = FaultPlan(sequence=list(FAULTS), stall_s=1.0)
    with serve(answer, plan) as server:
        context = context_for(server.base_url, tmp_path, call_retries=len(FAULTS))
        state = runner.execute("calc", context, thread_id="kinds")
    assert [s.fault for s in server.log[: len(FAULTS)]] == list(FAULTS)
    plan_call = state["ledger"][0]
    assert plan_call["file"] is None and plan_call["tries"] == len(FAULTS) + 1
    assert_ledger_matches(state["ledger"], server)


def test_provider_down_pauses_and_resume_finishes(tmp_path):
    plan = FaultPlan(down_for="fmt.py", down_kind="503")
    with serve(answer, plan) as server:
        context = context_for(server.base_url, tmp_path)
        with pytest.raises(ModelCallError, match="503") as down:
            runner.execute("calc", context, thread_id="down")
        record = down.value.record
        assert record["outcome"] == "error" and record["file"] == "fmt.py"
        assert record["tries"] == FAST["call_retries"] + 1
        assert record["run"] == "down"

        plan.down_for = None
        state = runner.execute(None, context, thread_id="down")

    fmt = state["results"]["fmt.py"]
    # The outage used none of the file's retries or escalations.
    assert fmt["status"] == "passed" and len(fmt["attempts"]) == 1
    # Every request was answered once: finished work is not redone.
    assert sorted(s.key for s in server.answered()) == sorted([PLAN_KEY, *GOOD])
    failed = [c for c in state["ledger"] if c["outcome"] == "error"]
    assert [(c["file"], c["tries"]) for c in failed] == [("fmt.py", 7)]
    assert_ledger_matches(state["ledger"], server)
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["total"]["failed_calls"] == 1
    assert report["calls_by_file"]["fmt.py"]["failed_calls"] == 1


def test_retry_after_is_honoured(tmp_path):
    plan = FaultPlan(sequence=["429", "429"], retry_after_s=0.4)
    with serve(answer, plan) as server:
        started = time.monotonic()
        state = runner.execute(
            "calc", context_for(server.base_url, tmp_path), thread_id="ra"
        )
        elapsed = time.monotonic() - started
    assert elapsed >= 0.8
    assert state["ledger"][0]["tries"] == 3


def test_a_refused_request_is_not_retried_and_the_run_pauses(tmp_path):
    plan = FaultPlan(sequence=["401"])
    with serve(answer, plan) as server:
        context = context_for(server.base_url, tmp_path)
        with pytest.raises(ModelCallError, match="refused the request") as refused:
            runner.execute("calc", context, thread_id="key")
        assert refused.value.record["tries"] == 1
        assert "API key" in str(refused.value)
        state = runner.execute(None, context, thread_id="key")
    assert len(state["results"]) == 3
    assert_ledger_matches(state["ledger"], server)


def test_fault_classes():
    import openai

    refused = openai.AuthenticationError(
        "bad key", response=_response(401), body={"error": "bad key"}
    )
    assert not faults.is_transient(refused)
    limited = openai.RateLimitError("slow", response=_response(429), body=None)
    assert faults.is_transient(limited)
    assert faults.is_transient(json.JSONDecodeError("x", "{", 0))
    assert faults.retry_after(limited) is None


def _response(status: int):
    import httpx2

    return httpx2.Response(status, request=httpx2.Request("POST", "http://x/"))


def test_at_a_90_percent_fault_rate_runs_pause_and_resume(tmp_path):
    # Seed 103 exhausts one call's retries, so the run pauses once.
    plan = FaultPlan(rate=0.9, seed=103, stall_s=1.0)
    pauses = 0
    with serve(answer, plan) as server:
        context = context_for(server.base_url, tmp_path)
        task: str | None = "calc"
        while True:
            try:
                state = runner.execute(task, context, thread_id="storm")
                break
            except ModelCallError:
                pauses += 1
                task = None
                assert pauses < 5
    assert pauses >= 1
    assert all(len(r["attempts"]) == 1 for r in state["results"].values())
    assert {r["status"] for r in state["results"].values()} == {"passed"}
    assert_ledger_matches(state["ledger"], server)


@pytest.mark.parametrize("provider", ["openai", "ollama"])
def test_minutes_budget_bounds_a_stalled_request(tmp_path, provider):
    # The stall outlasts the minutes budget; the request's timeout is cut to
    # what is left, and the retry is refused by the budget, not sent.
    plan = FaultPlan(sequence=["stall"], stall_s=10.0)
    with serve(answer, plan) as server:
        url = server.root_url if provider == "ollama" else server.base_url
        context = context_for(
            url, tmp_path, provider, call_timeout_s=30, max_minutes=0.02
        )
        started = time.monotonic()
        with pytest.raises(BudgetExceeded) as stopped:
            runner.execute("calc", context, thread_id="slow")
        assert time.monotonic() - started < 6
        assert stopped.value.budget == "minutes"
        assert stopped.value.record["tries"] == 1

        longer = context_for(url, tmp_path, provider, max_minutes=5)
        state = runner.execute(None, longer, thread_id="slow")
    assert len(state["results"]) == 3
    assert [c["outcome"] for c in state["ledger"]].count("error") == 1
    assert_ledger_matches(state["ledger"], server)


def test_a_server_on_this_machine_is_not_asked_again_after_a_timeout():
    import httpx2
    import openai

    sent = []

    def slow():
        sent.append(1)
        raise openai.APITimeoutError(request=httpx2.Request("POST", "http://x/"))

    for retry_timeouts, expected in ((False, 1), (True, 3)):
        sent.clear()
        policy = faults.retrying(
            2, 0.001, "x.py attempt 1", retry_timeouts=retry_timeouts
        )
        with pytest.raises(openai.APITimeoutError):
            policy(slow)
        assert len(sent) == expected


def test_a_resume_takes_timeouts_and_retries_from_its_own_environment(
    tmp_path, monkeypatch
):
    runner.save_settings(tmp_path, "env", Context(call_timeout_s=5), None)
    monkeypatch.setenv("ARCHEDIT_CALL_TIMEOUT", "900")
    assert runner.load_settings(tmp_path, "env").call_timeout_s == 900
