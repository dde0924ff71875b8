"""bench.json: the record of every run, kept on disk as the bench goes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archedit import workspace
from archedit.bench.configs import BenchConfig
from archedit.bench.suite import BenchTask

RESULTS = "bench.json"
FORMAT = 1

# Where a file's final writer ran: these providers run on this machine.
LOCAL_PROVIDERS = ("local", "ollama")


def load(path: Path) -> dict[str, Any] | None:
    """The bench results in ``path``, or None if there are none yet."""
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("format") != FORMAT or not isinstance(data.get("runs"), list):
        raise ValueError(f"{path} is not a bench result file of format {FORMAT}")
    return data


def save(path: Path, data: dict[str, Any]) -> None:
    """Write the results atomically, so an interrupt never leaves half a file."""
    workspace.atomic_write(path, json.dumps(data, indent=2) + "\n")


def run_record(
    *,
    config: str,
    task: str,
    thread_id: str,
    out_dir: str,
    wall_s: float,
    resumed: bool,
    report: dict[str, Any] | None,
    acceptance: dict[str, Any],
    error: str | None,
) -> dict[str, Any]:
    """One run as bench.json keeps it: its report, enriched, and its score.

    Each file of the report gains ``provider``, ``local`` and ``escalated``,
    read from the ledger calls made for it.
    """
    report = report or {}
    ledger = report.get("ledger") or []
    files = [_with_writer(row, ledger) for row in report.get("files") or []]
    total = report.get("total") or {}
    return {
        "config": config,
        "task": task,
        "thread_id": thread_id,
        "out_dir": out_dir,
        "wall_s": round(wall_s, 2),
        "resumed": resumed,
        "error": error or report.get("error"),
        "acceptance": acceptance,
        "files": files,
        "calls": len(ledger),
        "input_tokens": sum(c["input_tokens"] for c in ledger),
        "output_tokens": sum(c["output_tokens"] for c in ledger),
        "cost_usd": round(sum(c["cost_usd"] or 0.0 for c in ledger), 6),
        "unpriced_calls": sum(c["cost_usd"] is None for c in ledger),
        "architect_only_cost_usd": report.get("architect_only_cost_usd"),
        "report_total": total,
        "ledger": ledger,
    }


def _with_writer(row: dict[str, Any], ledger: list[dict[str, Any]]) -> dict[str, Any]:
    calls = [c for c in ledger if c["file"] == row["path"]]
    final = [c for c in calls if c["role"] == row.get("role")]
    provider = final[-1]["provider"] if final else None
    return {
        **row,
        "provider": provider,
        "local": provider in LOCAL_PROVIDERS,
        "escalated": any(c["role"] == "escalation" for c in calls),
    }


def start(
    previous: dict[str, Any] | None,
    tasks: list[BenchTask],
    configs: list[BenchConfig],
    suite: str,
) -> dict[str, Any]:
    """The results to extend: new ones, or ``previous`` with this setup added.

    Raises:
        ValueError: if a configuration name of ``configs`` was used in
            ``previous`` for a different setup.
    """
    described = {config.name: config.describe() for config in configs}
    if previous is None:
        return {
            "format": FORMAT,
            "suite": suite,
            "started": now(),
            "configs": list(described.values()),
            "tasks": [{"name": t.name, "tests": t.test_count} for t in tasks],
            "runs": [],
        }
    kept = {config["name"]: config for config in previous["configs"]}
    for name, config in described.items():
        if name in kept and kept[name] != config:
            raise ValueError(
                f"configuration {name!r} in bench.json was run as {kept[name]}, "
                f"now asked as {config}; use another --out or another name"
            )
        kept[name] = config
    known = {task["name"] for task in previous["tasks"]}
    previous["tasks"] += [
        {"name": t.name, "tests": t.test_count} for t in tasks if t.name not in known
    ]
    previous["configs"] = list(kept.values())
    return previous


def now() -> str:
    """The current UTC time, as bench.json records it."""
    return datetime.now(UTC).isoformat(timespec="seconds")
