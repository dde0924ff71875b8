"""Slicing a code string out of malformed JSON by hand.

Models put code into JSON strings with raw newlines, unescaped quotes and
escapes JSON does not have. json-repair then splits the code into bogus keys,
drops it, or trims trailing whitespace, so the string is also read straight
from the text.
"""

import re
from dataclasses import dataclass

CONTENT_KEYS = ("content", "contents", "code", "source", "text", "file_content")
_CONTENT_OPENING = re.compile(
    r"""["']?\b(?:""" + "|".join(CONTENT_KEYS) + r""")["']?\s*:\s*(["'`])"""
)
# What may follow the content string: other short keys, closing brackets, a
# closing tag or fence. Written so that no two parts compete for whitespace.
_TRAILER = re.compile(
    r"""(?:\s*,\s*["']?\w+["']?\s*:\s*(?:"[^"\n]*"|'[^'\n]*'|\w+))*"""
    r"""(?:\s*[}\]])*\s*(?:</\w+>\s*)?(?:`{3,}\s*)?\Z"""
)
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.S)
_NON_JSON_ESCAPE = re.compile(r"\\[^\\/\"bfnrtu]")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}


@dataclass(frozen=True)
class Salvage:
    """A content string sliced out of malformed JSON.

    Attributes:
        readings: Readings of the string, the likelier first.
        verbatim: Whether the model seems to have pasted the code verbatim
            rather than escaped it: raw newlines or escapes that JSON does
            not have give that away.
        closed: Whether the string's closing quote was found.
    """

    readings: tuple[str, ...]
    verbatim: bool
    closed: bool


def salvage_content(raw: str) -> Salvage | None:
    """Slices the content string out of malformed JSON text by hand.

    The string is taken to end at the first matching quote followed only by
    other short keys and closing brackets up to the end of the text, so
    quotes inside the code survive.

    Args:
        raw: The JSON text as the model wrote it.

    Returns:
        The string's readings, or None when there is no content key.
    """
    opening = _CONTENT_OPENING.search(raw)
    if opening is None:
        return None
    quote, rest = opening[1], raw[opening.end() :]
    body, closed = rest, False
    for position, char in enumerate(rest):
        if char == quote and _TRAILER.match(rest, position + 1):
            body, closed = rest[:position], True
            break
    unescaped = _unescape(body)
    verbatim = [body.replace("\\" + quote, quote), body]
    if "\n" in body or _NON_JSON_ESCAPE.search(body):
        return Salvage(tuple(dict.fromkeys([*verbatim, unescaped])), True, closed)
    return Salvage(tuple(dict.fromkeys([unescaped, *verbatim])), False, closed)


def _unescape(text: str) -> str:
    def replace(match: re.Match) -> str:
        escape = match[1]
        if len(escape) == 5:
            return chr(int(escape[1:], 16))
        return _ESCAPES.get(escape, escape if escape in "\"'\\/`" else "\\" + escape)

    joined = _ESCAPE.sub(replace, text)
    # Pairs of \u escapes encode one character outside the basic plane.
    return joined.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
