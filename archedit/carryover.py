"""What one sitting of a run (start or resume) hands on: time worked, lost calls.

A run stopped by a provider that stayed down loses the node that was calling
it, and with that node the ledger record of the failed call. The record is
kept here, beside the run's settings, and added to the graph state when the
run is resumed, so the ledger shows every call made. The time the run has
worked is kept here too, so ``max_minutes`` counts over every sitting.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from archedit import workspace
from graph.state import CallRecord


def _path(settings: Path) -> Path:
    return settings.with_suffix(".carryover.json")


def load(settings: Path) -> dict[str, Any]:
    """The carry-over of the run whose settings are at ``settings``."""
    path = _path(settings)
    if not path.exists():
        return {"worked_s": 0.0, "ledger": []}
    return json.loads(path.read_text())


def save(settings: Path, worked_s: float, ledger: list[CallRecord]) -> None:
    """Keep the time worked and the records the next sitting must add."""
    data = {"worked_s": round(worked_s, 3), "ledger": ledger}
    workspace.atomic_write(_path(settings), json.dumps(data, indent=2))
