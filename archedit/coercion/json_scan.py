"""Finding where a JSON value in text ends, and whether it was cut off."""

from dataclasses import dataclass

_OPENERS = {"{": "key", "[": "value"}


@dataclass(frozen=True)
class Extent:
    """How far a JSON value reaches in a text.

    Attributes:
        end: Index just past the value's closing bracket, or the text's length
            when it never closes.
        closed: Whether every bracket the value opened was closed.
        cut: Whether the text ended in the middle of a value, a key or a
            string, so that closing brackets alone cannot complete it.
    """

    end: int
    closed: bool
    cut: bool


def scan_value(text: str, start: int) -> Extent:
    """Follows brackets, strings and comments from an opening bracket.

    Single-quoted strings and //, /* */ and # comments are followed too, as
    models write them and json-repair accepts them.

    Args:
        text: Text holding the value.
        start: Index of the value's opening bracket.

    Returns:
        Where the value ends and whether it was complete.
    """
    stack: list[str] = []
    state = "value"
    index = start
    while index < len(text):
        char = text[index]
        if char in "\"'":
            close = _string_end(text, index)
            if close is None:
                return Extent(len(text), closed=False, cut=True)
            state = _after_item(state)
            index = close
        elif text.startswith(("//", "#"), index):
            newline = text.find("\n", index)
            index = len(text) if newline < 0 else newline
        elif text.startswith("/*", index):
            close = text.find("*/", index + 2)
            index = len(text) if close < 0 else close + 1
        elif char in _OPENERS:
            stack.append(char)
            state = _OPENERS[char]
        elif char in "}]":
            if stack:
                stack.pop()
            state = "after"
            if not stack:
                return Extent(index + 1, closed=True, cut=False)
        elif char == ":":
            state = "value"
        elif char == ",":
            state = "key" if stack and stack[-1] == "{" else "value"
        elif not char.isspace() and state in ("key", "value"):
            state = _after_item(state)
        index += 1
    return Extent(len(text), closed=False, cut=state != "after")


def _after_item(state: str) -> str:
    return "colon" if state == "key" else "after"


def _string_end(text: str, start: int) -> int | None:
    quote = text[start]
    index = start + 1
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == quote:
            return index
        index += 1
    return None
