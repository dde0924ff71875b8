"""report: write the files and the run report into the output directory."""

from __future__ import annotations

import json

from langgraph.runtime import Runtime

from archedit import workspace
from archedit.calls import context_of
from archedit.reporting import build_report, render_markdown
from graph.context import Context
from graph.state import PipelineState


def report(state: PipelineState, runtime: Runtime[Context]) -> dict:
    """Write every file that has text, then report.json and report.md."""
    root = workspace.prepare(context_of(runtime).out_dir)
    results = state.get("results") or {}
    blueprint = state.get("blueprint")
    order = [spec["path"] for spec in blueprint["files"]] if blueprint else []
    for path in order:
        content = (results.get(path) or {}).get("content")
        if content is not None:
            workspace.write_file(root, path, content)
    data = build_report(
        state.get("task", ""),
        results,
        state.get("ledger") or [],
        order=order,
        error=state.get("error"),
    )
    workspace.write_file(root, "report.json", json.dumps(data, indent=2) + "\n")
    workspace.write_file(root, "report.md", render_markdown(data))
    return {"report_path": str(root / "report.json")}
