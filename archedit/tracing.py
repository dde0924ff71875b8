"""LangSmith tracing: on only when configured, and quiet when it cannot work.

Tracing asked for (``LANGSMITH_TRACING=true``) without an API key would try to
send every run and warn about each failure. Instead archedit turns tracing off
for the process with one warning line. With a key, calls carry role, file and
attempt as metadata and tags (see ``archedit.calls``).
"""

from __future__ import annotations

import logging
import os

logger = logging.getLogger(__name__)

_SWITCHES = (
    "LANGSMITH_TRACING",
    "LANGSMITH_TRACING_V2",
    "LANGCHAIN_TRACING_V2",
    "LANGCHAIN_TRACING",
)
_KEYS = ("LANGSMITH_API_KEY", "LANGCHAIN_API_KEY")
_warned = False


def tracing_wanted() -> bool:
    """Whether the environment asks for LangSmith tracing."""
    return any(os.environ.get(name, "").lower() == "true" for name in _SWITCHES)


def settle_tracing() -> bool:
    """Turn tracing off when it is asked for without a key.

    Returns:
        Whether runs will be traced.
    """
    global _warned
    if not tracing_wanted():
        return False
    if any(os.environ.get(name) for name in _KEYS):
        return True
    import langsmith

    langsmith.configure(enabled=False)
    if not _warned:
        _warned = True
        logger.warning(
            "LangSmith tracing is on but no LANGSMITH_API_KEY is set; tracing "
            "is off for this run"
        )
    return False
