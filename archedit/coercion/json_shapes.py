"""Readings of a JSON value that unwrap the envelopes models put around it."""

import types
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from archedit.coercion.lenient_json import load_json

_ARGUMENT_KEYS = ("arguments", "parameters", "args", "input")
_MAX_DEPTH = 2
_MAX_ITEMS = 3

Shape = tuple[Any, tuple[str, ...]]


def shapes(value: Any, schema: type[BaseModel], depth: int = 0) -> Iterator[Shape]:
    """Yields the value as given, then readings that unwrap or wrap it.

    Unwrapped are tool calls written as text ({"name", "arguments"}),
    envelopes such as {"blueprint": {...}} and several objects sent at once;
    a bare list is wrapped when the schema has a single list field.

    Args:
        value: A decoded JSON value.
        schema: The pydantic model the value should satisfy.
        depth: How many envelopes have been removed already.

    Yields:
        Each reading with the repairs that produced it.
    """
    yield value, ()
    if depth >= _MAX_DEPTH:
        return
    inner: list[tuple[Any, str]] = []
    if isinstance(value, dict):
        arguments = _tool_arguments(value)
        if arguments is not None:
            inner.append((arguments, "tool_call_text"))
        key = _envelope_key(value, schema)
        if key is not None:
            inner.append((value[key], "json_envelope"))
    elif isinstance(value, list):
        field = single_list_field(schema)
        if field is not None:
            yield {field: value}, ("list_wrap",)
        inner += [
            (item, "multiple_json")
            for item in value[:_MAX_ITEMS]
            if isinstance(item, dict)
        ]
    for item, repair in inner:
        for shape, repairs in shapes(item, schema, depth + 1):
            yield shape, (repair, *repairs)


def single_list_field(schema: type[BaseModel]) -> str | None:
    """Names the schema's only list field, when it is all that is required.

    Args:
        schema: A pydantic model.

    Returns:
        The field's name as it appears in JSON, or None.
    """
    fields = schema.model_fields
    lists = [name for name, info in fields.items() if _is_list_type(info.annotation)]
    required = {name for name, info in fields.items() if info.is_required()}
    if len(lists) != 1 or not required <= set(lists):
        return None
    return fields[lists[0]].alias or lists[0]


def field_names(schema: type[BaseModel]) -> set[str]:
    """The keys a JSON object for the schema may have.

    Args:
        schema: A pydantic model.

    Returns:
        Field names and their aliases.
    """
    names = set(schema.model_fields)
    names.update(info.alias for info in schema.model_fields.values() if info.alias)
    return names


def _tool_arguments(value: dict) -> Any | None:
    if not isinstance(value.get("name"), str):
        return None
    arguments = next((value[k] for k in _ARGUMENT_KEYS if k in value), None)
    if isinstance(arguments, str):
        loaded = load_json(arguments)
        return loaded.value if loaded is not None else None
    return arguments


def _envelope_key(value: dict, schema: type[BaseModel]) -> str | None:
    wanted = schema.__name__.lower()
    keys = [key for key in value if isinstance(key, str)]
    for key in keys:
        if key.lower().replace("_", "") == wanted and _is_container(value[key]):
            return key
    containers = [key for key in keys if _is_container(value[key])]
    return containers[0] if len(containers) == 1 else None


def _is_list_type(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if annotation is list or origin is list:
        return True
    if origin in (typing.Union, types.UnionType):
        return any(_is_list_type(arg) for arg in typing.get_args(annotation))
    return False


def _is_container(value: Any) -> bool:
    return isinstance(value, dict | list)
