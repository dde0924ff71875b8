"""Coercing an architect model's reply into an instance of a pydantic schema."""

import logging
from dataclasses import dataclass
from typing import Any

from langchain_core.messages import BaseMessage
from pydantic import BaseModel, ValidationError

from archedit.coercion import feedback
from archedit.coercion.fences import find_fences
from archedit.coercion.json_shapes import field_names, shapes, single_list_field
from archedit.coercion.lenient_json import Loaded, find_json, load_json
from archedit.coercion.reply import Reply, read_reply
from archedit.coercion.result import Coerced, Failure, failed, succeeded
from archedit.coercion.tool_text import tool_call_bodies

logger = logging.getLogger(__name__)

_JSON_TAGS = ("json", "jsonc", "json5", "")
_MAX_PROBLEMS = 3


@dataclass(frozen=True)
class _Candidate:
    value: Any
    repairs: tuple[str, ...]
    closed: bool = True
    cut: bool = False


def coerce_json(output: BaseMessage | str, schema: type[BaseModel]) -> Coerced:
    """Turns a model reply into a validated instance of `schema`.

    Never raises: every reply yields either the instance or a classified
    failure whose message can be quoted back to the model. JSON cut off in
    the middle of a value is a failure even when a repair would validate, as
    the repair silently drops what was being written.

    Args:
        output: The model's reply, a message or its text; tool-call arguments
            are read first, as structured output arrives there.
        schema: The pydantic model the reply must satisfy.

    Returns:
        The instance, or the reason there is none.
    """
    try:
        return _coerce_json(output, schema)
    # The graph calls this in its retry loop, so an unforeseen reply must end
    # as a failure to retry on, with the cause kept in the log.
    except Exception:
        logger.exception("coercing a %s reply raised", schema.__name__)
        message = feedback.internal_json(schema.__name__)
        return failed(Failure.INTERNAL, message, [], False)


def _coerce_json(output: BaseMessage | str, schema: type[BaseModel]) -> Coerced:
    name = schema.__name__
    reply = read_reply(output)
    candidates = [
        candidate
        for candidate in _tool_call_candidates(reply) + _text_candidates(reply.text)
        if _json_like(candidate, schema)
    ]
    if not candidates:
        if reply.stopped_at_length:
            return failed(Failure.TRUNCATED, feedback.truncated_json(name), [], False)
        if not reply.raw_text.strip() and not reply.tool_calls:
            return failed(Failure.EMPTY, feedback.empty_json(name), [], False)
        message = feedback.unrepairable_json(name)
        return failed(Failure.UNREPAIRABLE_JSON, message, [], False)
    keys = field_names(schema)
    rejected: list[tuple[tuple[bool, int], ValidationError, _Candidate]] = []
    for order, candidate in enumerate(candidates):
        for value, shape_repairs in shapes(candidate.value, schema):
            try:
                instance = schema.model_validate(value)
            except ValidationError as error:
                overlaps = isinstance(value, dict) and not keys.isdisjoint(value)
                rejected.append(((not overlaps, order), error, candidate))
                continue
            repairs = list(reply.repairs + candidate.repairs + shape_repairs)
            if candidate.cut or (reply.stopped_at_length and not candidate.closed):
                message = feedback.truncated_json(name)
                return failed(Failure.TRUNCATED, message, repairs, False)
            if repairs:
                logger.debug("%s reply needed repairs: %s", name, ", ".join(repairs))
            return succeeded(instance, repairs, constraint_honoured=not repairs)
    # The rejection for the reading closest to the schema explains it best.
    _, error, candidate = min(rejected, key=lambda rejection: rejection[0])
    repairs = list(reply.repairs + candidate.repairs)
    if candidate.cut or not candidate.closed or reply.stopped_at_length:
        return failed(Failure.TRUNCATED, feedback.truncated_json(name), repairs, False)
    problems = [
        f"{'.'.join(str(part) for part in detail['loc']) or '(root)'}: {detail['msg']}"
        for detail in error.errors(include_url=False)[:_MAX_PROBLEMS]
    ]
    more = error.error_count() - len(problems)
    message = feedback.schema_violation(name, problems, more)
    return failed(Failure.SCHEMA_VIOLATION, message, repairs, False)


def _tool_call_candidates(reply: Reply) -> list[_Candidate]:
    candidates = []
    for call in reply.tool_calls:
        if isinstance(call.args, str):
            candidates += _loaded(load_json(call.args), ("tool_call_args_string",))
        else:
            candidates.append(_Candidate(call.args, ()))
    return candidates


def _text_candidates(text: str) -> list[_Candidate]:
    stripped = text.strip()
    candidates = []
    if stripped.startswith(("{", "[")):
        candidates += _loaded(load_json(stripped), ())
    for body in tool_call_bodies(text):
        candidates += _loaded(load_json(body), ("tool_call_text",))
    fences = find_fences(text)
    outside = any(fence.before.strip() or fence.after.strip() for fence in fences)
    prose = ("prose",) if outside or len(fences) > 1 else ()
    for fence in fences:
        if fence.lang in _JSON_TAGS:
            candidates += _loaded(load_json(fence.body), ("fence", *prose))
    for loaded in find_json(text):
        candidates += _loaded(loaded, ())
    return candidates


def _loaded(loaded: Loaded | None, repairs: tuple[str, ...]) -> list[_Candidate]:
    if loaded is None:
        return []
    if loaded.surrounded:
        repairs += ("prose",)
    if loaded.repaired:
        repairs += ("json_repair",)
    return [_Candidate(loaded.value, repairs, loaded.closed, loaded.cut)]


def _json_like(candidate: _Candidate, schema: type[BaseModel]) -> bool:
    value = candidate.value
    if isinstance(value, dict):
        # json-repair reads "{braces}" in prose as an empty object.
        return bool(value) or "json_repair" not in candidate.repairs
    if isinstance(value, list):
        if any(isinstance(item, dict) for item in value):
            return True
        repaired = "json_repair" in candidate.repairs
        return not repaired and single_list_field(schema) is not None
    return False
