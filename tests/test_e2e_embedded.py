"""The real thing: ``archedit run`` on the embedded model, end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.embedded

TASK = (
    "A Python module greet.py with a function greet(name) that returns "
    "'Hello, <name>!', and a pytest test file test_greet.py for it."
)


def test_archedit_run_on_the_embedded_model(tmp_path):
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "archedit.cli", "run", TASK, "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "LANGSMITH_TRACING": "false"},
    )
    assert "Traceback" not in done.stderr
    report = json.loads((out / "report.json").read_text())
    if done.returncode != 0:
        # The tiny architect may fail to plan; that must be reported cleanly.
        assert report["error"] and "blueprint" in report["error"]
        return
    assert report["error"] is None
    assert report["files"], "a run that planned must report its files"
    for row in report["files"]:
        assert row["status"] in {"passed", "passed_after_retry", "escalated", "failed"}
        assert 1 <= row["attempts"] <= 4
        if row["status"] != "failed":
            assert (out / row["path"]).is_file()
    roles = report["calls_by_role"]
    assert roles["architect"]["calls"] >= 1
    assert roles["editor"]["calls"] >= len(report["files"])
    assert report["total"]["output_tokens"] > 0
    assert all(call["provider"] == "local" for call in report["ledger"])
    assert report["total"]["cost_usd"] == 0
    assert (out / "report.md").read_text().startswith("# archedit report")
    assert "report:" in done.stderr
