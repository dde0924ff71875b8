"""retry: give the editor another attempt with the problems it must fix."""

from __future__ import annotations

import logging

from graph.state import FileState

logger = logging.getLogger(__name__)


def retry(state: FileState) -> dict:
    """Count the retry and hand the last attempt's problems to the editor."""
    last = state["attempts"][-1]
    retries = (state.get("retries") or 0) + 1
    logger.warning(
        "%s attempt %d failed (%s); editor retry %d",
        state["file"]["path"],
        last["number"],
        last["failure"],
        retries,
    )
    return {"retries": retries, "feedback": last["problems"]}
