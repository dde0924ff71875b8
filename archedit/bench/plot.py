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
        placed: dict[tuple[float, float], int] = {}
        for row in rows:
            point = (row["cost_per_task_usd"], row["quality"])
            axes.scatter(*point, s=60, label=row["config"])
            # Configurations often land on the same point (all local, all
            # zero); stack their labels instead of printing one over another.
            key = (round(point[0], 6), round(point[1], 3))
            placed[key] = placed.get(key, -1) + 1
            axes.annotate(
                row["config"],
                point,
                textcoords="offset points",
                xytext=(6, 6 + 12 * placed[key]),
            )
        if rows:
            axes.legend(loc="lower right", fontsize="small")
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
