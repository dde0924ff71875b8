"""The bench table's numbers: one row per configuration, from bench.json."""

from __future__ import annotations

from statistics import mean
from typing import Any

# Own checks: ruff, imports and the file's generated tests; these statuses
# mean the final version of the file passed them.
_PASSING = ("passed", "passed_after_retry", "escalated")


def summarise(data: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per configuration, in the order the configurations were given.

    Shares are over every file the runs planned; per-task values are means
    over the configuration's runs. A share is None when no file was planned.
    """
    rows = []
    for config in data["configs"]:
        runs = [run for run in data["runs"] if run["config"] == config["name"]]
        if runs:
            rows.append(summarise_runs(config["name"], runs))
    return rows


def summarise_runs(name: str, runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The table row of configuration ``name`` from its runs."""
    files = [row for run in runs for row in run["files"]]
    return {
        "config": name,
        "tasks": len(runs),
        "cost_per_task_usd": mean(run["cost_usd"] for run in runs),
        "unpriced_calls": sum(run["unpriced_calls"] for run in runs),
        "files": len(files),
        "local_share": _share(files, lambda row: row["local"]),
        "escalation_rate": _share(files, lambda row: row["escalated"]),
        "own_checks_share": _share(files, lambda row: row["status"] in _PASSING),
        "quality": mean(run["acceptance"]["score"] for run in runs),
        "tests_passed": sum(run["acceptance"]["passed"] for run in runs),
        "tests_total": sum(run["acceptance"]["total"] for run in runs),
        "wall_s_per_task": mean(run["wall_s"] for run in runs),
        "wall_s_total": sum(run["wall_s"] for run in runs),
        "tokens_per_task": mean(
            run["input_tokens"] + run["output_tokens"] for run in runs
        ),
        "calls": sum(run["calls"] for run in runs),
        "failed_runs": sum(bool(run["error"]) for run in runs),
    }


def _share(files: list[dict[str, Any]], test: Any) -> float | None:
    if not files:
        return None
    return sum(bool(test(row)) for row in files) / len(files)
