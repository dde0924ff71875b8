"""Loading JSON that a model wrote, repairing it when it is malformed."""

import json
import logging
import re
from dataclasses import dataclass
from typing import Any

import json_repair

from archedit.coercion.json_scan import scan_value

logger = logging.getLogger(__name__)

_EMPTY_STRING = re.compile(r"\s*(\"\"|'')\s*")


@dataclass(frozen=True)
class Loaded:
    """A JSON value recovered from text.

    Attributes:
        value: The decoded value.
        repaired: Whether the text was not valid JSON as it stood.
        closed: Whether the value's brackets were all closed in the text.
        cut: Whether the text ended in the middle of a value, so that the
            repaired value has lost whatever was being written.
        surrounded: Whether text other than the JSON value had to be ignored.
    """

    value: Any
    repaired: bool
    closed: bool = True
    cut: bool = False
    surrounded: bool = False


def load_json(text: str) -> Loaded | None:
    """Decodes JSON, falling back to json-repair for malformed text.

    Args:
        text: Text that should be a single JSON value.

    Returns:
        The value, or None when nothing JSON-like could be recovered.
    """
    stripped = text.strip()
    if not stripped:
        return None
    try:
        return Loaded(json.loads(stripped), repaired=False)
    except (ValueError, RecursionError):
        pass
    closed, cut = True, False
    if stripped[0] in "{[":
        extent = scan_value(stripped, 0)
        closed, cut = extent.closed, extent.cut
    try:
        # Raw newlines inside strings are the commonest fault in code payloads,
        # and json-repair would also trim the string's trailing whitespace.
        value = json.loads(stripped, strict=False)
    except (ValueError, RecursionError):
        value = _json_repair(stripped)
        if value is None:
            return None
    return Loaded(value, repaired=True, closed=closed, cut=cut)


def find_json(text: str) -> list[Loaded]:
    """Finds JSON values embedded in prose, object and array openings alike.

    Args:
        text: Text that may hold a JSON value somewhere.

    Returns:
        Values recovered from the first object opening and the first array
        opening, in the order they appear; an opening inside the first value
        is not tried on its own.
    """
    found = []
    starts = sorted(i for i in (text.find("{"), text.find("[")) if i >= 0)
    covered = 0
    for start in starts:
        if start < covered:
            continue
        extent = scan_value(text, start)
        covered = extent.end
        loaded = load_json(text[start : extent.end])
        if loaded is None:
            continue
        surrounded = bool(text[:start].strip() or text[extent.end :].strip())
        found.append(
            Loaded(loaded.value, loaded.repaired, extent.closed, extent.cut, surrounded)
        )
    return found


def _json_repair(text: str) -> Any | None:
    try:
        value = json_repair.loads(text)
    except (ValueError, RecursionError):
        # Raised for nesting deeper than its parser can follow.
        return None
    # json-repair is a heuristic parser; any other crash in it also means the
    # text could not be repaired, which callers already handle.
    except Exception:
        logger.warning(
            "json-repair crashed on a %d-character reply", len(text), exc_info=True
        )
        return None
    if value == "" and not _EMPTY_STRING.fullmatch(text):
        return None
    return value
