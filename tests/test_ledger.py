"""The ledger and its summaries: prices, unpriced models, per file/role/run."""

from __future__ import annotations

import json
import time

from langchain_core.messages import AIMessage

from archedit import ledger
from archedit.providers import ModelHandle
from archedit.reporting import build_report, render_markdown
from tests.support.scripted import ScriptedChatModel

MODEL = ScriptedChatModel(scripts={})


def reply(inp: int, out: int, cached: int = 0) -> AIMessage:
    return AIMessage(
        "x",
        usage_metadata={
            "input_tokens": inp,
            "output_tokens": out,
            "total_tokens": inp + out,
            "input_token_details": {"cache_read": cached},
        },
    )


def entry(provider, name, role, file, inp=1000, out=500, run="r1", cached=0):
    handle = ModelHandle(MODEL, provider, name)
    return ledger.record(
        handle,
        role,
        file=file,
        attempt=1,
        reply=reply(inp, out, cached),
        started=time.monotonic(),
        run=run,
    )


def test_prices_per_million_with_cached_input():
    record = entry("openai", "gpt-4o-mini", "editor", "a.py", 1_000_000, 0, cached=0)
    assert record["cost_usd"] == 0.15
    cached = entry(
        "openai", "gpt-4o-mini", "editor", "a.py", 1_000_000, 0, cached=10**6
    )
    assert cached["cost_usd"] == 0.075
    assert (
        entry("openai", "openai/gpt-4o", "architect", None, 0, 10**6)["cost_usd"] == 10
    )


def test_local_models_are_free_but_counted():
    record = entry("ollama", "qwen", "editor", "a.py", 300, 200)
    assert record["cost_usd"] == 0.0
    assert record["input_tokens"] == 300 and record["outcome"] == "ok"


def test_unknown_hosted_model_is_unpriced_never_free():
    records = [
        entry("openai", "acme-large", "architect", None),
        entry("openai", "gpt-4o-mini", "editor", "a.py"),
        entry("openai", "gpt-4o-mini", "editor", "b.py", run="r2"),
    ]
    assert records[0]["cost_usd"] is None
    report = build_report("t", {}, records, order=[])
    assert report["total"]["unpriced_calls"] == 1
    assert report["calls_by_role"]["architect"]["unpriced_calls"] == 1
    # The architect has no price, so neither has the architect-only figure.
    assert report["architect_only_cost_usd"] is None
    text = render_markdown(report)
    assert "+ 1 unpriced call" in text
    assert "Had the architect written every file: unpriced" in text


def test_summaries_by_file_role_and_run():
    records = [
        entry("openai", "gpt-4o", "architect", None),
        entry("openai", "gpt-4o-mini", "editor", "a.py"),
        entry("openai", "gpt-4o-mini", "editor", "a.py"),
        entry("openai", "gpt-4o", "escalation", "a.py", run="r2"),
        entry("openai", "gpt-4o-mini", "editor", "b.py", run="r2"),
    ]
    report = json.loads(json.dumps(build_report("t", {}, records, order=[])))
    assert report["calls_by_file"]["(blueprint)"]["calls"] == 1
    assert report["calls_by_file"]["a.py"]["calls"] == 3
    assert report["calls_by_role"]["editor"]["calls"] == 3
    assert report["calls_by_run"]["r1"]["calls"] == 3
    assert report["calls_by_run"]["r2"]["calls"] == 2
    mini = 1000 * 0.15 / 1e6 + 500 * 0.60 / 1e6
    big = 1000 * 2.50 / 1e6 + 500 * 10.0 / 1e6
    assert abs(report["total"]["cost_usd"] - (3 * mini + 2 * big)) < 1e-6
    assert abs(report["architect_only_cost_usd"] - 5 * big) < 1e-6
    text = render_markdown(report)
    assert "### By file" in text and "### By run" in text


def test_failed_call_is_recorded_as_error():
    handle = ModelHandle(MODEL, "openai", "gpt-4o")
    record = ledger.record(
        handle,
        "editor",
        file="a.py",
        attempt=2,
        reply=None,
        started=time.monotonic(),
        run="r1",
        tries=4,
        error="InternalServerError (HTTP 503)",
    )
    assert record["outcome"] == "error" and record["tries"] == 4
    assert record["cost_usd"] == 0.0
    row = ledger.totals([record])["editor"]
    assert row["failed_calls"] == 1 and row["tries"] == 4


def test_user_price_file_overrides(tmp_path, monkeypatch):
    prices = tmp_path / "p.json"
    prices.write_text(json.dumps({"models": {"acme-large": {"input": 1, "output": 2}}}))
    monkeypatch.setenv("ARCHEDIT_PRICES", str(prices))
    assert (
        entry("openai", "acme-large", "architect", None, 10**6, 10**6)["cost_usd"] == 3
    )
