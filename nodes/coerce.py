"""coerce: turn the raw reply into the file's text, or a classified failure."""

from __future__ import annotations

import logging

from archedit.coercion import coerce_file
from graph.state import FileState

logger = logging.getLogger(__name__)


def coerce(state: FileState) -> dict:
    """Extract the file from whatever shape the model's reply came in."""
    path = state["file"]["path"]
    coerced = coerce_file(state["reply"], path)
    attempt = len(state.get("attempts") or []) + 1
    if coerced.ok:
        if coerced.repairs:
            logger.info(
                "%s attempt %d: reply repaired (%s)",
                path,
                attempt,
                ", ".join(coerced.repairs),
            )
        return {
            "draft": coerced.value,
            "format_problem": None,
            "repairs": list(coerced.repairs),
        }
    logger.warning(
        "%s attempt %d: no usable file in reply (%s)", path, attempt, coerced.failure
    )
    return {
        "draft": None,
        "format_problem": f"{coerced.failure}: {coerced.message}",
        "repairs": list(coerced.repairs),
    }
