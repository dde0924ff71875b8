"""Tool calls that a model wrote into its text instead of making them."""

import re

from archedit.coercion.file_writes import FileWrite, write_from_args, write_from_json

_TOOL_CALL_TAG = re.compile(r"<tool_call>(.*?)(?:</tool_call>|\Z)", re.S)
_FUNCTION_TAG = re.compile(r"<function=([\w.-]+)>(.*?)(?:</function>|\Z)", re.S)
_PARAMETER_TAG = re.compile(
    r"<parameter=([\w.-]+)>\n?(.*?)(?:\n?</parameter>|(?=<parameter=)|\Z)", re.S
)
_REPAIR = ("tool_call_text",)


def tool_call_bodies(text: str) -> list[str]:
    """Returns the JSON inside <tool_call> tags and <function=...> markup.

    Args:
        text: Reply text.

    Returns:
        Each call's body, in order: {"name", "arguments"} objects for tags,
        bare argument objects for function markup.
    """
    bodies = [match[1] for match in _TOOL_CALL_TAG.finditer(text)]
    bodies += [
        match[2]
        for match in _FUNCTION_TAG.finditer(text)
        if not _PARAMETER_TAG.search(match[2])
    ]
    return bodies


def without_tool_calls(text: str) -> str:
    """Returns the text with its <tool_call> tags and function markup removed.

    Args:
        text: Reply text.

    Returns:
        What the reply says outside its tool calls.
    """
    return _FUNCTION_TAG.sub("", _TOOL_CALL_TAG.sub("", text))


def text_tool_calls(text: str) -> list[FileWrite]:
    """Finds file writes in <tool_call> tags and <function=...> markup.

    Bare JSON tool calls such as {"name": ..., "arguments": ...} are left to
    the envelope reader, which recognises them.

    Args:
        text: Reply text.

    Returns:
        The file writes found, in order.
    """
    writes = [
        write_from_json(body, _REPAIR, envelope=False)
        for body in tool_call_bodies(text)
    ]
    for match in _FUNCTION_TAG.finditer(text):
        parameters = dict(_PARAMETER_TAG.findall(match[2]))
        if parameters:
            writes.append(write_from_args(parameters, _REPAIR))
    return [write for write in writes if write is not None]
