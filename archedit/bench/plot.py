"""The cost-against-quality plot, one point per configuration."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def plot_cost_quality(rows: list[dict[str, Any]], path: str | Path) -> Path:
    """Draw cost per task against quality score and save it as PNG.

    Returns:
        The path written.
    """
    import matplotlib

    # No display here: draw straight to a file.
    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(figsize=(6.4, 4.4))
    try:
        for row in rows:
            axes.scatter(row["cost_per_task_usd"], row["quality"], s=60)
            axes.annotate(
                row["config"],
                (row["cost_per_task_usd"], row["quality"]),
                textcoords="offset points",
                xytext=(6, 6),
            )
        axes.set_xlabel("cost per task (USD)")
        axes.set_ylabel("quality score (share of acceptance tests passed)")
        axes.set_ylim(-0.05, 1.05)
        highest = max((row["cost_per_task_usd"] for row in rows), default=0.0)
        axes.set_xlim(-0.05 * max(highest, 0.01), max(highest, 0.01) * 1.25)
        axes.grid(True, alpha=0.3)
        axes.set_title("archedit bench: cost against quality")
        figure.tight_layout()
        path = Path(path)
        figure.savefig(path, dpi=100)
    finally:
        pyplot.close(figure)
    return path
