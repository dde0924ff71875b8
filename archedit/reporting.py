"""The run report: per-file outcomes and the ledger, as JSON and Markdown."""

from __future__ import annotations

from collections import Counter
from typing import Any

from archedit.ledger import cost_for, totals
from graph.state import CallRecord, FileResult

STATUSES = ("passed", "passed_after_retry", "escalated", "failed")
PLAN_ROW = "(blueprint)"
"""The per-file row of calls made for no file: planning."""


def build_report(
    task: str,
    results: dict[str, FileResult],
    ledger: list[CallRecord],
    *,
    order: list[str],
    error: str | None = None,
) -> dict[str, Any]:
    """Everything a reader needs to judge a run, as plain data."""
    counts = Counter(results[path]["status"] for path in order if path in results)
    files = []
    for path in order:
        result = results.get(path)
        if result is None:
            files.append({"path": path, "status": "not_run"})
            continue
        files.append(
            {
                "path": path,
                "status": result["status"],
                "attempts": len(result["attempts"]),
                "model": result["model"],
                "role": result["role"],
                "format_failures": sum(
                    a["failure"] == "format" for a in result["attempts"]
                ),
                "check_failures": sum(
                    a["failure"] == "check" for a in result["attempts"]
                ),
                "errors": [
                    {
                        "attempt": a["number"],
                        "role": a["role"],
                        "failure": a["failure"],
                        "problems": a["problems"],
                    }
                    for a in result["attempts"]
                    if a["failure"]
                ],
                "tests": result.get("tests"),
                "repairs": sorted(
                    {r for a in result["attempts"] for r in a["repairs"]}
                ),
            }
        )
    by_role = totals(ledger)
    by_file = totals(ledger, by=lambda call: call["file"] or PLAN_ROW)
    by_run = totals(ledger, by=lambda call: call.get("run") or "unknown")
    return {
        "task": task,
        "error": error,
        "files": files,
        "counts": {status: counts.get(status, 0) for status in STATUSES},
        "calls_by_role": by_role,
        "calls_by_file": by_file,
        "calls_by_run": by_run,
        "total": {
            "calls": len(ledger),
            "failed_calls": sum(c["outcome"] == "error" for c in ledger),
            "tries": sum(c.get("tries") or 1 for c in ledger),
            "input_tokens": sum(c["input_tokens"] for c in ledger),
            "output_tokens": sum(c["output_tokens"] for c in ledger),
            "cached_tokens": sum(c.get("cached_tokens") or 0 for c in ledger),
            "cost_usd": _sum_cost(ledger),
            "unpriced_calls": sum(c["cost_usd"] is None for c in ledger),
            "latency_s": round(sum(c["latency_s"] for c in ledger), 3),
        },
        "architect_only_cost_usd": _architect_only_cost(ledger),
        "ledger": ledger,
    }


def _sum_cost(ledger: list[CallRecord]) -> float:
    return round(sum(c["cost_usd"] or 0.0 for c in ledger), 6)


def _architect_only_cost(ledger: list[CallRecord]) -> float | None:
    """What the run would have cost had the architect written every file."""
    architect = next((c for c in ledger if c["role"] == "architect"), None)
    if architect is None:
        return None
    if architect["provider"] in ("local", "ollama"):
        return 0.0
    total = 0.0
    for call in ledger:
        price = cost_for(
            architect["model"],
            call["input_tokens"],
            call["output_tokens"],
            call["cached_tokens"],
        )
        if price is None:
            return None
        total += price
    return round(total, 6)


def render_markdown(report: dict[str, Any]) -> str:
    """The report as a short Markdown page."""
    lines = ["# archedit report", "", f"Task: {report['task']}", ""]
    if report["error"]:
        lines += [f"**Run failed:** {report['error']}", ""]
    counts = report["counts"]
    lines += [
        "| passed | passed after retry | escalated | failed |",
        "|---|---|---|---|",
        f"| {counts['passed']} | {counts['passed_after_retry']} | "
        f"{counts['escalated']} | {counts['failed']} |",
        "",
        "## Files",
        "",
        "| file | status | attempts | written by | problems of the last failure |",
        "|---|---|---|---|---|",
    ]
    for row in report["files"]:
        last = row.get("errors") or []
        problem = "; ".join(last[-1]["problems"])[:200] if last else ""
        problem = problem.replace("|", "\\|").replace("\n", " ")
        lines.append(
            f"| {row['path']} | {row['status']} | {row.get('attempts', 0)} | "
            f"{row.get('role') or ''} {row.get('model') or ''} | {problem} |"
        )
    lines += _tests_section(report["files"])
    lines += ["", "## Model calls", ""]
    lines += _cost_table("role", report["calls_by_role"])
    lines += ["", "### By file", ""]
    lines += _cost_table("file", report.get("calls_by_file") or {})
    runs = report.get("calls_by_run") or {}
    if len(runs) > 1:
        lines += ["", "### By run", ""]
        lines += _cost_table("run", runs)
    total = report["total"]
    unpriced = total["unpriced_calls"]
    failed = total.get("failed_calls") or 0
    lines += [
        "",
        f"Total: {total['calls']} calls, {total['input_tokens']} input and "
        f"{total['output_tokens']} output tokens, "
        f"{_usd(total['cost_usd'], unpriced)}."
        + (f" {failed} calls failed at the provider." if failed else ""),
    ]
    alternative = report["architect_only_cost_usd"]
    if alternative is not None:
        lines.append(f"Had the architect written every file: ${alternative:.4f}.")
    elif report["calls_by_role"].get("architect"):
        lines.append(
            "Had the architect written every file: unpriced (the architect "
            "model has no known price)."
        )
    return "\n".join(lines) + "\n"


def _tests_section(files: list[dict[str, Any]]) -> list[str]:
    """Each generated test file's tests, as its last sandboxed run left them."""
    run = [row for row in files if row.get("tests")]
    if not run:
        return []
    lines = ["", "## Generated tests", ""]
    for row in run:
        tests = row["tests"]
        lines.append(
            f"- {row['path']}: {len(tests['passed'])} passed, "
            f"{len(tests['failed'])} failed"
        )
        lines += [f"  - passed: `{name}`" for name in tests["passed"]]
        lines += [f"  - failed: `{name}`" for name in tests["failed"]]
    return lines


def _cost_table(label: str, rows: dict[str, dict[str, float]]) -> list[str]:
    lines = [
        f"| {label} | calls | failed | input tokens | output tokens | cost (USD) "
        "| time (s) |",
        "|---|---|---|---|---|---|---|",
    ]
    for key, row in rows.items():
        lines.append(
            f"| {key} | {row['calls']} | {row.get('failed_calls', 0)} | "
            f"{row['input_tokens']} | {row['output_tokens']} | "
            f"{_usd(row['cost_usd'], row['unpriced_calls'])} | "
            f"{row['latency_s']:.1f} |"
        )
    return lines


def _usd(amount: float, unpriced: int) -> str:
    """A cost that never hides unpriced calls behind a number."""
    text = f"${amount:.4f}"
    if unpriced:
        text += f" + {unpriced} unpriced {'call' if unpriced == 1 else 'calls'}"
    return text
