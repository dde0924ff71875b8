"""The bench table on the terminal, and two result sets side by side."""

from __future__ import annotations

from typing import Any

from rich.table import Table

COLUMNS = (
    "configuration",
    "cost per task",
    "files on local compute",
    "escalation rate",
    "quality score",
    "wall time",
    "tokens",
    "own checks passed",
)


CAPTION = (
    "cost, wall time and tokens: means per task; quality: share of acceptance "
    "tests passed (passed/total); shares are of all files planned"
)


def bench_table(rows: list[dict[str, Any]], title: str = "archedit bench") -> Table:
    """The summary rows as a rich table, one configuration a row."""
    table = Table(title=title, caption=CAPTION)
    for index, column in enumerate(COLUMNS):
        table.add_column(column, justify="left" if index == 0 else "right")
    for row in rows:
        table.add_row(*cells(row))
    return table


def cells(row: dict[str, Any]) -> list[str]:
    """The table cells of one summary row."""
    cost = f"${row['cost_per_task_usd']:.4f}"
    if row["unpriced_calls"]:
        cost += f" (+{row['unpriced_calls']} unpriced)"
    return [
        row["config"],
        cost,
        percent(row["local_share"]),
        percent(row["escalation_rate"]),
        f"{row['quality']:.2f} ({row['tests_passed']}/{row['tests_total']})",
        f"{row['wall_s_per_task']:.0f} s",
        f"{row['tokens_per_task']:,.0f}",
        percent(row["own_checks_share"]),
    ]


def compare_table(
    left: list[dict[str, Any]], right: list[dict[str, Any]], names: tuple[str, str]
) -> Table:
    """Two result sets side by side: each measure of each configuration."""
    table = Table(title=f"{names[0]} vs {names[1]}")
    table.add_column("configuration")
    table.add_column("measure")
    table.add_column(names[0], justify="right")
    table.add_column(names[1], justify="right")
    by_name = [{row["config"]: row for row in rows} for rows in (left, right)]
    configs = list(dict.fromkeys([*by_name[0], *by_name[1]]))
    for config in configs:
        sides = [cells(rows[config]) if config in rows else None for rows in by_name]
        for index, measure in enumerate(COLUMNS[1:], 1):
            values = [side[index] if side else "-" for side in sides]
            table.add_row(config if index == 1 else "", measure, *values)
        table.add_section()
    return table


def percent(share: float | None) -> str:
    """A share as a whole percentage, '-' when there is none."""
    return "-" if share is None else f"{share:.0%}"
