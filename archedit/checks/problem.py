"""A single finding of a check, worded for the model that must fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file.

    Attributes:
        check: Which check found it: "syntax", "ruff", "parse", "interface",
            "import" or "test".
        message: One line the editor can act on, starting with the line
            number when there is one, e.g. "line 3: F821 undefined name 'x'".
    """

    check: str
    message: str


def one_line(text: str) -> str:
    """Collapse a multi-line message into one line of single spaces."""
    return " ".join(text.split())
