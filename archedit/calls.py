"""Calling a role's model: resolution from the run context, tracing, ledger."""

from __future__ import annotations

import time
from typing import Any, Literal

import httpx
import ollama
import openai
from langchain_core.messages import AIMessage, BaseMessage
from langgraph.runtime import Runtime
from pydantic import BaseModel

from archedit import ledger
from archedit.providers import ModelHandle, invoke_constrained, resolve
from graph.context import Context
from graph.state import CallRecord, Role

# What a provider raises when the model could not answer (as opposed to a
# bug in archedit): connection trouble, HTTP errors, API errors.
PROVIDER_ERRORS: tuple[type[BaseException], ...] = (
    openai.APIError,
    httpx.HTTPError,
    ConnectionError,
    TimeoutError,
    ollama.ResponseError,
)


class ModelCallError(RuntimeError):
    """A model call that failed for reasons of the provider."""


def context_of(runtime: Runtime[Context] | None) -> Context:
    """The run's context, or the defaults when the caller gave none."""
    context = getattr(runtime, "context", None)
    if context is None:
        return Context()
    if isinstance(context, dict):
        return Context(**context)
    return context


def model_for(context: Context, seat: Literal["architect", "editor"]) -> ModelHandle:
    """The chat model that fills ``seat`` in this run."""
    if seat == "architect":
        spec, base_url = context.architect, context.architect_base_url
    else:
        spec, base_url = context.editor, context.editor_base_url
    return resolve(
        spec,
        base_url=base_url,
        temperature=context.temperature,
        slots=context.concurrency,
    )


def call(
    handle: ModelHandle,
    messages: list[BaseMessage],
    *,
    role: Role,
    file: str | None,
    attempt: int,
    schema: type[BaseModel] | None = None,
) -> tuple[AIMessage, CallRecord]:
    """Make one model call and its ledger record.

    The call is traced with role, file and attempt as metadata and tags.
    """
    config: dict[str, Any] = {
        "run_name": f"{role}:{file}" if file else role,
        "tags": [f"role:{role}", *([f"file:{file}"] if file else [])],
        "metadata": {"role": role, "file": file, "attempt": attempt},
    }
    started = time.monotonic()
    try:
        if schema is not None:
            reply = invoke_constrained(handle, messages, schema, config=config)
        else:
            raw = handle.model.invoke(messages, config=config)
            reply = raw if isinstance(raw, AIMessage) else AIMessage(raw.content)
    except PROVIDER_ERRORS as err:
        where = f" at {handle.base_url}" if handle.base_url else ""
        raise ModelCallError(
            f"the {role} model {handle.provider}:{handle.name}{where} failed "
            f"({type(err).__name__}: {err}); check that its server is running "
            "and reachable"
        ) from err
    entry = ledger.record(
        handle, role, file=file, attempt=attempt, reply=reply, started=started
    )
    return reply, entry


def text_of(message: BaseMessage) -> str:
    """The text of a message whose content may be a list of blocks."""
    content = message.content
    if isinstance(content, str):
        return content
    return "".join(
        part if isinstance(part, str) else str(part.get("text", "")) for part in content
    )
