"""plan: one architect call (re-asked with the exact problems) into a blueprint."""

from __future__ import annotations

import logging
from typing import TypedDict

from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    HumanMessage,
    SystemMessage,
)
from langgraph.func import task
from langgraph.runtime import Runtime

from archedit.blueprint import (
    Blueprint,
    BlueprintError,
    unplanned_names,
    validate_blueprint,
)
from archedit.briefing import bullet
from archedit.calls import call, context_of, model_for, text_of
from archedit.coercion import coerce_json
from archedit.providers import ModelHandle
from graph.context import Context
from graph.state import CallRecord, PipelineState
from prompts.architect import (
    EXAMPLE_PLAN,
    EXAMPLE_TASK,
    PLAN_FIX,
    PLAN_SYSTEM,
    PLAN_TASK,
)

logger = logging.getLogger(__name__)


class Asked(TypedDict):
    """One architect call: its reply and its ledger record."""

    reply: AIMessage
    ledger: list[CallRecord]


@task(name="architect")
def ask(handle: ModelHandle, messages: list[BaseMessage], attempt: int) -> Asked:
    """One blueprint attempt, saved when it returns.

    A run stopped by a later attempt (a provider down, a budget) keeps this
    one: the resumed plan gets it back instead of paying for it again.
    """
    reply, entry = call(
        handle, messages, role="architect", file=None, attempt=attempt, schema=Blueprint
    )
    return Asked(reply=reply, ledger=[entry])


def plan(state: PipelineState, runtime: Runtime[Context]) -> dict:
    """Ask the architect for a blueprint until it validates or attempts run out.

    A valid blueprint that leaves out a file the task names is sent back once
    with that problem; of it and the next valid one, the one that leaves out
    fewer is taken.
    """
    context = context_of(runtime)
    task = (state.get("task") or "").strip()
    if not task:
        return {"blueprint": None, "error": "the task is empty; describe what to build"}
    handle = model_for(context, "architect")
    messages = [
        SystemMessage(PLAN_SYSTEM.format(max_files=context.max_files)),
        # One worked example: small models copy its shape far more reliably
        # than they follow a description of it.
        HumanMessage(PLAN_TASK.format(task=EXAMPLE_TASK)),
        AIMessage(EXAMPLE_PLAN),
        HumanMessage(PLAN_TASK.format(task=task)),
    ]
    ledger: list[CallRecord] = []
    problems: list[str] = []
    # A valid plan sent back for a file the task names; taken if no valid
    # plan follows.
    kept: Blueprint | None = None
    for attempt in range(1, context.plan_attempts + 1):
        asked = ask(handle, list(messages), attempt).result()
        reply, entry = asked["reply"], asked["ledger"][0]
        ledger.append(entry)
        coerced = coerce_json(reply, Blueprint)
        if coerced.ok:
            try:
                blueprint = validate_blueprint(coerced.value, context.max_files)
            except BlueprintError as err:
                problems = err.problems
            else:
                missing = unplanned_names(task, blueprint)
                if kept is not None:
                    # Sent back once only: a task may name files its program
                    # reads rather than files to write. The answer is taken
                    # if it misses fewer of them.
                    before = unplanned_names(task, kept)
                    if len(before) <= len(missing):
                        blueprint, missing = kept, before
                    return _planned(blueprint, ledger, missing)
                if not missing or attempt == context.plan_attempts:
                    return _planned(blueprint, ledger, missing)
                kept = blueprint
                problems = [
                    f"the task names {name}, which the plan does not list; add it"
                    for name in missing
                ]
        else:
            problems = [coerced.message]
        logger.warning(
            "blueprint attempt %d rejected: %s", attempt, "; ".join(problems)
        )
        messages += [
            AIMessage(content=text_of(reply)),
            HumanMessage(PLAN_FIX.format(problems=bullet(problems))),
        ]
    if kept is not None:
        return _planned(kept, ledger, unplanned_names(task, kept))
    return {
        "blueprint": None,
        "ledger": ledger,
        "error": (
            f"the architect gave no usable blueprint in {context.plan_attempts} "
            f"attempts ({'; '.join(problems)}); try a stronger architect model "
            "or a more precise task"
        ),
    }


def _planned(
    blueprint: Blueprint, ledger: list[CallRecord], missing: list[str]
) -> dict:
    if missing:
        logger.warning(
            "the blueprint plans no %s, which the task names; going on without",
            ", ".join(missing),
        )
    return {"blueprint": blueprint.model_dump(), "ledger": ledger, "error": None}
