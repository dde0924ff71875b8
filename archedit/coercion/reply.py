"""Reading a chat model's reply into its text, tool calls and stop reason."""

import re
from dataclasses import dataclass
from typing import Any

from langchain_core.messages import BaseMessage

_THINK_BLOCK = re.compile(r"<(think|thinking|reasoning)>.*?</\1>[ \t]*\n?", re.S | re.I)
_ORPHAN_CLOSE = re.compile(r"\A.*</(?:think|thinking|reasoning)>[ \t]*\n?", re.S | re.I)
_LEADING_OPEN = re.compile(r"\A\s*<(?:think|thinking|reasoning)>[ \t]*\n?", re.I)
_LENGTH_STOPS = ("length", "max_tokens")
_STOP_KEYS = ("finish_reason", "done_reason", "stop_reason")


@dataclass(frozen=True)
class ToolCall:
    """A tool call the model made through the API rather than in text.

    Attributes:
        name: The tool's name, or "" when absent.
        args: The arguments: a dict when the provider parsed them, else the
            raw string the model produced.
    """

    name: str
    args: Any


@dataclass(frozen=True)
class Reply:
    """A model reply reduced to what coercion needs.

    Attributes:
        raw_text: The text content exactly as sent.
        text: The text content without reasoning blocks.
        tool_calls: API-level tool calls, valid and invalid alike.
        stopped_at_length: Whether the provider reported hitting its token
            limit.
        repairs: Repairs applied while reading, such as "think_block".
    """

    raw_text: str
    text: str
    tool_calls: tuple[ToolCall, ...]
    stopped_at_length: bool
    repairs: tuple[str, ...]


def read_reply(output: BaseMessage | str) -> Reply:
    """Reads a message or bare string into a `Reply`.

    Args:
        output: What the model returned.

    Returns:
        The reply's text, tool calls and stop reason.
    """
    if isinstance(output, str):
        raw, calls, stopped = output, (), False
    else:
        raw = _content_text(getattr(output, "content", ""))
        calls = _tool_calls(output)
        stopped = _stopped_at_length(getattr(output, "response_metadata", None))
    text, removed = strip_think(raw)
    return Reply(raw, text, calls, stopped, ("think_block",) if removed else ())


def strip_think(text: str) -> tuple[str, bool]:
    """Removes reasoning blocks, including an orphan closing or opening tag.

    An unclosed leading tag is dropped alone: what follows may still hold the
    answer, and later stages decide whether it does.

    Args:
        text: Reply text.

    Returns:
        The text without reasoning, and whether anything was removed.
    """
    stripped = _THINK_BLOCK.sub("", text)
    stripped = _ORPHAN_CLOSE.sub("", stripped, count=1)
    stripped = _LEADING_OPEN.sub("", stripped, count=1)
    return stripped, stripped != text


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        return ""
    parts = []
    for block in content:
        if isinstance(block, str):
            parts.append(block)
        elif isinstance(block, dict) and block.get("type") == "text":
            text = block.get("text")
            if isinstance(text, str):
                parts.append(text)
    return "".join(parts)


def _tool_calls(message: BaseMessage) -> tuple[ToolCall, ...]:
    found = []
    for attribute in ("tool_calls", "invalid_tool_calls"):
        calls = getattr(message, attribute, None)
        for call in calls if isinstance(calls, list) else ():
            if isinstance(call, dict):
                found.append(_tool_call(call.get("name"), call.get("args")))
    content = getattr(message, "content", None)
    for block in content if isinstance(content, list) else ():
        if isinstance(block, dict) and block.get("type") == "tool_use":
            found.append(_tool_call(block.get("name"), block.get("input")))
    return tuple(found)


def _tool_call(name: Any, args: Any) -> ToolCall:
    return ToolCall(name if isinstance(name, str) else "", args)


def _stopped_at_length(metadata: Any) -> bool:
    if not isinstance(metadata, dict):
        return False
    return any(metadata.get(key) in _LENGTH_STOPS for key in _STOP_KEYS)
