"""Calling a role's model: resolution from the run context, tracing, ledger."""

from __future__ import annotations

import dataclasses
import logging
import time
from typing import Any, Literal

from langchain_core.messages import AIMessage, BaseMessage
from langgraph.config import get_config
from langgraph.runtime import Runtime, get_runtime
from pydantic import BaseModel

from archedit import budget, faults, ledger
from archedit.providers import ModelHandle, invoke_constrained, resolve
from graph.context import Context
from graph.state import CallRecord, Role

logger = logging.getLogger(__name__)


class ModelCallError(RuntimeError):
    """A model call that failed for reasons of the provider, after its retries.

    ``record`` is the call's ledger entry (outcome "error"): the node that
    made the call does not finish, so the runner keeps the entry for the
    resumed run.
    """

    def __init__(self, message: str, record: CallRecord | None = None) -> None:
        super().__init__(message)
        self.record = record


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
        timeout=context.call_timeout_s,
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
    """Make one model call, within the run's budgets, and its ledger record.

    The call is traced with role, file and attempt as metadata and tags.
    Transient provider faults are retried (see ``archedit.faults``).

    Raises:
        BudgetExceeded: before the call, when it could exceed a budget.
        ModelCallError: when the provider failed for good; carries the record.
    """
    context, run = _running()
    what = f"the {role} call for {file or 'the blueprint'} (attempt {attempt})"
    guess = budget.estimate(handle, messages)
    spend = budget.spend_of(run)
    spend.reserve(context, guess, what)
    config: dict[str, Any] = {
        "run_name": f"{role}:{file}" if file else role,
        "tags": [f"role:{role}", *([f"file:{file}"] if file else [])],
        "metadata": {"role": role, "file": file, "attempt": attempt},
    }
    tries = 0

    def once() -> AIMessage:
        nonlocal tries
        if tries:
            # A retry is a new request: the minutes may have run out waiting.
            spend.check_time(context, f"retrying {what}")
        tries += 1
        bounded, limits = _within_minutes(handle, context, spend)
        if schema is not None:
            return invoke_constrained(bounded, messages, schema, config, **limits)
        raw = bounded.model.invoke(messages, config=config, **limits)
        return raw if isinstance(raw, AIMessage) else AIMessage(raw.content)

    started = time.monotonic()
    policy = faults.retrying(
        context.call_retries,
        context.retry_backoff_s,
        f"{file or 'blueprint'} attempt {attempt} ({role})",
        retry_timeouts=handle.provider != "local",
    )

    def failed(err: BaseException) -> CallRecord:
        entry = ledger.record(
            handle,
            role,
            file=file,
            attempt=attempt,
            reply=None,
            started=started,
            run=run,
            tries=tries,
            error=faults.describe(err),
        )
        spend.settle(context, guess, entry)
        return entry

    try:
        reply = policy(once)
    except faults.PROVIDER_ERRORS as err:
        entry = failed(err)
        message = _failure(handle, role, tries, err, context.call_timeout_s)
        raise ModelCallError(message, record=entry) from err
    except budget.BudgetExceeded as err:
        # Stopped between retries: the requests already sent are accounted.
        err.record = failed(err)
        raise
    except BaseException:
        spend.settle(context, guess, None)
        raise
    entry = ledger.record(
        handle,
        role,
        file=file,
        attempt=attempt,
        reply=reply,
        started=started,
        run=run,
        tries=tries,
    )
    spend.settle(context, guess, entry)
    return reply, entry


def _within_minutes(
    handle: ModelHandle, context: Context, spend: budget.Spend
) -> tuple[ModelHandle, dict[str, float]]:
    """The model and request options for a request that ends with the minutes
    budget, where one is taken.

    OpenAI-compatible clients take a timeout per request. An Ollama client's
    timeout is fixed when it is made, so a copy is made with the shorter one.
    Other models are left alone; for them the budget is checked between
    requests.
    """
    from langchain_ollama import ChatOllama
    from langchain_openai import ChatOpenAI

    left = spend.seconds_left(context)
    if left is None:
        return handle, {}
    timeout = max(1.0, min(context.call_timeout_s, left))
    if isinstance(handle.model, ChatOpenAI):
        return handle, {"timeout": timeout}
    if isinstance(handle.model, ChatOllama) and left < context.call_timeout_s:
        model = handle.model
        settings = model.model_dump(exclude={"client_kwargs"}, exclude_unset=True)
        client = {**(model.client_kwargs or {}), "timeout": timeout}
        copy = ChatOllama(**settings, client_kwargs=client)
        return dataclasses.replace(handle, model=copy), {}
    return handle, {}


def _failure(
    handle: ModelHandle, role: Role, tries: int, err: BaseException, timeout: float
) -> str:
    """What went wrong with a provider, and what to check."""
    where = f" at {handle.base_url}" if handle.base_url else ""
    model = f"the {role} model {handle.provider}:{handle.name}{where}"
    if faults.is_timeout(err):
        return (
            f"{model} did not answer within {timeout:g} s ({tries} "
            f"{'try' if tries == 1 else 'tries'}); if it is slow rather than "
            "down, set a longer ARCHEDIT_CALL_TIMEOUT"
        )
    if not faults.is_transient(err):
        return (
            f"{model} refused the request ({faults.describe(err)}); check the "
            "model name, the API key and the base URL"
        )
    times = "time" if tries == 1 else "times"
    return (
        f"{model} failed {tries} {times} ({faults.describe(err)}); check that "
        "its server is running and reachable"
    )


def _running() -> tuple[Context, str | None]:
    """The context and thread id of the run this call belongs to, if any."""
    try:
        context = context_of(get_runtime(Context))
        run = get_config().get("configurable", {}).get("thread_id")
    except RuntimeError:
        # Called outside a graph (from Python directly): defaults, no run.
        return Context(), None
    return context, str(run) if run is not None else None


def text_of(message: BaseMessage) -> str:
    """The text of a message whose content may be a list of blocks."""
    content = message.content
    if isinstance(content, str):
        return content
    return "".join(
        part if isinstance(part, str) else str(part.get("text", "")) for part in content
    )
