"""Recovering a file write, a path and its content, from JSON-shaped replies.

Small models often answer with {"path": ..., "content": ...} or a tool call
instead of a code block. When json-repair mangles the code in such JSON, the
content string is also sliced out of the raw text by hand, and every reading
is offered to the caller to check.
"""

import re
from dataclasses import dataclass
from typing import Any

from archedit.coercion.lenient_json import load_json
from archedit.coercion.salvage import CONTENT_KEYS, salvage_content

PATH_KEYS = ("path", "file_path", "filepath", "filename", "file_name", "file")
_ARGUMENT_KEYS = ("arguments", "parameters", "args", "input")
_ENVELOPE_KEYS = frozenset(
    PATH_KEYS + CONTENT_KEYS + ("language", "lang", "description", "explanation")
)
_FIRST_KEY = re.compile(r"""\s*\{\s*["']?(\w+)["']?\s*:""")
_PATH_VALUE = re.compile(
    r"""["']?\b(?:""" + "|".join(PATH_KEYS) + r""")["']?\s*:\s*["']([^"'\n]+)["']"""
)


@dataclass(frozen=True)
class FileWrite:
    """A file the model tried to write through a tool call or envelope.

    Attributes:
        path: The path the model named, or None.
        contents: Readings of the content, most trustworthy first.
        repairs: Repairs needed to recover it.
        complete: False when the JSON was cut off.
    """

    path: str | None
    contents: tuple[str, ...]
    repairs: tuple[str, ...]
    complete: bool = True


def write_from_args(args: Any, repairs: tuple[str, ...] = ()) -> FileWrite | None:
    """Reads tool-call arguments given as a dict or a JSON string.

    Args:
        args: The arguments as the provider delivered them.
        repairs: Repairs already applied to reach them.

    Returns:
        The file write, or None when the arguments hold no content.
    """
    if isinstance(args, str):
        repairs += ("tool_call_args_string",)
        return write_from_json(args, repairs, envelope=False)
    if not isinstance(args, dict):
        return None
    if not any(key in args for key in CONTENT_KEYS):
        inner = next((args[k] for k in _ARGUMENT_KEYS if k in args), None)
        if isinstance(inner, str):
            repairs += ("tool_call_args_string",)
            return write_from_json(inner, repairs, envelope=False)
        if isinstance(inner, dict):
            args = inner
    return _write(args, "", repairs, repaired=False, complete=True)


def write_from_json(
    text: str, repairs: tuple[str, ...] = (), *, envelope: bool = True
) -> FileWrite | None:
    """Reads an envelope or tool call written out as JSON text.

    Args:
        text: Text holding one JSON object.
        repairs: Repairs already applied to reach it.
        envelope: Whether the text stands alone in the reply, so that finding
            a file write in it is itself a repair worth naming.

    Returns:
        The file write, or None when the text is not such an object.
    """
    loaded = load_json(text)
    if loaded is None or not isinstance(loaded.value, dict):
        return _salvaged_write(text, repairs + ("json_repair",), envelope)
    if loaded.repaired:
        repairs += ("json_repair",)
    value, inner = loaded.value, _tool_arguments(loaded.value)
    if inner is not None:
        repairs += ("tool_call_text",) if envelope else ()
        if isinstance(inner, str):
            repairs += ("tool_call_args_string",)
            return write_from_json(inner, repairs, envelope=False)
        value = inner
    elif envelope:
        repairs += ("json_envelope",)
    if not isinstance(value, dict) or not _looks_like_envelope(value):
        return None
    complete = loaded.closed and not loaded.cut
    return _write(value, text, repairs, loaded.repaired, complete)


def _salvaged_write(
    text: str, repairs: tuple[str, ...], envelope: bool
) -> FileWrite | None:
    # json-repair can give up on code it cannot tokenise, returning a list of
    # fragments; the envelope's shape is still plain to see in the text.
    opening = _FIRST_KEY.match(text)
    path = _PATH_VALUE.search(text)
    if opening is None or (opening[1] not in CONTENT_KEYS and path is None):
        return None
    salvage = salvage_content(text)
    if salvage is None:
        return None
    repairs += ("json_envelope",) if envelope else ()
    path_value = path[1] if path else None
    return FileWrite(path_value, salvage.readings, repairs, salvage.closed)


def _looks_like_envelope(value: dict) -> bool:
    # json-repair turns quotes inside code into extra keys after the content,
    # so those keys alone do not rule an envelope out.
    keys = list(value)
    return bool(keys) and (
        _ENVELOPE_KEYS.issuperset(keys)
        or keys[0] in CONTENT_KEYS
        or any(key in PATH_KEYS for key in keys)
    )


def _write(
    value: dict, raw: str, repairs: tuple[str, ...], repaired: bool, complete: bool
) -> FileWrite | None:
    path = next((value[k] for k in PATH_KEYS if isinstance(value.get(k), str)), None)
    content = next((value[k] for k in CONTENT_KEYS if k in value), None)
    if isinstance(content, list) and all(isinstance(line, str) for line in content):
        content = "\n".join(content)
    if not isinstance(content, str):
        return None
    readings = [content]
    mangled = not _ENVELOPE_KEYS.issuperset(value)
    if raw and (repaired or mangled):
        salvage = salvage_content(raw)
        if salvage is not None:
            salvaged = list(salvage.readings)
            first = mangled or salvage.verbatim
            readings = salvaged + readings if first else readings + salvaged
    return FileWrite(path, tuple(dict.fromkeys(readings)), repairs, complete)


def _tool_arguments(value: dict) -> Any | None:
    if not isinstance(value.get("name"), str):
        return None
    return next((value[k] for k in _ARGUMENT_KEYS if k in value), None)
